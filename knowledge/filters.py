"""Search, filters and sorting for the knowledge lists, shared by the pages and the API."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.filters import DateFilter
from core.models import IPKind, Province
from events.models import Campaign, Event
from knowledge.models import (
    Collection,
    CooperationAgreement,
    Level,
    MediaReport,
    Policy,
    TrainingSession,
    TypicalCase,
)

TITLE_SEARCH = ("title_zh", "title_en", "summary_zh", "summary_en")


PROVINCE = _("Province")


def _province(field_name: str, label: Any = PROVINCE) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=Province.objects.all(),
        empty_label=_("Any"),
        label=label,
    )


def _campaign(field_name: str = "campaign") -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=Campaign.objects.all(),
        to_field_name="slug",
        empty_label=_("Any"),
        label=_("Campaign"),
    )


def _on_or_after(field_name: str) -> DateFilter:
    return DateFilter(
        field_name=field_name, lookup_expr="gte", label=_("From"), help_text=_("YYYY-MM-DD")
    )


def _on_or_before(field_name: str) -> DateFilter:
    return DateFilter(
        field_name=field_name, lookup_expr="lte", label=_("Until"), help_text=_("YYYY-MM-DD")
    )


def _ordering(choices: list[tuple[str, Any]]) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        choices=choices, method="keep", empty_label=None, label=_("Sort by")
    )


class KnowledgeFilter(django_filters.FilterSet):
    """Free-text search over `search_fields`, the kind's own filters, and one
    of `orderings` (the first by default), ties broken by the newest row."""

    search_fields: ClassVar[tuple[str, ...]] = TITLE_SEARCH
    orderings: ClassVar[list[tuple[str, Any]]] = []

    q = django_filters.CharFilter(method="search", label=_("Search"))

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        match = Q()
        for field in self.search_fields:
            match |= Q(**{f"{field}__icontains": value})
        return queryset.filter(match)

    def keep(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied last, in filter_queryset, so there is always an order

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        ordering = self.form.cleaned_data.get("ordering") or self.orderings[0][0]
        # The primary key breaks ties, so pages never overlap or skip a row.
        return queryset.order_by(ordering, "-pk")


class PolicyFilter(KnowledgeFilter):
    search_fields = (*TITLE_SEARCH, "issuer_zh", "issuer_en", "document_number")
    orderings = [
        ("-issued_on", _("Newest first")),
        ("issued_on", _("Oldest first")),
        ("title_zh", _("Title")),
    ]
    level = django_filters.ChoiceFilter(
        choices=Level.choices, empty_label=_("Any"), label=_("Level")
    )
    province = _province("province", label=_("Region"))
    issued_from = _on_or_after("issued_on")
    issued_to = _on_or_before("issued_on")
    ordering = _ordering(orderings)

    class Meta:
        model = Policy
        fields: list[str] = []


class TypicalCaseFilter(KnowledgeFilter):
    search_fields = (*TITLE_SEARCH, "enterprise_name", "institution_name")
    orderings = [
        ("-published_on", _("Newest first")),
        ("published_on", _("Oldest first")),
        ("-amount", _("Largest amount first")),
    ]
    province = _province("province")
    ip_kind = django_filters.ModelChoiceFilter(
        field_name="ip_kinds",
        queryset=IPKind.objects.all(),
        empty_label=_("Any"),
        label=_("IP kind"),
        distinct=True,
    )
    published_from = _on_or_after("published_on")
    published_to = _on_or_before("published_on")
    ordering = _ordering(orderings)

    class Meta:
        model = TypicalCase
        fields: list[str] = []


class CollectionFilter(KnowledgeFilter):
    orderings = [
        ("-published_on", _("Newest first")),
        ("-download_count", _("Most downloaded first")),
        ("title_zh", _("Title")),
    ]
    province = _province("province")
    campaign = _campaign()
    published_from = _on_or_after("published_on")
    published_to = _on_or_before("published_on")
    ordering = _ordering(orderings)

    class Meta:
        model = Collection
        fields: list[str] = []


class TrainingSessionFilter(KnowledgeFilter):
    search_fields = (*TITLE_SEARCH, "city_zh", "city_en", "park__name_zh", "park__name_en")
    orderings = [
        ("-held_on", _("Newest first")),
        ("held_on", _("Oldest first")),
        ("-participants", _("Most participants first")),
    ]
    province = _province("province")
    campaign = _campaign()
    held_from = _on_or_after("held_on")
    held_to = _on_or_before("held_on")
    ordering = _ordering(orderings)

    class Meta:
        model = TrainingSession
        fields: list[str] = []


class MediaReportFilter(KnowledgeFilter):
    search_fields = ("title", "outlet_zh", "outlet_en")
    orderings = [
        ("-published_on", _("Newest first")),
        ("published_on", _("Oldest first")),
        ("outlet_zh", _("Outlet")),
    ]
    province = _province("event__host_province", label=_("Event's province"))
    campaign = _campaign()
    event = django_filters.ModelChoiceFilter(
        queryset=Event.objects.all(),
        to_field_name="slug",
        empty_label=_("Any"),
        label=_("Event"),
    )
    published_from = _on_or_after("published_on")
    published_to = _on_or_before("published_on")
    ordering = _ordering(orderings)

    class Meta:
        model = MediaReport
        fields: list[str] = []


class CooperationAgreementFilter(KnowledgeFilter):
    search_fields = (*TITLE_SEARCH, "office__name_zh", "office__name_en")
    orderings = [
        ("-signed_on", _("Newest first")),
        ("signed_on", _("Oldest first")),
        ("-member_count", _("Most institutions first")),
    ]
    kind = django_filters.ChoiceFilter(
        choices=CooperationAgreement.Kind.choices, empty_label=_("Any"), label=_("Kind")
    )
    province = _province("office__province", label=_("Office's province"))
    campaign = _campaign()
    signed_from = _on_or_after("signed_on")
    signed_to = _on_or_before("signed_on")
    ordering = _ordering(orderings)

    class Meta:
        model = CooperationAgreement
        fields: list[str] = []


FILTERS: dict[str, type[KnowledgeFilter]] = {
    "policies": PolicyFilter,
    "cases": TypicalCaseFilter,
    "collections": CollectionFilter,
    "trainings": TrainingSessionFilter,
    "media": MediaReportFilter,
    "agreements": CooperationAgreementFilter,
}
