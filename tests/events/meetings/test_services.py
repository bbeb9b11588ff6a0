"""Meeting rules: who may ask whom, slots free for both parties, the moves
table, and the other party told of each move."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from accounts.models import Notification
from core.exceptions import Conflict
from events import meeting_services
from events.meeting_services import (
    meeting_accept,
    meeting_cancel,
    meeting_decline,
    meeting_record_outcome,
    meeting_request,
    slot_create,
    slot_delete,
)
from events.models import EventSlot, Meeting, MeetingStatusChange, Registration
from events.services import registration_cancel
from tests.factories import EnterpriseFactory, InstitutionFactory, RegistrationFactory, member_of

pytestmark = pytest.mark.django_db


def ask(mw, **kwargs) -> Meeting:
    values = {
        "event": mw.event,
        "actor": mw.enterprise_user,
        "enterprise": mw.enterprise,
        "institution": mw.bank,
    }
    return meeting_request(**{**values, **kwargs})


def registered_institution(mw):
    bank = InstitutionFactory()
    RegistrationFactory(event=mw.event, enterprise=None, institution=bank)
    return bank, member_of(bank)


def registered_enterprise(mw):
    enterprise = EnterpriseFactory()
    RegistrationFactory(event=mw.event, enterprise=enterprise)
    return enterprise, member_of(enterprise)


def test_an_enterprise_asks_a_registered_institution_and_its_officers_are_told(mw):
    meeting = ask(mw, slot=mw.slots[1], note="Patent pledge for a new line")

    meeting.refresh_from_db()
    assert (meeting.status, meeting.slot, meeting.source) == ("requested", mw.slots[1], "requested")
    assert meeting.requested_by == mw.enterprise_user
    assert MeetingStatusChange.objects.filter(meeting=meeting, to_status="requested").count() == 1
    notice = Notification.objects.get(recipient=mw.bank_user, kind="meeting-request")
    assert mw.enterprise.name_en in notice.subject or mw.enterprise.name_zh in notice.subject


@pytest.mark.parametrize("status", ["cancelled", "waitlisted"])
def test_an_enterprise_without_a_standing_registration_may_not_ask(mw, status):
    Registration.objects.filter(pk=mw.enterprise_registration.pk).update(status=status)

    with pytest.raises(ValidationError) as error:
        ask(mw)

    assert "enterprise" in error.value.message_dict
    assert not Meeting.objects.filter(event=mw.event).exists()


def test_an_institution_not_registered_for_the_event_cannot_be_asked(mw):
    with pytest.raises(ValidationError) as error:
        ask(mw, institution=InstitutionFactory())

    assert "institution" in error.value.message_dict


def test_only_the_enterprises_members_ask_for_it(mw):
    with pytest.raises(PermissionDenied):
        ask(mw, actor=mw.bank_user)


def test_the_same_two_cannot_have_two_open_meetings_at_an_event(mw):
    ask(mw)

    with pytest.raises(Conflict) as refusal:
        ask(mw)

    assert refusal.value.code == "already_asked"
    assert Meeting.objects.filter(event=mw.event).count() == 1


def test_accepting_books_the_slot_and_tells_the_enterprise(mw):
    meeting = ask(mw, slot=mw.slots[0])

    meeting_accept(meeting=meeting, actor=mw.bank_user)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.slot) == ("accepted", mw.slots[0])
    notice = Notification.objects.get(recipient=mw.enterprise_user, kind="meeting-accept")
    # The slot reads in the venue's time, not in UTC.
    assert f"{timezone.localtime(mw.slots[0].starts_at):%H:%M}" in notice.body
    assert list(meeting.history.values_list("from_status", "to_status")) == [
        ("", "requested"),
        ("requested", "accepted"),
    ]


def test_the_institution_may_accept_in_another_slot(mw):
    meeting = ask(mw, slot=mw.slots[0])

    meeting_accept(meeting=meeting, actor=mw.bank_user, slot=mw.slots[2])

    meeting.refresh_from_db()
    assert meeting.slot == mw.slots[2]


def test_accepting_needs_a_slot(mw):
    meeting = ask(mw)

    with pytest.raises(ValidationError) as error:
        meeting_accept(meeting=meeting, actor=mw.bank_user)

    assert "slot" in error.value.message_dict
    meeting.refresh_from_db()
    assert meeting.status == "requested"


def test_an_institution_already_booked_in_the_slot_is_refused(mw):
    other, other_user = registered_enterprise(mw)
    first = ask(mw, enterprise=other, actor=other_user, slot=mw.slots[0])
    meeting_accept(meeting=first, actor=mw.bank_user)
    second = ask(mw, slot=mw.slots[1])

    with pytest.raises(Conflict) as refusal:
        meeting_accept(meeting=second, actor=mw.bank_user, slot=mw.slots[0])

    assert refusal.value.code == "slot_taken"
    second.refresh_from_db()
    assert (second.status, second.slot) == ("requested", mw.slots[1])


def test_an_enterprise_already_booked_in_the_slot_is_refused(mw):
    bank, bank_user = registered_institution(mw)
    first = ask(mw, institution=bank, slot=mw.slots[0])
    meeting_accept(meeting=first, actor=bank_user)

    with pytest.raises(Conflict):
        ask(mw, slot=mw.slots[0])
    second = ask(mw)
    with pytest.raises(Conflict):
        meeting_accept(meeting=second, actor=mw.bank_user, slot=mw.slots[0])

    second.refresh_from_db()
    assert second.status == "requested"


def test_the_database_refuses_a_double_booking_the_check_missed(mw, monkeypatch):
    """Two acceptances at once both pass the check; the constraint stops the
    second, which is told 409 and changes nothing."""
    bank, bank_user = registered_institution(mw)
    first = ask(mw, institution=bank, slot=mw.slots[0])
    meeting_accept(meeting=first, actor=bank_user)
    second = ask(mw)
    monkeypatch.setattr(meeting_services, "is_booked", lambda **kwargs: False)

    with pytest.raises(Conflict) as refusal:
        meeting_accept(meeting=second, actor=mw.bank_user, slot=mw.slots[0])

    assert refusal.value.code == "slot_taken"
    second.refresh_from_db()
    assert second.status == "requested"
    assert not second.history.filter(to_status="accepted").exists()


def test_an_institution_is_not_booked_beyond_its_cap(mw):
    mw.bank_registration.max_meetings = 1
    mw.bank_registration.save(update_fields=["max_meetings"])
    other, other_user = registered_enterprise(mw)
    first = ask(mw, enterprise=other, actor=other_user, slot=mw.slots[0])
    meeting_accept(meeting=first, actor=mw.bank_user)
    second = ask(mw, slot=mw.slots[1])

    with pytest.raises(Conflict) as refusal, translation.override("zh-hans"):
        meeting_accept(meeting=second, actor=mw.bank_user)

    assert refusal.value.code == "meetings_full"
    assert f"{mw.bank.name_zh}在本活动最多接受 1 场对接" in str(refusal.value)
    second.refresh_from_db()
    assert second.status == "requested"
    assert second.history.count() == 1

    meeting_cancel(meeting=first, actor=other_user)  # a place frees
    meeting_accept(meeting=second, actor=mw.bank_user)
    second.refresh_from_db()
    assert second.status == "accepted"


def test_only_the_institution_accepts_or_declines(mw):
    meeting = ask(mw, slot=mw.slots[0])

    with pytest.raises(PermissionDenied):
        meeting_accept(meeting=meeting, actor=mw.enterprise_user)
    with pytest.raises(PermissionDenied):
        meeting_decline(meeting=meeting, actor=mw.organiser)


def test_declining_tells_the_enterprise_and_closes_the_request(mw):
    meeting = ask(mw)

    meeting_decline(meeting=meeting, actor=mw.bank_user, note="Not lending in this sector")

    meeting.refresh_from_db()
    assert meeting.status == "declined"
    notice = Notification.objects.get(recipient=mw.enterprise_user, kind="meeting-decline")
    assert "Not lending in this sector" in notice.body
    with pytest.raises(Conflict):
        meeting_accept(meeting=meeting, actor=mw.bank_user, slot=mw.slots[0])
    # Declined, the pair may ask again.
    assert ask(mw).status == "requested"


def test_a_cancelled_meeting_frees_the_slot(mw):
    meeting = ask(mw, slot=mw.slots[0])
    meeting_accept(meeting=meeting, actor=mw.bank_user)

    meeting_cancel(meeting=meeting, actor=mw.enterprise_user, note="Plans changed")

    assert Notification.objects.filter(recipient=mw.bank_user, kind="meeting-cancel").exists()
    bank, bank_user = registered_institution(mw)
    again = ask(mw, institution=bank, slot=mw.slots[0])
    meeting_accept(meeting=again, actor=bank_user)
    again.refresh_from_db()
    assert again.status == "accepted"


def test_recording_the_outcome_marks_an_accepted_meeting_held(mw):
    meeting = ask(mw, slot=mw.slots[0])
    meeting_accept(meeting=meeting, actor=mw.bank_user)

    meeting_record_outcome(meeting=meeting, actor=mw.organiser, outcome="follow_up")

    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome) == ("held", "follow_up")
    # A correction keeps it held.
    meeting_record_outcome(meeting=meeting, actor=mw.enterprise_user, outcome="intention")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome) == ("held", "intention")
    # The timeline tells who recorded it and who corrected it.
    assert list(meeting.history.values_list("from_status", "to_status", "actor")) == [
        ("", "requested", mw.enterprise_user.pk),
        ("requested", "accepted", mw.bank_user.pk),
        ("accepted", "held", mw.organiser.pk),
        ("held", "held", mw.enterprise_user.pk),
    ]


def test_a_request_has_no_outcome_yet(mw):
    meeting = ask(mw)

    with pytest.raises(Conflict) as refusal:
        meeting_record_outcome(meeting=meeting, actor=mw.bank_user, outcome="follow_up")
    assert refusal.value.code == "move_not_allowed"
    with pytest.raises(ValidationError):
        meeting_record_outcome(meeting=meeting, actor=mw.bank_user, outcome="pending")

    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome) == ("requested", "pending")


def test_organisers_add_slots_within_the_event(mw):
    start = mw.event.starts_at + dt.timedelta(hours=3)

    slot = slot_create(
        event=mw.event,
        actor=mw.organiser,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=20),
    )

    assert EventSlot.objects.filter(pk=slot.pk, event=mw.event).exists()


@pytest.mark.parametrize(
    ("offset_hours", "length_minutes", "field"),
    [(-2, 20, "starts_at"), (5, 120, "starts_at"), (3, 0, "ends_at"), (0, 20, "starts_at")],
    ids=["before the event", "after the event", "empty", "same start as another"],
)
def test_a_slot_out_of_place_is_refused(mw, offset_hours, length_minutes, field):
    start = mw.event.starts_at + dt.timedelta(hours=offset_hours)

    with pytest.raises(ValidationError) as error:
        slot_create(
            event=mw.event,
            actor=mw.organiser,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=length_minutes),
        )

    assert field in error.value.message_dict
    assert EventSlot.objects.filter(event=mw.event).count() == 3


def test_only_organisers_lay_out_slots(mw):
    start = mw.event.starts_at + dt.timedelta(hours=3)
    with pytest.raises(PermissionDenied):
        slot_create(
            event=mw.event,
            actor=mw.bank_user,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=20),
        )


def test_a_slot_with_meetings_stays(mw):
    ask(mw, slot=mw.slots[0])

    with pytest.raises(Conflict):
        slot_delete(slot=mw.slots[0], actor=mw.organiser)
    slot_delete(slot=mw.slots[1], actor=mw.organiser)

    assert list(EventSlot.objects.filter(event=mw.event)) == [mw.slots[0], mw.slots[2]]


def test_a_cancelled_registration_calls_off_its_open_meetings(mw):
    bank, bank_user = registered_institution(mw)
    accepted = ask(mw, slot=mw.slots[0])
    meeting_accept(meeting=accepted, actor=mw.bank_user)
    requested = ask(mw, institution=bank)

    registration_cancel(registration=mw.enterprise_registration, actor=mw.enterprise_user)

    mw.enterprise_registration.refresh_from_db()
    assert mw.enterprise_registration.status == Registration.Status.CANCELLED
    for meeting in (accepted, requested):
        meeting.refresh_from_db()
        assert meeting.status == "cancelled"
    assert Notification.objects.filter(recipient=bank_user, kind="meeting-cancel").exists()
    assert Notification.objects.filter(recipient=mw.bank_user, kind="meeting-cancel").exists()
    assert not Notification.objects.filter(
        recipient=mw.enterprise_user, kind="meeting-cancel"
    ).exists()


def test_a_meeting_called_off_with_a_registration_says_who_and_why(mw):
    meeting = ask(mw, slot=mw.slots[0])
    meeting_accept(meeting=meeting, actor=mw.bank_user)

    registration_cancel(registration=mw.bank_registration, actor=mw.bank_user)

    last = meeting.history.last()
    assert last is not None
    assert (last.from_status, last.to_status, last.actor) == (
        "accepted",
        "cancelled",
        mw.bank_user,
    )
    assert last.note == "The registration for the event was cancelled."
    assert Notification.objects.filter(recipient=mw.enterprise_user, kind="meeting-cancel").exists()
    assert not Notification.objects.filter(recipient=mw.bank_user, kind="meeting-cancel").exists()


def test_a_closed_meeting_stays_as_it_is_when_the_registration_is_cancelled(mw):
    declined = ask(mw)
    meeting_decline(meeting=declined, actor=mw.bank_user)

    registration_cancel(registration=mw.enterprise_registration, actor=mw.enterprise_user)

    declined.refresh_from_db()
    assert declined.status == "declined"
    assert declined.history.count() == 2
