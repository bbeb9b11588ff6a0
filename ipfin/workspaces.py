"""Where each role lands after signing in, and what needs its attention there.

A user who acts for several kinds of organisation lands on the first in
`LANDING_ORDER` and switches in the navigation bar. The bank's, the
enterprise's and the park manager's workspaces open with what waits for them;
each count links to the list it counts, filtered by the same query string
(`Attention.query`), so the number and the list always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from enterprises.models import Enterprise
from enterprises.selectors import verification_queue
from events.access import managed_parks
from events.models import Event, Registration
from financing.models import Application
from financing.selectors import application_queue, applications_for_enterprise
from ipfin.context_processors import _memberships
from matching.models import LeadInvitation
from matching.selectors import ACTIVE_REGISTRATIONS, invitations_received

# The first workspace of a user with several roles: the bank's queue is the
# most pressing, then the enterprise's answers, the park's approvals, and the
# regulator's dashboard, which waits for no one.
LANDING_ORDER = ("institution", "enterprise", "park", "regulator")
LANDING_PAGES = {
    "institution": "products:manage",
    "enterprise": "enterprises:workspace",
    "park": "park-workspace",
    "regulator": "dashboards:overview",
}
# How many rows each block of a workspace lists; its count links to the rest.
SHOWN = 5


def landing_roles(user: User) -> list[str]:
    """The roles the user holds, in `LANDING_ORDER`."""
    memberships = _memberships()
    return [
        role
        for role in LANDING_ORDER
        if memberships[role]._default_manager.filter(user=user).exists()
    ]


def landing_page(user: User) -> str | None:
    """The workspace of the user's first role, or None for one who acts for no organisation."""
    roles = landing_roles(user)
    return reverse(LANDING_PAGES[roles[0]]) if roles else None


def answer_days() -> int:
    """Days a bank may take over a submitted application before it shows as overdue."""
    return int(settings.IPFIN_ANSWER_DAYS)


@dataclass
class Tally:
    """A number that links to the list it counts."""

    n: int
    url: str


def _counted(url_name: str, query: dict[str, Any], n: int) -> Tally:
    return Tally(n=n, url=f"{reverse(url_name)}?{urlencode(query, doseq=True)}")


def _filters(query: dict[str, Any]) -> QueryDict:
    return QueryDict(urlencode(query, doseq=True))


# --- the bank ---------------------------------------------------------------


@dataclass
class InstitutionAttention:
    new: Tally
    overdue: Tally
    unanswered: Tally
    days: int
    oldest: list[Application] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.new.n or self.overdue.n or self.unanswered.n)


def institution_attention(*, user: User | AnonymousUser) -> InstitutionAttention:
    """New applications, applications waiting for the bank for more than
    `answer_days()` days since they were submitted (submitted or under
    review), and the bank's requests for information the enterprise has not
    answered yet; each query is the queue's own filter."""
    days = answer_days()
    cutoff = timezone.localdate() - dt.timedelta(days=days)
    new_q = {"status": [Application.Status.SUBMITTED]}
    overdue_q = {
        "status": [Application.Status.SUBMITTED, Application.Status.UNDER_REVIEW],
        "submitted_to": cutoff.isoformat(),
        "ordering": "submitted",
    }
    unanswered_q = {"status": [Application.Status.INFO_REQUESTED]}
    overdue = application_queue(user=user, filters=_filters(overdue_q))
    counts = application_queue(user=user).aggregate(
        new=Count("pk", filter=Q(status=Application.Status.SUBMITTED)),
        overdue=Count("pk", filter=Q(pk__in=overdue.values("pk"))),
        unanswered=Count("pk", filter=Q(status=Application.Status.INFO_REQUESTED)),
    )
    return InstitutionAttention(
        new=_counted("financing:queue", new_q, counts["new"]),
        overdue=_counted("financing:queue", overdue_q, counts["overdue"]),
        unanswered=_counted("financing:queue", unanswered_q, counts["unanswered"]),
        days=days,
        oldest=list(overdue.select_related("enterprise", "product")[:SHOWN])
        if counts["overdue"]
        else [],
    )


# --- the enterprise ---------------------------------------------------------


@dataclass
class EnterpriseAttention:
    info_requests: Tally
    asked: list[Application]
    invitations: list[LeadInvitation]
    registered: list[Registration]
    open_events: list[Event]
    registrations_url: str
    events_url: str


def _upcoming() -> QuerySet[Event]:
    return Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__gte=timezone.now())


def enterprise_attention(
    *, user: User | AnonymousUser, enterprise: Enterprise
) -> EnterpriseAttention:
    """The bank's questions to answer, the banks' open invitations, the
    upcoming events the enterprise registered for and those it may still
    register for."""
    asked_q = {"status": [Application.Status.INFO_REQUESTED]}
    asked = applications_for_enterprise(user=user, filters=_filters(asked_q)).filter(
        enterprise=enterprise
    )
    asked_rows = list(asked.select_related("product", "product__institution")[: SHOWN + 1])
    n_asked = len(asked_rows) if len(asked_rows) <= SHOWN else asked.count()
    now = timezone.now()
    registered = list(
        Registration.objects.filter(
            enterprise=enterprise,
            status__in=(*ACTIVE_REGISTRATIONS, Registration.Status.WAITLISTED),
            event__ends_at__gte=now,
            event__status=Event.Status.PUBLISHED,
        )
        .select_related("event")
        .order_by("event__starts_at", "pk")[:SHOWN]
    )
    open_events = list(
        _upcoming()
        .filter(Q(registration_deadline__isnull=True) | Q(registration_deadline__gte=now))
        .exclude(
            registrations__enterprise=enterprise,
            registrations__status__in=(*ACTIVE_REGISTRATIONS, Registration.Status.WAITLISTED),
        )
        .select_related("host_province")
        .order_by("starts_at", "pk")[:SHOWN]
    )
    invitations = list(invitations_received(user=user).filter(enterprise=enterprise)[:SHOWN])
    return EnterpriseAttention(
        info_requests=_counted("financing:list", asked_q, n_asked),
        asked=asked_rows[:SHOWN],
        invitations=invitations,
        registered=registered,
        open_events=open_events,
        registrations_url=reverse("events:my-registrations"),
        events_url=f"{reverse('events:list')}?when=upcoming",
    )


# --- the park manager -------------------------------------------------------


@dataclass
class ParkAttention:
    waiting: int
    events: list[Any]
    to_verify: Tally
    parks: list[Any]


def park_attention(*, user: User | AnonymousUser) -> ParkAttention:
    """The upcoming events covering the user's parks, each with its
    registrations waiting for approval, and the enterprises to verify."""
    parks = list(managed_parks(user=user).order_by("name_zh"))
    waiting = Count(
        "registrations",
        filter=Q(registrations__status=Registration.Status.REGISTERED, requires_approval=True),
        distinct=True,
    )
    events = list(
        Event.objects.filter(
            pk__in=Event.objects.filter(parks__in=parks, ends_at__gte=timezone.now())
            .exclude(status=Event.Status.CANCELLED)
            .values("pk")
        )
        .annotate(waiting=waiting)
        .order_by("starts_at", "pk")
    )
    return ParkAttention(
        waiting=sum(event.waiting for event in events),
        events=events,
        to_verify=Tally(
            n=verification_queue(user=user).count(),
            url=reverse("enterprises:verification-queue"),
        ),
        parks=parks,
    )


def registrations_waiting_url(event: Event) -> str:
    return (
        f"{reverse('events:registrations', args=[event.slug])}?"
        f"{urlencode({'status': Registration.Status.REGISTERED})}"
    )
