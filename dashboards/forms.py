from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from core.models import Province
from events.models import Campaign, Event
from financing.models import Contract
from parks.models import Park
from products.models import Institution, Product

MONTH = RegexValidator(r"^[1-9]\d{3}-(0[1-9]|1[0-2])$", _("Give a month as YYYY-MM."))


class ScopeForm(forms.Form):
    """The dashboard's scope, as the page's query string gives it."""

    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.all(), to_field_name="slug", required=False
    )
    province = forms.ModelChoiceField(
        label=_("Host province"), queryset=Province.objects.all(), required=False
    )
    park = forms.ModelChoiceField(
        label=_("Park"), queryset=Park.objects.select_related("province"), required=False
    )
    event = forms.ModelChoiceField(
        label=_("Event"), queryset=Event.objects.select_related("host_province"), required=False
    )
    month = forms.CharField(label=_("Month"), validators=[MONTH], required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for key in ("park", "event", "month"):
            if not data.get(key):
                data[key] = None
        return data


class ContractFilterForm(ScopeForm):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.all(), required=False
    )
    product_kind = forms.ChoiceField(
        label=_("IP kind of the loan product"),
        choices=[("", _("Any")), *Product.Kind.choices, ("none", _("No product"))],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Contract kind"), choices=[("", _("Any")), *Contract.Kind.choices], required=False
    )
