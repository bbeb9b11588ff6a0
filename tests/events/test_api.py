"""The events API: scoping of each list, bad input and wrong states, and the
number of queries of every list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from events.models import Event, EventKind, Registration
from events.services import registration_create
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def many_registrations(event: Event, n: int) -> None:
    for _ in range(n):
        RegistrationFactory(event=event)


def test_an_enterprise_lists_its_own_registrations_and_organisers_those_of_their_events(
    make_event, people
):
    event = make_event()
    own = registration_create(
        event=event, actor=people.enterprise_user, enterprise=people.enterprise
    )
    others = RegistrationFactory(event=event)
    elsewhere = RegistrationFactory(event=EventFactory(host_province_id="110000"))

    def ids(user):
        response = client_for(user).get("/api/v1/registrations/?page_size=200")
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids(people.enterprise_user) >= {own.pk}
    assert not ids(people.enterprise_user) & {others.pk, elsewhere.pk}
    assert {own.pk, others.pk} <= ids(people.park_user)
    assert elsewhere.pk not in ids(people.park_user)
    assert {own.pk, others.pk, elsewhere.pk} <= ids(people.regulator)
    assert ids(people.bank_user).isdisjoint({own.pk, others.pk, elsewhere.pk})


def test_the_event_list_filters_by_province_park_kind_and_time(make_event, people):
    upcoming = make_event()
    past = EventFactory(host_province_id="110000", starts_at=timezone.now() - dt.timedelta(days=30))
    past.kinds.add(EventKind.objects.get(pk="signing"))
    client = client_for()

    def slugs(query):
        response = client.get(f"/api/v1/events/?page_size=200&{query}")
        assert response.status_code == 200, response.json()
        return {row["slug"] for row in response.json()["results"]}

    assert upcoming.slug in slugs(f"park={people.park.slug}&when=upcoming")
    assert past.slug not in slugs("when=upcoming")
    assert past.slug in slugs("when=past&province=110000&kind=signing")
    assert upcoming.slug not in slugs("province=110000")
    assert past.slug not in slugs("kind=matchmaking")


def test_drafts_are_listed_only_to_their_organisers(make_event, people):
    draft = make_event(publish=False)
    public = {
        r["slug"] for r in client_for().get("/api/v1/events/?page_size=200").json()["results"]
    }
    assert draft.slug not in public
    organised = client_for(people.park_user).get("/api/v1/events/?organised=true&page_size=200")
    assert draft.slug in {r["slug"] for r in organised.json()["results"]}


def test_bad_input_answers_400_with_field_messages_and_writes_nothing(people):
    start = timezone.now() + dt.timedelta(days=3)
    before = Event.objects.count()
    response = client_for(people.regulator).post(
        "/api/v1/events/",
        {
            "title_zh": "坏活动",
            "kinds": [],
            "host_province": "330000",
            "parks": [people.park.slug],
            "starts_at": start.isoformat(),
            "ends_at": (start - dt.timedelta(hours=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and {"kinds", "ends_at"} <= set(body["fields"])
    assert Event.objects.count() == before


def test_registering_after_the_deadline_answers_409(make_event, people):
    event = make_event()
    Event.objects.filter(pk=event.pk).update(
        registration_deadline=timezone.now() - dt.timedelta(hours=1)
    )
    response = client_for(people.enterprise_user).post(
        "/api/v1/registrations/",
        {"event": event.slug, "enterprise": people.enterprise.pk},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "registration_closed"
    assert not Registration.objects.filter(event=event).exists()


def test_the_event_moves_need_a_reason_to_cancel_and_refuse_what_the_status_does_not_allow(
    make_event, people
):
    event = make_event()
    organiser = client_for(people.regulator)
    cancel = f"/api/v1/events/{event.slug}/cancel/"

    response = organiser.post(cancel, {}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    response = organiser.post(f"/api/v1/events/{event.slug}/publish/")
    assert response.status_code == 409 and response.json()["code"] == "move_not_allowed"
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED

    response = organiser.post(
        cancel, {"reason": "Typhoon warning"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_the_party_cancels_its_registration_but_does_not_approve_it(make_event, people):
    event = make_event(requires_approval=True)
    registration = registration_create(
        event=event, actor=people.enterprise_user, enterprise=people.enterprise
    )
    party = client_for(people.enterprise_user)
    approve = party.post(f"/api/v1/registrations/{registration.pk}/approve/")
    assert approve.status_code == 403

    response = party.post(
        f"/api/v1/registrations/{registration.pk}/cancel/",
        {"note": "Plans changed"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert response.json()["history"][-1]["note"] == "Plans changed"


def test_an_unknown_code_at_check_in_answers_400(make_event, people):
    event = make_event()
    response = client_for(people.regulator).post(
        f"/api/v1/events/{event.slug}/check-in/", {"code": "ZZZZ"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "code" in response.json()["fields"]


# --- queries per list: the same with 3 rows as with 30


@pytest.mark.parametrize("rows", [3, 30])
def test_the_event_list_takes_a_fixed_number_of_queries(
    rows, people, django_assert_max_num_queries
):
    for _ in range(rows):
        event = EventFactory()
        event.parks.add(people.park)
        event.kinds.add(EventKind.objects.get(pk="matchmaking"))
    with django_assert_max_num_queries(6):
        response = client_for().get("/api/v1/events/")
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_registration_lists_take_a_fixed_number_of_queries(
    rows, make_event, people, django_assert_max_num_queries
):
    event = make_event()
    many_registrations(event, rows)
    RegistrationFactory(event=event, enterprise=None, institution=people.institution)
    organiser = client_for(people.park_user)
    with django_assert_max_num_queries(10):
        assert organiser.get("/api/v1/registrations/").status_code == 200
    with django_assert_max_num_queries(12):
        assert organiser.get(f"/api/v1/events/{event.slug}/registrations/").status_code == 200


def test_the_campaign_list_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    from tests.factories import CampaignFactory

    CampaignFactory.create_batch(20)
    with django_assert_max_num_queries(3):
        assert client_for().get("/api/v1/campaigns/").status_code == 200
