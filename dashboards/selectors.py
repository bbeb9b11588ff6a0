"""The campaign's figures (docs/figures.md, declared in dashboards/figures.py),
always computed from rows.

Every figure is an aggregate over the events in a scope; the whole summary
takes a fixed number of queries however many rows stand behind it. The reads
go to the read replica when the request allows it (core.db.reading): the
queries that run name it, the subqueries within them follow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, Min, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import Jurisdiction
from core.db import reading
from core.models import Province
from dashboards import figures as registry
from dashboards.figures import ZERO as ZERO
from dashboards.figures import Figures as Figures
from dashboards.figures import counted_contracts, held
from events.models import Campaign, Event, Registration
from financing.models import Contract
from parks.models import Park


@dataclass(frozen=True)
class Scope:
    """Which events the figures are about. Every part is optional."""

    campaign: Campaign | None = None
    province: Province | None = None
    park: Park | None = None
    event: Event | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    month: str | None = None  # "YYYY-MM": events starting in that month


def _narrowed(events: QuerySet[Event], scope: Scope) -> QuerySet[Event]:
    if scope.campaign is not None:
        events = events.filter(campaign=scope.campaign)
    if scope.park is not None:
        # A park's figures are the park's, whichever province hosted the event;
        # a province named with it is the park's own or nothing is.
        events = events.filter(parks=scope.park)
        if scope.province is not None and scope.province.pk != scope.park.province_id:
            events = events.none()
    elif scope.province is not None:
        events = events.filter(host_province=scope.province)
    if scope.event is not None:
        events = events.filter(pk=scope.event.pk)
    if scope.date_from is not None:
        events = events.filter(starts_at__date__gte=scope.date_from)
    if scope.date_to is not None:
        events = events.filter(starts_at__date__lte=scope.date_to)
    if scope.month is not None:
        year, month = (int(part) for part in scope.month.split("-"))
        events = events.filter(starts_at__year=year, starts_at__month=month)
    return events


def events_in_scope(*, scope: Scope) -> QuerySet[Event]:
    """The events of the scope that were held: published and started. Drafts
    and cancelled events did not happen; upcoming ones have not yet."""
    return _narrowed(held(Event.objects.all()), scope)


def upcoming_events_in_scope(*, scope: Scope) -> QuerySet[Event]:
    """The published events of the scope that have not started yet."""
    upcoming = Event.objects.filter(status=Event.Status.PUBLISHED, starts_at__gt=timezone.now())
    return _narrowed(upcoming, scope)


@dataclass(frozen=True)
class Upcoming:
    """What is announced and not yet held: apart from the campaign's results."""

    activities: int
    parks_covered: int
    enterprises_registered: int
    institutions_registered: int
    registrations: int
    first_starts_at: dt.datetime | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _parks_and_parties(event_ids: Any, alias: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Over the events: how many parks they were held in (`n`), and how many
    enterprises and institutions registered, and enterprises' registrations,
    not counting cancelled ones."""
    parks = (
        Event.parks.through.objects.using(alias)
        .filter(event_id__in=event_ids)
        .aggregate(n=Count("park_id", distinct=True))
    )
    parties = (
        Registration.objects.using(alias)
        .filter(event_id__in=event_ids)
        .exclude(status=Registration.Status.CANCELLED)
        .aggregate(
            enterprises=Count("enterprise_id", distinct=True),
            institutions=Count("institution_id", distinct=True),
            registrations=Count("pk", filter=Q(enterprise__isnull=False)),
        )
    )
    return parks, parties


def upcoming_figures(*, scope: Scope) -> Upcoming:
    """The scope's upcoming events, counted from the rows: few and changing."""
    alias = reading()
    event_ids = upcoming_events_in_scope(scope=scope).values("pk")
    totals = (
        Event.objects.using(alias)
        .filter(pk__in=event_ids)
        .aggregate(activities=Count("pk"), first=Min("starts_at"))
    )
    parks, parties = _parks_and_parties(event_ids, alias)
    return Upcoming(
        activities=totals["activities"],
        parks_covered=parks["n"],
        enterprises_registered=parties["enterprises"],
        institutions_registered=parties["institutions"],
        registrations=parties["registrations"],
        first_starts_at=totals["first"],
    )


def campaign_figures(*, scope: Scope) -> Figures:
    """Every figure of `dashboards.figures` over the scope's events, from the
    rows: one aggregate per source (a distinct figure over a source of several
    row sets, such as the host and the participating provinces, counts their
    union in a query of its own)."""
    alias = reading()
    event_ids = events_in_scope(scope=scope).values("pk")
    values: dict[str, Any] = {}
    for source in registry.SOURCES.values():
        counted = [f for f in registry.STORED if f.source == source.name]
        if not counted:
            continue
        if len(source.row_sets) == 1:
            totals = (
                source.row_sets[0](event_ids)
                .using(alias)
                .aggregate(**{f"n_{f.name}": f.aggregate() for f in counted})
            )
            values.update({f.name: totals[f"n_{f.name}"] for f in counted})
            continue
        for figure in counted:  # (a check holds them to distinct figures)
            parties = [
                rows(event_ids)
                .using(alias)
                .filter(**{f"{figure.party}__isnull": False})
                .values(figure.party)
                .order_by()
                for rows in source.row_sets
            ]
            values[figure.name] = parties[0].union(*parties[1:]).count()
    return Figures.build(values)


def _featured_or_latest_started(campaigns: QuerySet[Campaign]) -> Campaign | None:
    """The featured campaign among these; else the latest that has started
    (a campaign announced for next month does not push aside one under way
    or done); else the earliest to come."""
    started_on = Case(When(starts_on__lte=timezone.localdate(), then=F("starts_on")))
    return (
        campaigns.annotate(started_on=started_on)
        .order_by(F("is_featured").desc(), F("started_on").desc(nulls_last=True), "starts_on", "pk")
        .first()
    )


def public_campaign() -> Campaign | None:
    """The campaign whose figures the home page shows: the featured one
    (national regulators choose it), else the latest public one under way or done."""
    return _featured_or_latest_started(Campaign.objects.using(reading()).filter(is_public=True))


def campaigns_readable(*, user: Any, jurisdiction: Jurisdiction) -> QuerySet[Campaign]:
    """The campaigns a regulator may read on the dashboard: every one for a
    national regulator; for a provincial one the public ones and those its
    offices organise."""
    campaigns = Campaign.objects.using(reading())
    if jurisdiction.national:
        return campaigns
    return campaigns.filter(Q(is_public=True) | Q(organisers__memberships__user=user)).distinct()


def default_campaign(*, user: Any, jurisdiction: Jurisdiction) -> Campaign | None:
    """The campaign the dashboard opens on: the featured one if the reader may
    read it, else the latest it may read that has started."""
    return _featured_or_latest_started(campaigns_readable(user=user, jurisdiction=jurisdiction))


def scope_for(*, params: Mapping[str, Any], jurisdiction: Jurisdiction) -> Scope:
    """The scope asked for, held to the regulator's jurisdiction: a provincial
    regulator reads its own province and is refused any other."""
    province: Province | None = params.get("province")
    park: Park | None = params.get("park")
    event: Event | None = params.get("event")
    asked = {
        p
        for p in (
            province.pk if province else None,
            park.province_id if park else None,
            event.host_province_id if event else None,
        )
        if p
    }
    # A park's or an event's figures are those its host province holds.
    if province is None and park is not None:
        province = park.province
    if province is None and event is not None:
        province = event.host_province
    if not jurisdiction.national:
        if any(not jurisdiction.covers(code) for code in asked):
            raise PermissionDenied(_("You may only read figures for your own province."))
        if province is None and len(jurisdiction.provinces) == 1:
            province = Province.objects.get(pk=next(iter(jurisdiction.provinces)))
        elif province is None and not asked:
            raise PermissionDenied(_("Name one of your provinces."))
    return Scope(
        campaign=params.get("campaign"),
        province=province,
        park=park,
        event=event,
        date_from=params.get("date_from"),
        date_to=params.get("date_to"),
        month=params.get("month"),
    )


def contracts_in_scope(
    *,
    scope: Scope,
    institution: Any = None,
    product_kind: str | None = None,
    kind: str | None = None,
) -> QuerySet[Contract]:
    """The contracts behind the scope's figures: signed at its events, newest
    first; optionally one institution's, one product kind's ("none": signed
    without a product) or one contract kind's."""
    contracts = counted_contracts().filter(event__in=events_in_scope(scope=scope).values("pk"))
    if institution is not None:
        contracts = contracts.filter(institution=institution)
    if product_kind == "none":
        contracts = contracts.filter(product__isnull=True)
    elif product_kind:
        contracts = contracts.filter(product__kind=product_kind)
    if kind:
        contracts = contracts.filter(kind=kind)
    return (
        contracts.using(reading())
        .select_related("enterprise", "institution", "product", "event__campaign")
        .order_by("-signed_on", "-id")
    )
