"""An event's schedule end to end: run from the page (the task computes it
with progress), review, adjust, publish into meetings, and each party's agenda."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Notification, User
from core.models import IPKind
from events.models import EventSlot, Meeting, Registration
from matching.models import Schedule, ScheduledMeeting
from products.models import Institution
from tests.factories import (
    EnterpriseFactory,
    EventFactory,
    InstitutionFactory,
    IPAssetFactory,
    ProductFactory,
    RegistrationFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    """Two slots; three enterprises and two banks registered. Every enterprise
    fits both banks' products; bank B sees at most one enterprise."""
    event = EventFactory(campaign=None, host_province_id="330000", slug="schedule-test")
    start = timezone.now() + dt.timedelta(days=3)
    for n in range(2):
        EventSlot.objects.create(
            event=event,
            starts_at=start + dt.timedelta(minutes=30 * n),
            ends_at=start + dt.timedelta(minutes=30 * n + 25),
        )
    for name, rate, cap in (("A", "3.50", None), ("B", "4.50", 1)):
        bank = InstitutionFactory(name_en=f"Bank {name}")
        member_of(bank, UserFactory(email=f"bank.{name.lower()}@test.example.com"))
        product = ProductFactory(institution=bank, rate_min=Decimal(rate))
        product.accepted_ip_kinds.set([IPKind.objects.get(pk="invention_patent")])
        Registration.objects.create(event=event, institution=bank, max_meetings=cap)
    for n in range(3):
        enterprise = EnterpriseFactory(name_en=f"Enterprise {n}")
        member_of(enterprise, UserFactory(email=f"enterprise.{n}@test.example.com"))
        IPAssetFactory(enterprise=enterprise, appraised_value=Decimal("6000000.00"))
        RegistrationFactory(
            event=event, enterprise=enterprise, need_amount=Decimal("2000000"), need_term_months=12
        )
    return event


@pytest.fixture
def banks(event) -> list[Institution]:
    """Bank A, then bank B (at most one meeting)."""
    return list(Institution.objects.filter(registrations__event=event).order_by("name_en"))


@pytest.fixture
def organiser():
    return User.objects.get(email="zhejiang.regulator@example.com")


