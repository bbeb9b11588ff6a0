"""Issue 4, the events half, as its users do it: the regulator sets up an
event at a park featuring two products, the enterprise and the bank register
and are checked in, the report and the dashboard count them; on a full event a
cancellation promotes the first on the waiting list, who is told by email."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from events.models import Event, Registration
from tests.events.conftest import under_way

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create_event(regulator: Client, people, **extra) -> str:
    start = timezone.now() + dt.timedelta(days=5)
    response = regulator.post(
        "/api/v1/events/",
        {
            "title_zh": "杭州高新区知识产权质押融资入园惠企活动",
            "title_en": "IP pledge financing at Hangzhou Hi-tech Zone",
            "kinds": ["product_release", "matchmaking"],
            "host_province": people.park.province_id,
            "parks": [people.park.slug],
            "featured_products": [p.pk for p in people.products],
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=4)).isoformat(),
            "agenda": "09:30 Opening\n10:00 Product release",
            **extra,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    slug = response.json()["slug"]
    assert regulator.post(f"/api/v1/events/{slug}/publish/").status_code == 200
    return slug


def register(client: Client, slug: str, **party) -> dict:
    response = client.post(
        "/api/v1/registrations/", {"event": slug, **party}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_an_event_from_set_up_to_check_in_shows_in_the_report_and_the_dashboard(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    regulator = client_for(people.regulator)
    slug = create_event(regulator, people)

    with django_capture_on_commit_callbacks(execute=True):
        mine = register(
            client_for(people.enterprise_user),
            slug,
            enterprise=people.enterprise.pk,
            need_amount="5000000",
            need_term_months=12,
        )
        bank = register(client_for(people.bank_user), slug, institution=people.institution.pk)
    assert [mine["status"], bank["status"]] == ["confirmed", "confirmed"]
    assert sorted(m.to[0] for m in mailoutbox if m.attachments) == sorted(
        [people.enterprise_user.email, people.bank_user.email]
    )

    # The day comes: the park manager checks the bank in at the desk; the
    # regulator types the enterprise's code.
    under_way(Event.objects.get(slug=slug))
    park = client_for(people.park_user)
    assert park.post(f"/events/{slug}/check-in/", {"code": bank["code"]}).status_code == 302
    response = regulator.post(
        f"/api/v1/events/{slug}/check-in/", {"code": mine["code"]}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "checked_in"
    again = regulator.post(
        f"/api/v1/events/{slug}/check-in/", {"code": mine["code"]}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "already_checked_in"

    expected = {
        "activities": 1,
        "parks_covered": 1,
        "enterprises_involved": 1,
        "institutions_involved": 1,
        "products_released": 2,
        "releasing_institutions": 1,
        "provinces_participating": 1,
    }
    report = regulator.get(f"/api/v1/dashboard/events/{slug}/").json()
    assert {k: report["figures"][k] for k in expected} == expected
    assert report["registrations"]["checked_in"] == 2
    summary = regulator.get(f"/api/v1/dashboard/summary/?event={slug}").json()
    assert {k: summary[k] for k in expected} == expected

    page = park.get(f"/dashboard/events/{slug}/")
    assert page.status_code == 200
    assert b'data-figure="products_released">2<' in page.content


def test_on_a_full_event_a_cancellation_promotes_the_first_waiting_who_is_told_by_email(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    regulator = client_for(people.regulator)
    slug = create_event(regulator, people, capacity=1)
    enterprise = client_for(people.enterprise_user)
    bank = client_for(people.bank_user)
    with django_capture_on_commit_callbacks(execute=True):
        mine = register(enterprise, slug, enterprise=people.enterprise.pk)
        waiting = register(bank, slug, institution=people.institution.pk)
    assert [mine["status"], waiting["status"]] == ["confirmed", "waitlisted"]
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = enterprise.post(f"/api/v1/registrations/{mine['id']}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"

    assert Registration.objects.get(pk=waiting["id"]).status == Registration.Status.CONFIRMED
    [told] = [m for m in mailoutbox if m.to == [people.bank_user.email] and m.attachments]
    assert waiting["code"] in told.body
    history = bank.get(f"/api/v1/registrations/{waiting['id']}/").json()["history"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        ("", "waitlisted"),
        ("waitlisted", "confirmed"),
    ]
