"""Forms of the enterprise workspace. They only parse input: the fields come
from the models (labels, types, choices), the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import ACCEPT, validate_upload
from core.widgets import DateInput
from enterprises.imports import MAX_ROWS, MAX_UPLOAD_BYTES
from enterprises.models import Enterprise, IPAppraisal, IPAsset
from enterprises.services import (
    ENTERPRISE_EDITABLE_FIELDS,
    IP_ASSET_EDITABLE_FIELDS,
    licence_errors,
)
from parks.models import Park


def _model_fields(
    model: type[Model], names: tuple[str, ...], **widgets: forms.Widget | type[forms.Widget]
) -> dict[str, Any]:
    return forms.fields_for_model(model, fields=names, widgets=widgets)


class ParsingForm(forms.Form):
    """A plain form whose fields are the named model fields: it checks types
    and choices without building or changing a model instance."""

    model: type[Model]
    field_names: tuple[str, ...] = ()
    widgets: dict[str, forms.Widget] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_model_fields(self.model, self.field_names, **self.widgets))


class EnterpriseProfileForm(ParsingForm):
    model = Enterprise
    field_names = ENTERPRISE_EDITABLE_FIELDS
    widgets = {
        "founded_on": DateInput(),
        "description": forms.Textarea(attrs={"rows": 4}),
    }


class IPAssetForm(ParsingForm):
    model = IPAsset
    field_names: tuple[str, ...] = IP_ASSET_EDITABLE_FIELDS
    widgets = {
        "filed_on": DateInput(),
        "granted_on": DateInput(),
        "expires_on": DateInput(),
    }


class IPAssetCreateForm(IPAssetForm):
    """A new asset may come with its latest appraisal."""

    field_names = (*IP_ASSET_EDITABLE_FIELDS, "appraised_value", "appraiser", "appraised_on")
    widgets = {**IPAssetForm.widgets, "appraised_on": DateInput()}


class AppraisalForm(ParsingForm):
    model = IPAppraisal
    field_names = ("value", "appraiser", "appraised_on")
    widgets = {"appraised_on": DateInput()}


class AssetImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        validators=[validate_upload],
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Filled in per request, in the reader's language.
        self.fields["file"].help_text = _("At most %(rows)s rows and %(mb)d MB.") % {
            "rows": f"{MAX_ROWS:,}",
            "mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        }


# --------------------------------------------------------------------------- joining the portal


class LicenceField(forms.FileField):
    """A business licence: a PDF, JPEG or PNG of at most 5 MB, told by its content."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Business licence"))
        kwargs.setdefault("help_text", _("A scan or photo: PDF, JPEG or PNG, at most 5 MB."))
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload and (problems := licence_errors(upload)):
            raise forms.ValidationError(problems)
        return upload


class ParkSelect(forms.Select):
    """Parks grouped by province; each option names its province, so the
    page's script shows only the parks of the province chosen."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-province"] = instance.province_id
        return option


class EnterpriseStartForm(ParsingForm):
    """Register a new enterprise."""

    model = Enterprise
    field_names = (
        "credit_code",
        "name_zh",
        "name_en",
        "province",
        "city_zh",
        "city_en",
        "park",
        "industry",
        "contact_name",
        "contact_phone",
        "email",
        "website",
    )
    widgets = {"park": ParkSelect()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        park = self.fields["park"]
        assert isinstance(park, forms.ModelChoiceField)
        park.queryset = Park.objects.order_by("province_id", "name_zh")
        self.fields["park"].help_text = _(
            "Only the parks of the province chosen are listed. Leave it empty when the "
            "enterprise is in no park."
        )
        self.fields["credit_code"].help_text = _("The 18 characters on the business licence.")
        self.fields["licence"] = LicenceField()

    def clean_credit_code(self) -> str:
        return str(self.cleaned_data["credit_code"]).strip().upper()


class JoinForm(forms.Form):
    """Shown beside the registration form: ids of its own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "join-%s")
        super().__init__(*args, **kwargs)

    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=18, widget=forms.HiddenInput
    )
    message = forms.CharField(
        label=_("Message to the administrators"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Say who you are and what you do at the enterprise."),
    )


class ClaimForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "claim-%s")
        super().__init__(*args, **kwargs)

    credit_code = forms.CharField(max_length=18, widget=forms.HiddenInput)
    licence = LicenceField(required=False)


class ResubmitForm(forms.Form):
    licence = LicenceField(
        required=False, help_text=_("Upload a new licence if the one sent was refused.")
    )
    note = forms.CharField(
        label=_("Note to the verifier"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