def _run(client, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{event.slug}/schedule/run/")
    assert response.status_code == 302
    return Schedule.objects.get(event=event)


def test_the_organiser_runs_reviews_and_publishes_a_schedule(
    client, event, banks, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    schedule = _run(client, event, django_capture_on_commit_callbacks)
    assert schedule.status == Schedule.Status.READY
    assert schedule.progress == 100
    meetings = list(schedule.meetings.all())
    # Bank A meets two enterprises (two slots), bank B one (its cap).
    assert len(meetings) == 3
    assert schedule.total_fit >= schedule.greedy_fit
    assert sum(1 for m in meetings if m.institution_id == banks[1].pk) == 1
    assert history(schedule) == ["queued", "running", "ready"]

    page = client.get(f"/events/{event.slug}/schedule/")
    assert page.status_code == 200
    assert page.content.decode().count("data-meeting=") == 3

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{event.slug}/schedule/publish/")
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.status == Schedule.Status.PUBLISHED
    published = Meeting.objects.filter(event=event)
    assert published.count() == 3
    assert set(published.values_list("source", "status")) == {("matcher", "accepted")}
    # Each meeting's timeline starts with the organiser's publication.
    assert {
        tuple(m.history.values_list("from_status", "to_status", "actor", "note")) for m in published
    } == {(("", "accepted", organiser.pk, "Scheduled by the matcher"),)}
    assert all(m.slot_id for m in published)
    told = Notification.objects.filter(kind="meeting-schedule")
    parties = set(
        User.objects.filter(enterprise_memberships__enterprise__meetings__in=published).values_list(
            "email", flat=True
        )
    ) | {"bank.a@test.example.com", "bank.b@test.example.com"}
    assert set(told.values_list("recipient__email", flat=True)) == parties
    assert len(parties) >= 4

    client.force_login(User.objects.get(email="bank.a@test.example.com"))
    agenda = client.get("/matching/agenda/").content.decode()
    assert agenda.count("data-meeting=") == 2


def history(schedule):
    return list(schedule.history.values_list("to_status", flat=True))


def test_a_requested_meeting_gets_its_slot_and_is_not_doubled(
    client, event, banks, organiser, django_capture_on_commit_callbacks
):
    registration = Registration.objects.filter(event=event, enterprise__isnull=False).first()
    assert registration is not None
    assert registration.enterprise is not None
    enterprise = registration.enterprise
    requested = Meeting.objects.create(
        event=event, enterprise=enterprise, institution=banks[1], status="requested"
    )
    client.force_login(organiser)
    schedule = _run(client, event, django_capture_on_commit_callbacks)
    assert schedule.requested_total == 1
    assert schedule.requested_placed == 1
    assert schedule.meetings.filter(
        enterprise=enterprise, institution=banks[1], requested=True
    ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/events/{event.slug}/schedule/publish/")
    requested.refresh_from_db()
    assert requested.slot_id is not None
    assert Meeting.objects.filter(event=event, institution=banks[1]).count() == 1


def test_moving_a_meeting_into_a_busy_slot_is_refused(
    client, event, banks, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    schedule = _run(client, event, django_capture_on_commit_callbacks)
    bank_a = list(schedule.meetings.filter(institution=banks[0]).order_by("slot__starts_at"))
    first, second = bank_a
    response = client.post(
        f"/events/{event.slug}/schedule/meetings/{first.pk}/move/", {"slot": second.slot_id}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.slot_id != second.slot_id  # unchanged
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("already has a meeting in this slot" in m for m in messages)


def test_removing_a_meeting_updates_the_total(
    client, event, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    schedule = _run(client, event, django_capture_on_commit_callbacks)
    meeting = schedule.meetings.first()
    before = schedule.total_fit
    client.post(f"/events/{event.slug}/schedule/meetings/{meeting.pk}/remove/")
    schedule.refresh_from_db()
    assert not ScheduledMeeting.objects.filter(pk=meeting.pk).exists()
    assert schedule.total_fit == before - int(meeting.fit_score * 1000)


def test_a_published_schedule_cannot_be_changed_or_run_again(
    client, event, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    schedule = _run(client, event, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/events/{event.slug}/schedule/publish/")
    token_client = client
    response = token_client.post(
        f"/api/v1/matching/events/{event.slug}/schedule/run/", content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "move_not_allowed"
    meeting = schedule.meetings.first()
    client.post(f"/events/{event.slug}/schedule/meetings/{meeting.pk}/remove/")
    assert ScheduledMeeting.objects.filter(pk=meeting.pk).exists()


def test_the_status_row_polls_while_the_task_works(client, event, organiser):
    client.force_login(organiser)
    client.post(f"/events/{event.slug}/schedule/run/")  # the task waits for the commit
    schedule = Schedule.objects.get(event=event)
    assert schedule.status == Schedule.Status.QUEUED
    row = client.get(f"/events/{event.slug}/schedule/status/").content.decode()
    assert 'hx-trigger="every 1s"' in row
    assert "<progress" in row


def test_the_schedule_page_reads_in_a_bounded_number_of_queries(
    client, event, organiser, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client.force_login(organiser)
    _run(client, event, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(20):
        assert client.get(f"/events/{event.slug}/schedule/").status_code == 200


def test_an_event_without_slots_cannot_be_scheduled(client, organiser):
    event = EventFactory(campaign=None, host_province_id="330000")
    client.force_login(organiser)
    response = client.post(f"/api/v1/matching/events/{event.slug}/schedule/run/")
    assert response.status_code == 409
    assert response.json()["code"] == "no_slots"
    assert not Schedule.objects.filter(event=event).exists()


def test_a_failed_computation_is_shown_and_can_be_run_again(
    client, event, organiser, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("solver unavailable")

    monkeypatch.setattr("matching.services.event_pairs", broken)
    client.force_login(organiser)
    schedule = _run(client, event, django_capture_on_commit_callbacks)
    assert schedule.status == Schedule.Status.FAILED
    assert "solver unavailable" in client.get(f"/events/{event.slug}/schedule/").content.decode()
    monkeypatch.undo()
    schedule = _run(client, event, django_capture_on_commit_callbacks)
    assert schedule.status == Schedule.Status.READY
    assert history(schedule) == ["queued", "running", "failed", "queued", "running", "ready"]


def test_a_computation_lost_with_its_worker_can_be_run_again(
    client, event, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    client.post(f"/events/{event.slug}/schedule/run/")  # queued; the task never ran
    schedule = Schedule.objects.get(event=event)
    again = client.post(f"/api/v1/matching/events/{event.slug}/schedule/run/")
    assert again.status_code == 409 and again.json()["code"] == "move_not_allowed"
    Schedule.objects.filter(pk=schedule.pk).update(
        updated_at=timezone.now() - dt.timedelta(hours=1)
    )
    schedule = _run(client, event, django_capture_on_commit_callbacks)
    assert schedule.status == Schedule.Status.READY
    assert history(schedule) == ["queued", "failed", "queued", "running", "ready"]
