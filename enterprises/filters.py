"""Filters for an enterprise's IP portfolio, shared by the page and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import Sort, ordering_filter
from core.models import PATENT_KINDS, IPKind
from core.validators import normalize_patent_number
from enterprises.models import IPAsset

if TYPE_CHECKING:
    from enterprises.selectors import PledgedAsset


class IPAssetFilter(django_filters.FilterSet):
    """Expects the `is_pledged` annotation of `enterprises.selectors.ip_assets_for`."""

    kind = django_filters.ChoiceFilter(
        field_name="kind_id", choices=IPKind.Code.choices, label=_("Kind"), empty_label=_("All")
    )
    legal_status = django_filters.ChoiceFilter(
        choices=IPAsset.LegalStatus.choices, label=_("Legal status"), empty_label=_("All")
    )
    pledged = django_filters.BooleanFilter(
        method="filter_pledged",
        label=_("Pledged"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
        help_text=_("true: only assets in an active pledge; false: only free ones."),
    )
    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Part of the number or the title."),
    )
    ordering = ordering_filter(
        Sort("number", "number", _("Number, ascending"), _("Number, descending")),
        Sort("title", "title", _("Title, A to Z"), _("Title, Z to A")),
        Sort("filed_on", "filed_on", _("Filed, oldest first"), _("Filed, newest first")),
        Sort(
            "appraised_value",
            "appraised_value",
            _("Appraised value, lowest first"),
            _("Appraised value, highest first"),
        ),
        Sort(
            "appraised_on",
            "appraised_on",
            _("Appraised, oldest first"),
            _("Appraised, newest first"),
        ),
        label=_("Sort by"),
        empty_label=_("Kind and number"),
    )

    class Meta:
        model = IPAsset
        fields = ["kind", "legal_status"]

    def filter_pledged(
        self, queryset: QuerySet[PledgedAsset], name: str, value: bool
    ) -> QuerySet[PledgedAsset]:
        # django-filter calls a filter's method only with a value ("All" skips it).
        return queryset.filter(is_pledged=value)

    def filter_search(
        self, queryset: QuerySet[IPAsset], name: str, value: str
    ) -> QuerySet[IPAsset]:
        value = value.strip()
        if not value:
            return queryset
        match = Q(number__icontains=value) | Q(title__icontains=value)
        # "CN 202010123456.7" finds the stored canonical "202010123456.7".
        try:
            canonical = normalize_patent_number(value)
        except ValidationError:
            pass
        else:
            match |= Q(number=canonical, kind_id__in=PATENT_KINDS)
        return queryset.filter(match)
