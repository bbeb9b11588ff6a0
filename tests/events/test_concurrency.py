"""Places under contention: two people taking the last place, two places
freed at once. Needs real row locks, so PostgreSQL and committed data.

Transactional tests flush the database when they end; tests/conftest.py loads
the reference data and the demo campaign again before the next one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from core.exceptions import Conflict
from events.models import SEATED_STATUSES, Event, Registration, RegistrationStatusChange
from events.services import registration_cancel, registration_check_in_by_code, registration_create
from tests.factories import (
    EnterpriseFactory,
    EventFactory,
    ParkFactory,
    RegulatorOfficeFactory,
    UserFactory,
    member_of,
)
from tests.financing.test_concurrency import at_once

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]
R = Registration.Status


def full_event(capacity: int) -> Event:
    event = EventFactory(capacity=capacity, starts_at=timezone.now() + dt.timedelta(days=3))
    event.parks.add(ParkFactory())
    return event


def party():
    enterprise = EnterpriseFactory()
    return member_of(enterprise, UserFactory()), enterprise


def test_two_people_after_the_last_place_one_gets_it_the_other_waits():
    event = full_event(capacity=1)
    (a_user, a), (b_user, b) = party(), party()

    outcomes = at_once(
        lambda: registration_create(event=event, actor=a_user, enterprise=a),
        lambda: registration_create(event=event, actor=b_user, enterprise=b),
    )

    assert all(isinstance(o, Registration) for o in outcomes), outcomes
    statuses = sorted(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == sorted([R.CONFIRMED, R.WAITLISTED])


def test_two_places_freed_at_once_go_to_the_two_first_waiting_exactly_once():
    event = full_event(capacity=2)
    people = [party() for _ in range(5)]
    registrations = [
        registration_create(event=event, actor=user, enterprise=enterprise)
        for user, enterprise in people
    ]
    assert [r.status for r in registrations] == [R.CONFIRMED] * 2 + [R.WAITLISTED] * 3

    outcomes = at_once(
        *[
            lambda r=r, user=user: registration_cancel(registration=r, actor=user)
            for r, (user, _e) in zip(registrations[:2], people[:2], strict=True)
        ]
    )

    assert all(isinstance(o, Registration) for o in outcomes), outcomes
    after = {r.pk: r.status for r in Registration.objects.filter(event=event)}
    assert [after[r.pk] for r in registrations] == [
        R.CANCELLED,
        R.CANCELLED,
        R.CONFIRMED,
        R.CONFIRMED,
        R.WAITLISTED,
    ]
    assert Registration.objects.filter(event=event, status__in=SEATED_STATUSES).count() == 2
    for promoted in registrations[2:4]:
        assert (
            RegistrationStatusChange.objects.filter(
                registration=promoted, from_status=R.WAITLISTED
            ).count()
            == 1
        )


def test_two_desks_scanning_one_code_at_once_check_in_once():
    event = full_event(capacity=10)
    user, enterprise = party()
    registration = registration_create(event=event, actor=user, enterprise=enterprise)
    # The desks open once the event is under way.
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - dt.timedelta(minutes=30), ends_at=now + dt.timedelta(hours=3)
    )
    event.refresh_from_db()
    national = RegulatorOfficeFactory(level="national", province_id=None)
    desks = [member_of(national, UserFactory()) for _ in range(2)]

    outcomes = at_once(
        *[
            lambda desk=desk: registration_check_in_by_code(
                event=event, actor=desk, code=registration.code
            )
            for desk in desks
        ]
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Registration"], outcomes
    assert [o.code for o in outcomes if isinstance(o, Conflict)] == ["already_checked_in"]
    assert (
        RegistrationStatusChange.objects.filter(
            registration=registration, to_status=R.CHECKED_IN
        ).count()
        == 1
    )
