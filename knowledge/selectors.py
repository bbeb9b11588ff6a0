"""Reads for the knowledge base: public lists and details with their filters,
a collection's download figures, and the items a regulator manages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from knowledge.access import items_managed_by
from knowledge.filters import FILTERS, KnowledgeFilter
from knowledge.kinds import KINDS, Kind
from knowledge.models import (
    Collection,
    CollectionDownload,
    CooperationAgreement,
    MediaReport,
    Policy,
    TrainingSession,
    TypicalCase,
)

# How many days of a collection's downloads its page lists, from the first.
DOWNLOAD_DAYS_SHOWN = 14


def _first_day_downloads() -> Coalesce:
    """Counted downloads on the day the collection was published: one
    subquery on the (collection, day) index, not a join over every download."""
    per_collection = (
        CollectionDownload.objects.filter(collection=OuterRef("pk"), day=OuterRef("published_on"))
        .order_by()
        .values("collection")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_collection, output_field=IntegerField()), Value(0))


def policies() -> QuerySet[Policy]:
    return Policy.objects.select_related("province")


def typical_cases() -> QuerySet[TypicalCase]:
    return TypicalCase.objects.select_related("province").prefetch_related("ip_kinds")


def collections() -> QuerySet[Collection]:
    return (
        Collection.objects.select_related("publisher", "province", "campaign")
        .prefetch_related("policies", "cases")
        .annotate(first_day_downloads=_first_day_downloads())
    )


def training_sessions() -> QuerySet[TrainingSession]:
    return TrainingSession.objects.select_related("province", "park", "campaign", "organiser")


def media_reports() -> QuerySet[MediaReport]:
    return MediaReport.objects.select_related("campaign", "event__host_province")


def cooperation_agreements() -> QuerySet[CooperationAgreement]:
    return (
        CooperationAgreement.objects.select_related("office__province", "campaign")
        .prefetch_related("institutions")
        .annotate(member_count=Count("institutions", distinct=True))
    )


PUBLIC = {
    "policies": policies,
    "cases": typical_cases,
    "collections": collections,
    "trainings": training_sessions,
    "media": media_reports,
    "agreements": cooperation_agreements,
}


def knowledge_filter(*, kind: Kind, filters: Mapping[str, Any] | None) -> KnowledgeFilter:
    """The kind's FilterSet bound to the query: its form and errors for the
    page, its `qs` for the list (invalid values are left out)."""
    return FILTERS[kind.slug](data=filters or {}, queryset=PUBLIC[kind.slug]())


def knowledge_list(*, kind: Kind, filters: Mapping[str, Any] | None) -> QuerySet:
    listed: QuerySet = knowledge_filter(kind=kind, filters=filters).qs
    return listed


def knowledge_item(*, kind: Kind, pk: int) -> Any:
    """One item, as its list shows it. Http404 when there is none."""
    item = PUBLIC[kind.slug]().filter(pk=pk).first()
    if item is None:
        raise Http404(_("No such item."))
    return item


@dataclass(frozen=True)
class Section:
    kind: Kind
    count: int
    latest: list[Any]


def knowledge_overview(*, latest: int = 3) -> list[Section]:
    """Each kind with how many there are and the newest few: two queries a kind."""
    return [
        Section(kind=kind, count=PUBLIC[slug]().count(), latest=list(PUBLIC[slug]()[:latest]))
        for slug, kind in KINDS.items()
    ]


def collection_contents(
    *, collection: Collection
) -> tuple[QuerySet[Policy], QuerySet[TypicalCase]]:
    return (
        collection.policies.select_related("province").order_by("-issued_on", "pk"),
        collection.cases.select_related("province").order_by("-published_on", "pk"),
    )


@dataclass(frozen=True)
class DownloadFigures:
    total: int
    first_day: int
    by_day: list[tuple[dt.date, int]]


def collection_download_figures(*, collection: Collection) -> DownloadFigures:
    """Counted downloads (one per visitor per day), all told, on the day of
    publication, and day by day from then on; all counted from rows."""
    rows = CollectionDownload.objects.filter(collection=collection)
    by_day = list(
        rows.filter(day__gte=collection.published_on)
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
        .values_list("day", "n")[:DOWNLOAD_DAYS_SHOWN]
    )
    first_day = next((n for day, n in by_day if day == collection.published_on), 0)
    return DownloadFigures(total=rows.count(), first_day=first_day, by_day=by_day)


def managed_list(*, kind: Kind, user: User | AnonymousUser) -> QuerySet:
    """The kind's items the user manages, newest first, as their list shows them."""
    managed = items_managed_by(user=user, model=kind.model).values("pk")
    ordering = FILTERS[kind.slug].orderings[0][0]
    return PUBLIC[kind.slug]().filter(pk__in=managed).order_by(ordering, "-pk")


def managed_item(*, kind: Kind, user: User | AnonymousUser, pk: int) -> Any:
    """One item the user manages; Http404 for anyone else's."""
    item = managed_list(kind=kind, user=user).filter(pk=pk).first()
    if item is None:
        raise Http404(_("No such item."))
    return item


def managed_counts(*, user: User | AnonymousUser) -> list[tuple[Kind, int]]:
    return [
        (kind, items_managed_by(user=user, model=kind.model).count()) for kind in KINDS.values()
    ]
