"""The institution's product forms. They only parse input: the services decide.

A move's form (`products.workflows` names it) has the keyword arguments of
the service that makes the move as its fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import ChoiceList
from core.limits import NOTE_MAX_LENGTH
from products.models import Institution, Product

PRODUCT_FIELDS = [
    "name_zh",
    "name_en",
    "kind",
    "summary_zh",
    "summary_en",
    "amount_min",
    "amount_max",
    "rate_min",
    "rate_max",
    "term_min_months",
    "term_max_months",
    "max_pledge_ratio",
    "accepted_ip_kinds",
    "provinces_served",
    "target_industries",
    "requirements",
]


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = PRODUCT_FIELDS
        widgets = {
            "accepted_ip_kinds": forms.CheckboxSelectMultiple,
            "provinces_served": ChoiceList,
            "target_industries": ChoiceList,
            "requirements": forms.Textarea(attrs={"rows": 4}),
        }


class ProductCreateForm(ProductForm):
    class Meta(ProductForm.Meta):
        fields = ["institution", *PRODUCT_FIELDS]

    def __init__(self, *args: Any, institutions: QuerySet[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = institutions
        field.label = _("Institution")
        if len(institutions) == 1:
            field.initial = institutions[0].pk
            field.empty_label = None


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Why (optional)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Why (optional)")}),
    )
