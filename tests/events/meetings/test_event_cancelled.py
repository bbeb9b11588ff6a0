"""Cancelling an event cancels what hung on it: its registrations, the
waiting list included, and its open meetings; every party is told once, in
their own language, with the reason; the figures follow."""

from __future__ import annotations

import pytest

from accounts.models import Notification
from dashboards.cells import dashboard_figures
from dashboards.selectors import Scope
from events.meeting_services import meeting_accept, meeting_request
from events.models import Meeting, MeetingStatusChange, Registration, RegistrationStatusChange
from events.services import event_cancel
from tests.factories import EnterpriseFactory, InstitutionFactory, RegistrationFactory, member_of

pytestmark = pytest.mark.django_db
R = Registration.Status


def test_cancelling_an_event_cancels_its_registrations_and_meetings_and_tells_each_party(
    mw, django_capture_on_commit_callbacks
):
    accepted = meeting_request(
        event=mw.event, actor=mw.enterprise_user, enterprise=mw.enterprise, institution=mw.bank
    )
    meeting_accept(meeting=accepted, actor=mw.bank_user, slot=mw.slots[0])
    other_enterprise = EnterpriseFactory()
    english_user = member_of(other_enterprise)
    english_user.language = "en"
    english_user.save(update_fields=["language"])
    RegistrationFactory(event=mw.event, enterprise=other_enterprise)
    waiting_bank = InstitutionFactory()
    waiting_user = member_of(waiting_bank)
    RegistrationFactory(
        event=mw.event, enterprise=None, institution=waiting_bank, status=R.WAITLISTED
    )
    requested = meeting_request(
        event=mw.event, actor=english_user, enterprise=other_enterprise, institution=mw.bank
    )
    unrelated = member_of(InstitutionFactory())
    mw.bank_user.language = "zh-hans"
    mw.bank_user.save(update_fields=["language"])
    Notification.objects.all().delete()
    assert dashboard_figures(scope=Scope(event=mw.event)).registrations == 2

    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=mw.event, actor=mw.organiser, reason="Typhoon warning")

    registrations = Registration.objects.filter(event=mw.event)
    assert set(registrations.values_list("status", flat=True)) == {R.CANCELLED}
    assert set(
        RegistrationStatusChange.objects.filter(
            registration__event=mw.event, to_status=R.CANCELLED
        ).values_list("note", flat=True)
    ) == {"Typhoon warning"}
    for meeting in (accepted, requested):
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.CANCELLED
        assert MeetingStatusChange.objects.filter(
            meeting=meeting, to_status=Meeting.Status.CANCELLED, note="Typhoon warning"
        ).exists()
    # Each party once, in their own language, with the reason.
    told = {n.recipient: n for n in Notification.objects.filter(kind="event-cancelled")}
    assert {mw.enterprise_user, mw.bank_user, english_user, waiting_user} <= set(told)
    assert unrelated not in told
    assert Notification.objects.filter(recipient=english_user).count() == 1
    assert told[english_user].subject.startswith("Cancelled")
    assert "取消" in told[mw.bank_user].subject
    assert all("Typhoon warning" in n.body for n in told.values())
    # Nobody was promoted from the waiting list into a cancelled event.
    assert not registrations.exclude(status=R.CANCELLED).exists()
    assert dashboard_figures(scope=Scope(event=mw.event)).registrations == 0
