"""Forms of the enterprise workspace. They only parse input: the fields come
from the models (labels, types, choices), the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import ACCEPT, validate_upload
from enterprises.imports import MAX_ROWS, MAX_UPLOAD_BYTES
from enterprises.models import Enterprise, IPAppraisal, IPAsset
from enterprises.services import ENTERPRISE_EDITABLE_FIELDS, IP_ASSET_EDITABLE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


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
