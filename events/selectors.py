"""Reads for events and registrations, each scoped to the user asking.

Published events are public. Drafts and cancelled events are seen by their
organisers (events.access). A registration is seen by the members of its
enterprise or institution and by the organisers of its event."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from enterprises.models import EnterpriseMembership
from events.access import can_organise, events_organised_by
from events.filters import EventFilter, RegistrationFilter
from events.models import (
    SEATED_STATUSES,
    Campaign,
    Event,
    EventStatusChange,
    Registration,
)
from products.models import InstitutionMembership, Product

if TYPE_CHECKING:
    from typing import TypeAlias, TypedDict

    from django_stubs_ext import WithAnnotations

    class Seated(TypedDict):
        seats_taken: int  # registrations that hold a place (SEATED_STATUSES)

    # An event as the lists and its page read it: with its places taken.
    SeatedEvent: TypeAlias = WithAnnotations[Event, Seated]


def _for_lists(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return queryset.select_related("host_province", "campaign").prefetch_related("kinds", "parks")


def _with_seats(queryset: QuerySet[Event]) -> QuerySet[SeatedEvent]:
    return queryset.annotate(
        seats_taken=Count("registrations", filter=Q(registrations__status__in=SEATED_STATUSES))
    )


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.annotate(
        event_count=Count("events", filter=Q(events__status=Event.Status.PUBLISHED))
    ).order_by("-starts_on", "pk")


def public_events() -> QuerySet[SeatedEvent]:
    """Published and cancelled events (a cancelled one stays listed, marked,
    so people who planned to come find out), latest first."""
    queryset = Event.objects.filter(
        status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED]
    ).order_by("-starts_at", "-pk")
    return _with_seats(_for_lists(queryset))


def public_event_filter(*, filters: Mapping[str, Any] | None) -> EventFilter:
    return EventFilter(data=filters or None, queryset=public_events())


def events_visible_to(*, user: User | AnonymousUser) -> QuerySet[Event]:
    public = Q(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])
    if not user.is_authenticated:
        return Event.objects.filter(public)
    return Event.objects.filter(public | Q(pk__in=events_organised_by(user=user).values("pk")))


def event_detail(*, slug: str, user: User | AnonymousUser) -> SeatedEvent:
    """One event with what its page shows, or 404 when the user may not see it."""
    event = (
        _with_seats(_for_lists(events_visible_to(user=user)))
        .prefetch_related(
            "participating_provinces",
            "organisers",
            Prefetch(
                "featured_products",
                queryset=Product.objects.select_related("institution").order_by("name_zh"),
            ),
            Prefetch("history", queryset=EventStatusChange.objects.select_related("actor")),
        )
        .filter(slug=slug)
        .first()
    )
    if event is None:
        raise Http404(_("No such event."))
    return event


def organised_event(*, slug: str, user: User | AnonymousUser) -> Event:
    """An event the user organises: 404 when they may not see it, 403 when
    they may see it but do not organise it."""
    event = events_visible_to(user=user).select_related("host_province").filter(slug=slug).first()
    if event is None:
        raise Http404(_("No such event."))
    if not can_organise(user=user, event=event):
        raise PermissionDenied(_("Only the event's organisers may open this."))
    return event


def events_managed_by(*, user: User | AnonymousUser) -> QuerySet[SeatedEvent]:
    return _with_seats(_for_lists(events_organised_by(user=user))).order_by("-starts_at", "-pk")


def _party_filter(user: User) -> Q:
    return Q(
        enterprise_id__in=EnterpriseMembership.objects.filter(user=user).values("enterprise_id")
    ) | Q(
        institution_id__in=InstitutionMembership.objects.filter(user=user).values("institution_id")
    )


def _registrations_for_lists(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    return queryset.select_related(
        "event__host_province", "enterprise__province", "institution", "registered_by"
    )


def _filtered(
    queryset: QuerySet[Registration], filters: Mapping[str, Any] | None
) -> QuerySet[Registration]:
    if not filters:
        return queryset
    filtered: QuerySet[Registration] = RegistrationFilter(data=filters, queryset=queryset).qs
    return filtered


def own_registrations(
    *, user: User | AnonymousUser, filters: Mapping[str, Any] | None = None
) -> QuerySet[Registration]:
    """The registrations of the enterprises and institutions the user acts for."""
    if not user.is_authenticated:
        return Registration.objects.none()
    queryset = Registration.objects.filter(_party_filter(user)).order_by("-event__starts_at", "-pk")
    return _filtered(_registrations_for_lists(queryset), filters)


def registrations_for(
    *, user: User | AnonymousUser, filters: Mapping[str, Any] | None = None
) -> QuerySet[Registration]:
    """Every registration the user may read: their parties' own, and those of
    the events they organise."""
    if not user.is_authenticated:
        return Registration.objects.none()
    queryset = Registration.objects.filter(
        _party_filter(user) | Q(event_id__in=events_organised_by(user=user).values("pk"))
    ).order_by("-created_at", "-pk")
    return _filtered(_registrations_for_lists(queryset), filters)


def event_registrations(
    *, event: Event, filters: Mapping[str, Any] | None = None
) -> QuerySet[Registration]:
    """An event's registrations for its organisers, in the order they came."""
    queryset = Registration.objects.filter(event=event).order_by("created_at", "pk")
    return _filtered(_registrations_for_lists(queryset), filters)


def registration_detail(*, code: str, user: User | AnonymousUser) -> Registration:
    """A registration by its code, for its party and its event's organisers."""
    registration = (
        registrations_for(user=user)
        .select_related("event")
        .prefetch_related("history__actor")
        .filter(code=code)
        .first()
    )
    if registration is None:
        raise Http404(_("No such registration."))
    return registration


def registration_by_id(*, pk: int, user: User | AnonymousUser) -> Registration:
    registration = (
        registrations_for(user=user).prefetch_related("history__actor").filter(pk=pk).first()
    )
    if registration is None:
        raise Http404(_("No such registration."))
    return registration


def own_registrations_at(*, event: Event, user: User | AnonymousUser) -> list[Registration]:
    """The user's parties' registrations at one event, newest first."""
    if not user.is_authenticated:
        return []
    return list(
        Registration.objects.filter(_party_filter(user), event=event)
        .select_related("enterprise", "institution")
        .order_by("-created_at", "-pk")
    )


def waiting_position(*, registration: Registration) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=Registration.Status.WAITLISTED
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1
