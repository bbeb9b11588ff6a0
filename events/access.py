"""Who may run an event: the one rule behind every organiser page and API.

A national regulator organises every event; a provincial regulator the events
hosted in its provinces or naming its office as organiser; a park manager the
events that cover its park. Organisers edit, publish and cancel the event,
review its registrations, check participants in, schedule meetings and record
what was signed there. A registration's party (the members of its enterprise
or institution) may cancel it.

These are the sides of the event and registration workflows
(events.workflows): `event_sides` and `registration_sides`.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.selectors import regulator_jurisdiction
from enterprises.models import EnterpriseMembership
from events.models import Event, Registration
from parks.models import Park
from products.models import InstitutionMembership

# The sides of the event and registration workflows.
ORGANISER = "organiser"
REGISTRANT = "registrant"


def managed_parks(*, user: User | AnonymousUser) -> QuerySet[Park]:
    if not user.is_authenticated:
        return Park.objects.none()
    return Park.objects.filter(memberships__user=user)


def events_organised_by(*, user: User | AnonymousUser) -> QuerySet[Event]:
    """The events `user` may run, as a queryset to filter or count."""
    if not user.is_authenticated:
        return Event.objects.none()
    rule = Q(parks__memberships__user=user)
    jurisdiction = regulator_jurisdiction(user=user)
    if jurisdiction is not None:
        if jurisdiction.national:
            return Event.objects.all()
        rule |= Q(host_province__in=jurisdiction.provinces) | Q(organisers__memberships__user=user)
    return Event.objects.filter(pk__in=Event.objects.filter(rule).values("pk"))


def can_organise(*, user: User | AnonymousUser, event: Event) -> bool:
    return events_organised_by(user=user).filter(pk=event.pk).exists()


def can_create_events(*, user: User | AnonymousUser) -> bool:
    """Regulators create events in their jurisdiction; park managers for their own parks."""
    if not user.is_authenticated:
        return False
    return regulator_jurisdiction(user=user) is not None or managed_parks(user=user).exists()


def acts_for_party(*, registration: Registration, user: User | AnonymousUser) -> bool:
    """Whether the user is a member of the registration's enterprise or institution."""
    if not user.is_authenticated:
        return False
    if registration.enterprise_id:
        return EnterpriseMembership.objects.filter(
            user=user, enterprise_id=registration.enterprise_id
        ).exists()
    if registration.institution_id:
        return InstitutionMembership.objects.filter(
            user=user, institution_id=registration.institution_id
        ).exists()
    return False


def event_sides(*, event: Event, user: User | AnonymousUser) -> set[str]:
    """The organiser, or nobody: only organisers move an event."""
    return {ORGANISER} if can_organise(user=user, event=event) else set()


def registration_sides(*, registration: Registration, user: User | AnonymousUser) -> set[str]:
    """The event's organiser, the registration's party, both or neither."""
    sides = event_sides(event=registration.event, user=user)
    if acts_for_party(registration=registration, user=user):
        sides.add(REGISTRANT)
    return sides
