"""The regulators' forms for each kind. They only parse input, offering the
provinces, events, offices and parks of the regulator's jurisdiction: the
services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models.fields.files import FieldFile

from accounts.models import RegulatorOffice
from accounts.selectors import Jurisdiction
from core.forms import ChoiceList
from core.limits import IdsChoiceField
from core.models import Province
from core.widgets import DateInput
from events.models import Event
from knowledge.models import (
    Collection,
    CooperationAgreement,
    MediaReport,
    Policy,
    TrainingSession,
    TypicalCase,
)
from parks.models import Park
from products.models import Institution

TITLED = ["title_zh", "title_en", "summary_zh", "summary_en"]
DATE = DateInput()
SUMMARY = forms.Textarea(attrs={"rows": 3})


class KnowledgeForm(forms.ModelForm):
    """Narrows every choice of a place or an office to the jurisdiction."""

    def __init__(self, *args: Any, jurisdiction: Jurisdiction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if jurisdiction.national:
            return
        provinces = jurisdiction.provinces
        narrowed = {
            "province": Province.objects.filter(code__in=provinces),
            "park": Park.objects.filter(province__in=provinces),
            "event": Event.objects.filter(host_province__in=provinces),
            "office": RegulatorOffice.objects.filter(province__in=provinces),
            "organiser": RegulatorOffice.objects.filter(province__in=provinces),
            "publisher": RegulatorOffice.objects.filter(province__in=provinces),
        }
        for name, queryset in narrowed.items():
            field = self.fields.get(name)
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = queryset
        # An item with no province is a national regulator's (knowledge.access).
        if "province" in self.fields and not isinstance(self, PolicyForm):
            self.fields["province"].required = True

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as the services take it: a file left as it was
        is not sent again (False still clears it)."""
        fields = dict(self.cleaned_data)
        if "file" in fields and (
            isinstance(fields["file"], FieldFile) or fields["file"] in (None, "")
        ):
            del fields["file"]
        return fields


class PolicyForm(KnowledgeForm):
    class Meta:
        model = Policy
        fields = [
            *TITLED,
            "issuer_zh",
            "issuer_en",
            "level",
            "province",
            "issued_on",
            "document_number",
            "url",
            "file",
        ]
        widgets = {"issued_on": DATE, "summary_zh": SUMMARY, "summary_en": SUMMARY}


class TypicalCaseForm(KnowledgeForm):
    class Meta:
        model = TypicalCase
        fields = [
            *TITLED,
            "province",
            "enterprise_name",
            "institution_name",
            "amount",
            "ip_kinds",
            "published_on",
        ]
        widgets = {
            "published_on": DATE,
            "summary_zh": SUMMARY,
            "summary_en": SUMMARY,
            "ip_kinds": forms.CheckboxSelectMultiple,
        }


class CollectionForm(KnowledgeForm):
    class Meta:
        model = Collection
        field_classes = {"policies": IdsChoiceField, "cases": IdsChoiceField}
        fields = [
            *TITLED,
            "publisher",
            "province",
            "campaign",
            "published_on",
            "is_printed",
            "file",
            "policies",
            "cases",
        ]
        widgets = {
            "published_on": DATE,
            "summary_zh": SUMMARY,
            "summary_en": SUMMARY,
            "policies": ChoiceList,
            "cases": ChoiceList,
        }


class TrainingSessionForm(KnowledgeForm):
    class Meta:
        model = TrainingSession
        fields = [
            *TITLED,
            "province",
            "city_zh",
            "city_en",
            "park",
            "campaign",
            "organiser",
            "held_on",
            "participants",
        ]
        widgets = {"held_on": DATE, "summary_zh": SUMMARY, "summary_en": SUMMARY}


class MediaReportForm(KnowledgeForm):
    class Meta:
        model = MediaReport
        fields = ["title", "outlet_zh", "outlet_en", "url", "published_on", "campaign", "event"]
        widgets = {"published_on": DATE}

    def __init__(self, *args: Any, jurisdiction: Jurisdiction, **kwargs: Any) -> None:
        super().__init__(*args, jurisdiction=jurisdiction, **kwargs)
        # A provincial regulator's reports are about its province's events.
        self.fields["event"].required = not jurisdiction.national


class CooperationAgreementForm(KnowledgeForm):
    class Meta:
        model = CooperationAgreement
        field_classes = {"institutions": IdsChoiceField}
        fields = [*TITLED, "kind", "office", "signed_on", "campaign", "institutions"]
        widgets = {
            "signed_on": DATE,
            "summary_zh": SUMMARY,
            "summary_en": SUMMARY,
            "institutions": ChoiceList,
        }

    def __init__(self, *args: Any, jurisdiction: Jurisdiction, **kwargs: Any) -> None:
        super().__init__(*args, jurisdiction=jurisdiction, **kwargs)
        institutions = self.fields["institutions"]
        assert isinstance(institutions, forms.ModelMultipleChoiceField)
        institutions.queryset = Institution.objects.select_related("province").order_by(
            "province_id", "name_zh"
        )


FORMS: dict[str, type[KnowledgeForm]] = {
    "policies": PolicyForm,
    "cases": TypicalCaseForm,
    "collections": CollectionForm,
    "trainings": TrainingSessionForm,
    "media": MediaReportForm,
    "agreements": CooperationAgreementForm,
}
