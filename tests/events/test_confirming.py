"""Cancelling an event or a registration from a page is asked first: the page
says, in the reader's language, what will happen and to whom, and only the
confirmation makes the move."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Notification
from events.models import Event, Meeting, Registration
from events.services import event_cancel, registration_create
from tests.confirming import asked

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_cancelling_an_event_says_who_is_told_and_waits_for_confirmation(make_event, people):
    event = make_event(capacity=2)
    registration_create(event=event, actor=people.enterprise_user, enterprise=people.enterprise)
    for _ in range(2):  # one more seated, one on the waiting list
        user, enterprise = people.new_enterprise()
        registration_create(event=event, actor=user, enterprise=enterprise)
    Meeting.objects.create(
        event=event, enterprise=people.enterprise, institution=people.institution
    )
    organiser = client_for(people.regulator)
    notices = Notification.objects.count()

    page = asked(
        organiser.post(f"/zh-hans/events/{event.slug}/cancel/", {"cancel-reason": "台风预警"})
    )

    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert event.registrations.filter(status=Registration.Status.CANCELLED).count() == 0
    assert Meeting.objects.get(event=event).status == Meeting.Status.REQUESTED
    assert Notification.objects.count() == notices
    assert page.heading == "确认取消活动"
    assert page.button == "确认取消活动"
    assert page.consequences == [
        "已报名的 3 家单位（含候补）的报名将随活动一并取消，并收到取消通知及原因。",
        "活动中已安排的 1 场一对一对接将取消，双方都会收到通知。",
        "活动取消后不能再次发布。",
    ]
    assert page.back == f"/zh-hans/events/{event.slug}/"
    assert ("cancel-reason", "台风预警") in page.fields

    page.confirm(organiser)

    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert event.history.last().note == "台风预警"
    assert not event.registrations.exclude(status=Registration.Status.CANCELLED).exists()
    assert Meeting.objects.get(event=event).status == Meeting.Status.CANCELLED


def test_an_event_nobody_registered_for_says_only_that_it_stays_cancelled(make_event, people):
    event = make_event()
    page = asked(
        client_for(people.regulator).post(
            f"/events/{event.slug}/cancel/", {"cancel-reason": "Venue flooded"}
        )
    )
    assert page.consequences == ["A cancelled event cannot be published again."]


def test_a_missing_reason_is_asked_for_before_any_confirmation(make_event, people):
    event = make_event()
    response = client_for(people.regulator).post(
        f"/events/{event.slug}/cancel/", {"cancel-reason": " "}
    )
    assert "errorlist" in response.content.decode()
    assert "confirm_move.html" not in [t.name for t in response.templates]
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_a_cancelled_event_is_not_asked_again_but_refused(make_event, people):
    event = make_event()
    event_cancel(event=event, actor=people.regulator, reason="Moved online")
    response = client_for(people.regulator).post(
        f"/events/{event.slug}/cancel/", {"cancel-reason": "Again"}, follow=True
    )
    assert "confirm_move.html" not in [t.name for t in response.templates]
    assert "is not possible while the event is" in response.content.decode()


def test_cancelling_a_registration_names_the_party_the_waiting_list_and_the_meetings(
    make_event, people
):
    event = make_event(capacity=1)
    mine = registration_create(
        event=event, actor=people.enterprise_user, enterprise=people.enterprise
    )
    user, waiting_enterprise = people.new_enterprise()
    waiting = registration_create(event=event, actor=user, enterprise=waiting_enterprise)
    assert waiting.status == Registration.Status.WAITLISTED
    Meeting.objects.create(
        event=event, enterprise=people.enterprise, institution=people.institution
    )
    client = client_for(people.enterprise_user)

    page = asked(client.post(f"/zh-hans/events/registrations/{mine.code}/cancel/"))

    mine.refresh_from_db()
    assert mine.status == Registration.Status.CONFIRMED
    assert page.button == "确认取消报名"
    name = people.enterprise.name_zh or people.enterprise.name
    assert page.consequences == [
        f"{name} 将不再参加“{event.title_zh}”。",
        "释放的名额将给候补名单上的第一家单位（目前候补 1 家），对方会收到邮件通知。",
        "其在本活动已约的 1 场一对一对接将取消，对方会收到通知。",
    ]

    page.confirm(client)

    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    assert Meeting.objects.get(event=event).status == Meeting.Status.CANCELLED


def test_an_organiser_cancelling_from_the_list_goes_back_to_the_list(make_event, people):
    event = make_event()
    registration = registration_create(
        event=event, actor=people.enterprise_user, enterprise=people.enterprise
    )
    organiser = client_for(people.regulator)

    page = asked(
        organiser.post(f"/events/registrations/{registration.code}/cancel/", {"next": "organiser"})
    )

    assert page.back == f"/events/{event.slug}/registrations/"
    assert page.consequences == [f"{people.enterprise.name} no longer takes part in “{event}”."]
    done = page.confirm(organiser)
    assert done["Location"] == f"/events/{event.slug}/registrations/"
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
