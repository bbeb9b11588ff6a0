from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import EventSlot, Meeting, Registration
from events.workflows import REGISTRATION
from tests.factories import EnterpriseFactory, EventFactory, InstitutionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_a_registration_names_exactly_one_party():
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=event, enterprise=None, institution=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=event, institution=InstitutionFactory())


def test_a_party_holds_one_open_registration_per_event_but_may_register_after_cancelling():
    first = RegistrationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=first.event, enterprise=first.enterprise)

    Registration.objects.filter(pk=first.pk).update(status=Registration.Status.CANCELLED)
    again = RegistrationFactory(event=first.event, enterprise=first.enterprise)
    assert again.pk != first.pk


def test_an_institution_also_registers_once_per_event():
    first = RegistrationFactory(enterprise=None, institution=InstitutionFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=first.event, enterprise=None, institution=first.institution)


def test_registrations_get_distinct_check_in_codes():
    event = EventFactory()
    codes = {RegistrationFactory(event=event).code for _ in range(20)}
    assert len(codes) == 20


def test_an_event_cannot_end_before_it_starts():
    event = EventFactory.build(campaign=None)
    event.ends_at = event.starts_at - dt.timedelta(hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_a_party_meets_once_per_slot():
    event = EventFactory()
    slot = EventSlot.objects.create(
        event=event, starts_at=event.starts_at, ends_at=event.starts_at + dt.timedelta(minutes=20)
    )
    enterprise = EnterpriseFactory()
    Meeting.objects.create(
        event=event,
        slot=slot,
        enterprise=enterprise,
        institution=InstitutionFactory(),
        status=Meeting.Status.ACCEPTED,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            event=event,
            slot=slot,
            enterprise=enterprise,
            institution=InstitutionFactory(),
            status=Meeting.Status.ACCEPTED,
        )


def test_every_registration_status_has_a_row_in_the_moves_table():
    moves = REGISTRATION.moves()
    assert set(moves) == set(Registration.Status.values)
    assert moves[Registration.Status.CHECKED_IN] == frozenset()
    assert Registration.Status.CHECKED_IN not in moves[Registration.Status.REGISTERED]


def test_a_meeting_slot_must_belong_to_the_meetings_event():
    event, other = EventFactory(), EventFactory()
    slot = EventSlot.objects.create(
        event=other, starts_at=other.starts_at, ends_at=other.starts_at + dt.timedelta(minutes=20)
    )
    meeting = Meeting(
        event=event, slot=slot, enterprise=EnterpriseFactory(), institution=InstitutionFactory()
    )
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "slot" in error.value.message_dict


def test_a_slot_reads_in_the_venues_time():
    # 06:00 UTC is 14:00 in China, where the admin's readers are.
    starts = dt.datetime(2020, 11, 20, 6, 0, tzinfo=dt.UTC)
    slot = EventSlot(starts_at=starts, ends_at=starts + dt.timedelta(minutes=25))

    assert str(slot) == "2020-11-20 14:00–14:25"
