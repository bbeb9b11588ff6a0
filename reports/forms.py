from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.selectors import Jurisdiction
from core.models import Province
from core.spreadsheets import ACCEPT, validate_upload
from reports.selectors import reportable_campaigns, reportable_events
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
        choices=[("", _("Named in the workbook"))]
        + [(name, sheet.label) for name, sheet in SHEETS.items()],
        help_text=_("A CSV file holds one sheet: say which."),
    )

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
