"""The catalogue's filters, shared by the pages and the API."""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.amounts import AmountFilter
from core.models import IPKind, Province
from products.models import Institution, Product

DEFAULT_ORDERING = "-published_at"
ORDERINGS = [
    ("-published_at", _("Newest first")),
    ("rate_min", _("Lowest rate first")),
    ("-amount_max", _("Largest amount first")),
    ("name_zh", _("Name")),
]


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ProductFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    kind = django_filters.ChoiceFilter(
        choices=Product.Kind.choices, empty_label=_("Any"), label=_("Kind")
    )
    ip_kind = django_filters.ModelChoiceFilter(
        field_name="accepted_ip_kinds",
        queryset=IPKind.objects.all(),
        empty_label=_("Any"),
        label=_("Accepts IP kind"),
    )
    province = django_filters.ModelChoiceFilter(
        queryset=Province.objects.all(),
        method="filter_province",
        empty_label=_("Any"),
        label=_("Province served"),
        help_text=_("Nationwide products match every province."),
    )
    amount = AmountFilter(
        method="filter_amount",
        min_value=Decimal("0"),
        label=_("Amount (CNY)"),
        help_text=_("Products whose amount range contains it."),
    )
    rate_max = django_filters.NumberFilter(
        field_name="rate_min",
        lookup_expr="lte",
        min_value=Decimal("0"),
        label=_("Rate up to (%)"),
        help_text=_("Products whose lowest annual rate is at most this."),
    )
    term = IntegerFilter(
        method="filter_term",
        min_value=1,
        label=_("Term (months)"),
        help_text=_("Products whose term range contains it."),
    )
    institution = django_filters.ModelChoiceFilter(
        queryset=Institution.objects.all(), empty_label=_("Any"), label=_("Institution")
    )
    ordering = django_filters.ChoiceFilter(
        choices=ORDERINGS,
        method="filter_ordering",
        empty_label=None,
        label=_("Sort by"),
    )

    class Meta:
        model = Product
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[Product], name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name_zh__icontains=value)
            | Q(name_en__icontains=value)
            | Q(institution__name_zh__icontains=value)
            | Q(institution__name_en__icontains=value)
        )

    def filter_province(
        self, queryset: QuerySet[Product], name: str, value: Province
    ) -> QuerySet[Product]:
        # A product that names no province serves the whole country. Subqueries
        # rather than joins, so no product is listed twice.
        served = Product.provinces_served.through.objects.filter(product=OuterRef("pk"))
        return queryset.filter(Exists(served.filter(province=value)) | ~Exists(served))

    def filter_amount(
        self, queryset: QuerySet[Product], name: str, value: Decimal
    ) -> QuerySet[Product]:
        return queryset.filter(amount_min__lte=value, amount_max__gte=value)

    def filter_term(self, queryset: QuerySet[Product], name: str, value: int) -> QuerySet[Product]:
        return queryset.filter(term_min_months__lte=value, term_max_months__gte=value)

    def filter_ordering(
        self, queryset: QuerySet[Product], name: str, value: str
    ) -> QuerySet[Product]:
        return queryset  # applied last, in filter_queryset, so there is always an order

    def filter_queryset(self, queryset: QuerySet[Product]) -> QuerySet[Product]:
        queryset = super().filter_queryset(queryset)
        return catalogue_order(queryset, self.form.cleaned_data.get("ordering"))


def catalogue_order(queryset: QuerySet[Product], ordering: str | None = None) -> QuerySet[Product]:
    """The catalogue's order: the one asked for, else newest published first.
    The code breaks ties, so pages never overlap or skip a product."""
    return queryset.order_by(ordering or DEFAULT_ORDERING, "code")
