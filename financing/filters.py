"""Filters for application lists: the bank's queue and the enterprise's list."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.amounts import AmountFilter
from core.filters import DateFilter, Sort, ordering_filter
from financing.models import Application


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Application.Status.choices
    )
    product = django_filters.CharFilter(
        label=_("Product code"), field_name="product__code", lookup_expr="exact"
    )
    submitted_from = DateFilter(
        label=_("Submitted from"), field_name="submitted_at", lookup_expr="date__gte"
    )
    submitted_to = DateFilter(
        label=_("Submitted until"), field_name="submitted_at", lookup_expr="date__lte"
    )
    amount_min = AmountFilter(
        label=_("Amount from (CNY)"), field_name="amount_requested", lookup_expr="gte"
    )
    amount_max = AmountFilter(
        label=_("Amount up to (CNY)"), field_name="amount_requested", lookup_expr="lte"
    )
    q = django_filters.CharFilter(label=_("Enterprise"), method="search_enterprise")
    ordering = ordering_filter(
        Sort(
            "submitted_at", "submitted", _("Submitted, oldest first"), _("Submitted, newest first")
        ),
        Sort("created_at", "created", _("Created, oldest first"), _("Created, newest first")),
        Sort("amount_requested", "amount", _("Amount, smallest first"), _("Amount, largest first")),
        Sort("status", "status", _("Status, A to Z"), _("Status, Z to A")),
        label=_("Order by"),
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def search_enterprise(
        self, queryset: QuerySet[Application], name: str, value: str
    ) -> QuerySet[Application]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name_zh__icontains=value)
            | Q(enterprise__name_en__icontains=value)
            | Q(enterprise__credit_code__iexact=value)
        )
