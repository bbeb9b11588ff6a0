"""Who may run an event: the one rule behind every organiser page and API.

A national regulator organises every event; a provincial regulator the events
hosted in its provinces or naming its office as organiser; a park manager the
events that cover its park. Organisers edit, publish and cancel the event,
review its registrations, check participants in, schedule meetings and record
what was signed there.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.selectors import regulator_jurisdiction
from events.models import Event
from parks.models import Park


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
