from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.selectors import Jurisdiction
from core.models import Province
from core.spreadsheets import ACCEPT, validate_upload
from reports.selectors import code_provinces, reportable_campaigns, reportable_events
from reports.spreadsheets import SHEETS


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file, at most 5 MB."),
        validators=[validate_upload],
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    sheet = forms.ChoiceField(
        label=_("Sheet"),
        required=False,
        help_text=_("A CSV file holds one sheet: say which."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The sheets named as the templates and the results name them.
        sheet = self.fields["sheet"]
        assert isinstance(sheet, forms.ChoiceField)
        sheet.choices = [("", _("Named in the workbook"))] + [
            (name, spec.shown) for name, spec in SHEETS.items()
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("file")
        if (
            upload is not None
            and not upload.name.lower().endswith(".xlsx")
            and not data.get("sheet")
        ):
            self.add_error("sheet", _("Say which sheet this CSV file holds."))
        return data


class CodesForm(forms.Form):
    """Which codes the import page lists: institutions or parks, narrowed by
    a word of the code or name and, for parks, a province."""

    INSTITUTIONS = "institutions"
    PARKS = "parks"

    codes = forms.ChoiceField(
        label=_("Codes of"),
        required=False,
        choices=[(INSTITUTIONS, _("Institutions")), (PARKS, _("Parks"))],
    )
    q = forms.CharField(label=_("Code or name"), required=False, max_length=100)
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("All provinces"),
        help_text=_("Parks only."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        province = self.fields["province"]
        assert isinstance(province, forms.ModelChoiceField)
        province.queryset = code_provinces()

    @property
    def listing(self) -> str:
        chosen = self.cleaned_data.get("codes") if self.is_bound and self.is_valid() else ""
        return chosen or self.INSTITUTIONS


class ReportForm(forms.Form):
    """A report on a campaign (optionally one province) or on one event."""

    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=reportable_campaigns(),
        to_field_name="slug",
        required=False,
    )
    province = forms.ModelChoiceField(
        label=_("Host province"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("All provinces"),
    )
    event = forms.ModelChoiceField(
        label=_("Or one event"),
        queryset=reportable_events(jurisdiction=Jurisdiction(national=True, provinces=frozenset())),
        to_field_name="slug",
        required=False,
    )

    def __init__(self, *args: Any, jurisdiction: Jurisdiction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        event, province = self.fields["event"], self.fields["province"]
        assert isinstance(event, forms.ModelChoiceField)
        assert isinstance(province, forms.ModelChoiceField)
        event.queryset = reportable_events(jurisdiction=jurisdiction)
        provinces = Province.objects.filter(hosted_events__isnull=False).distinct()
        if not jurisdiction.national:
            provinces = Province.objects.filter(pk__in=jurisdiction.provinces)
        province.queryset = provinces.order_by("code")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("campaign")) == bool(data.get("event")):
            raise forms.ValidationError(_("Choose a campaign or an event."))
        if data.get("event"):
            data["province"] = None
        return data

    def params(self) -> dict[str, str]:
        data = self.cleaned_data
        if data.get("event"):
            return {"event": data["event"].slug}
        params = {"campaign": data["campaign"].slug}
        if data.get("province"):
            params["province"] = data["province"].pk
        return params
