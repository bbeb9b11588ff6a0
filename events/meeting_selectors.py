"""Reads for 1:1 meetings at events, each scoped to the user asking.

Who sees a meeting: the members of its enterprise and of its institution, and
the organisers of its event (`events.access`). Everyone else is told nothing,
not even that it exists."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import User
from enterprises.models import EnterpriseMembership
from events.access import can_organise, events_organised_by
from events.models import Event, EventSlot, Meeting, MeetingStatusChange, Registration
from products.models import Institution, InstitutionMembership

_M = Meeting.Status
# Meetings that take a slot: the database allows one per party per slot.
BOOKED = (_M.ACCEPTED, _M.HELD)
# A party takes part once its registration stands: not cancelled and not
# merely on the waiting list.
ACTIVE_REGISTRATION = (
    Registration.Status.REGISTERED,
    Registration.Status.CONFIRMED,
    Registration.Status.CHECKED_IN,
)

ENTERPRISE = "enterprise"
INSTITUTION = "institution"
ORGANISER = "organiser"


def _for_lists(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return queryset.select_related("event", "slot", "enterprise", "institution")


def _party_rule(user: User) -> Q:
    return Q(
        enterprise_id__in=EnterpriseMembership.objects.filter(user=user).values("enterprise_id")
    ) | Q(
        institution_id__in=InstitutionMembership.objects.filter(user=user).values("institution_id")
    )


def meetings_for(
    *, user: User | AnonymousUser, event: Event | None = None, status: str = ""
) -> QuerySet[Meeting]:
    """The meetings of the enterprises and institutions the user acts for,
    soonest slot first; unscheduled requests last."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    queryset = Meeting.objects.filter(_party_rule(user))
    if event is not None:
        queryset = queryset.filter(event=event)
    if status:
        queryset = queryset.filter(status=status)
    return _for_lists(queryset).order_by("event__starts_at", "slot__starts_at", "id")


def event_meetings(*, event: Event, status: str = "") -> QuerySet[Meeting]:
    """Every meeting of an event, for its organisers."""
    queryset = Meeting.objects.filter(event=event)
    if status:
        queryset = queryset.filter(status=status)
    return _for_lists(queryset).order_by("slot__starts_at", "institution_id", "id")


def _visible_to(user: User | AnonymousUser) -> QuerySet[Meeting]:
    if not user.is_authenticated:
        return Meeting.objects.none()
    return Meeting.objects.filter(
        _party_rule(user) | Q(event_id__in=events_organised_by(user=user).values("pk"))
    )


def meeting_detail(*, pk: int, user: User | AnonymousUser) -> Meeting:
    """One meeting with its history, or Http404 when the user may not see it."""
    meeting = (
        _visible_to(user)
        .select_related("event", "slot", "enterprise", "institution", "requested_by")
        .prefetch_related(
            Prefetch("history", queryset=MeetingStatusChange.objects.select_related("actor"))
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def meeting_sides(*, meeting: Meeting, user: User | AnonymousUser) -> set[str]:
    """Whom the user acts for in this meeting: its enterprise, its
    institution, its event's organisers; any of these or none."""
    if not user.is_authenticated:
        return set()
    sides = set()
    if EnterpriseMembership.objects.filter(user=user, enterprise_id=meeting.enterprise_id).exists():
        sides.add(ENTERPRISE)
    if InstitutionMembership.objects.filter(
        user=user, institution_id=meeting.institution_id
    ).exists():
        sides.add(INSTITUTION)
    if can_organise(user=user, event=meeting.event):
        sides.add(ORGANISER)
    return sides


def slot_label(slot: EventSlot) -> str:
    """A slot in the portal's time zone ("2020-11-20 14:00–14:30")."""
    return str(slot)


def event_slots(*, event: Event) -> QuerySet[EventSlot]:
    """The event's slots in order, each with `booked`: how many meetings take it."""
    return (
        EventSlot.objects.filter(event=event)
        .annotate(booked=Count("meetings", filter=Q(meetings__status__in=BOOKED)))
        .order_by("starts_at")
    )


def is_booked(
    *, slot: EventSlot, enterprise_id: int | None = None, institution_id: int | None = None
) -> bool:
    """Whether the enterprise or the institution already meets someone in the slot."""
    party = Q()
    if enterprise_id is not None:
        party |= Q(enterprise_id=enterprise_id)
    if institution_id is not None:
        party |= Q(institution_id=institution_id)
    return Meeting.objects.filter(party, slot=slot, status__in=BOOKED).exists()


def active_registration(
    *, event: Event, enterprise_id: int | None = None, institution_id: int | None = None
) -> Registration | None:
    registrations = Registration.objects.filter(event=event, status__in=ACTIVE_REGISTRATION)
    if enterprise_id is not None:
        return registrations.filter(enterprise_id=enterprise_id).first()
    if institution_id is not None:
        return registrations.filter(institution_id=institution_id).first()
    return None


def institutions_to_meet(*, event: Event) -> QuerySet[Institution]:
    """The institutions registered for the event, for an enterprise to ask."""
    return Institution.objects.filter(
        registrations__event=event, registrations__status__in=ACTIVE_REGISTRATION
    ).order_by("name_zh", "pk")


def published_event(*, slug: str) -> Event:
    event = Event.objects.filter(slug=slug, status=Event.Status.PUBLISHED).first()
    if event is None:
        raise Http404("No such event.")
    return event


def organised_event(*, slug: str, user: User | AnonymousUser) -> Event:
    """An event the user organises (any status), or Http404."""
    event = events_organised_by(user=user).filter(slug=slug).first()
    if event is None:
        raise Http404("No such event.")
    return event


def event_for_parties(*, slug: str, user: User | AnonymousUser) -> Event:
    """A published event, or one the user organises."""
    event = events_organised_by(user=user).filter(slug=slug).first()
    return event or published_event(slug=slug)
