"""The parks list's filters, shared by the API and the park picker."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.models import Province
from parks.models import Park


class ParkFilter(django_filters.FilterSet):
    province = django_filters.ModelChoiceFilter(
        queryset=Province.objects.all(), label=_("Province"), help_text=_("GB/T 2260 code.")
    )
    kind = django_filters.ChoiceFilter(choices=Park.Kind.choices, label=_("Kind"))
    search = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Part of the name or the city.")
    )

    class Meta:
        model = Park
        fields = ["province", "kind", "search"]

    def filter_search(self, queryset: QuerySet[Park], name: str, value: str) -> QuerySet[Park]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name_zh__icontains=value)
            | Q(name_en__icontains=value)
            | Q(city_zh__icontains=value)
            | Q(city_en__icontains=value)
        )
