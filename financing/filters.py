"""Filters for application lists: the bank's queue and the enterprise's list."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.amounts import AmountFilter
from financing.models import Application


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Application.Status.choices
    )
    product = django_filters.CharFilter(
        label=_("Product code"), field_name="product__code", lookup_expr="exact"
    )
    submitted_from = django_filters.DateFilter(
        label=_("Submitted from"), field_name="submitted_at", lookup_expr="date__gte"
    )
    submitted_to = django_filters.DateFilter(
        label=_("Submitted until"), field_name="submitted_at", lookup_expr="date__lte"
    )
    amount_min = AmountFilter(
        label=_("Amount from (CNY)"), field_name="amount_requested", lookup_expr="gte"
    )
    amount_max = AmountFilter(
        label=_("Amount up to (CNY)"), field_name="amount_requested", lookup_expr="lte"
    )
    q = django_filters.CharFilter(label=_("Enterprise"), method="search_enterprise")
    ordering = django_filters.OrderingFilter(
        label=_("Order by"),
        fields=(
            ("submitted_at", "submitted"),
            ("created_at", "created"),
            ("amount_requested", "amount"),
            ("status", "status"),
        ),
        field_labels={
            "submitted_at": _("Submitted"),
            "created_at": _("Created"),
            "amount_requested": _("Amount"),
            "status": _("Status"),
        },
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
