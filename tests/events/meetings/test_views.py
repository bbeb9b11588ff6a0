"""Meeting and on-site outcome pages: what each reader sees and can do, forms
shown again with messages, and pages whose queries do not grow with rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Meeting
from financing.models import Contract
from tests.events.meetings.test_api import add_meetings
from tests.factories import EnterpriseFactory, InstitutionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_enterprise_asks_from_the_event_page_and_the_bank_accepts_on_the_meeting_page(mw):
    enterprise = client_for(mw.enterprise_user)
    page = enterprise.get(f"/events/{mw.event.slug}/meetings/")
    assert page.status_code == 200
    assert mw.bank.name_en in page.content.decode()

    asked = enterprise.post(
        f"/events/{mw.event.slug}/meetings/request/",
        {"institution": mw.bank.pk, "slot": mw.slots[1].pk, "note": "IP loan"},
    )

    meeting = Meeting.objects.get(event=mw.event, enterprise=mw.enterprise)
    assert asked.status_code == 302
    assert asked["Location"] == f"/meetings/{meeting.pk}/"
    bank = client_for(mw.bank_user)
    detail = bank.get(f"/meetings/{meeting.pk}/")
    assert 'data-action="accept"' in detail.content.decode()

    accepted = bank.post(f"/meetings/{meeting.pk}/accept/", {"accept-slot": mw.slots[2].pk})

    assert accepted.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.slot) == ("accepted", mw.slots[2])
    mine = enterprise.get("/meetings/", follow=True)
    assert f'data-meeting="{meeting.pk}"' in mine.content.decode()


def test_a_taken_slot_is_a_message_on_the_meeting_page(mw):
    Meeting.objects.create(
        event=mw.event,
        enterprise=mw.enterprise,
        institution=mw.bank,
        slot=mw.slots[0],
        status="requested",
    )
    meeting = Meeting.objects.get(event=mw.event, enterprise=mw.enterprise)
    other = EnterpriseFactory()
    RegistrationFactory(event=mw.event, enterprise=other)
    Meeting.objects.create(
        event=mw.event, enterprise=other, institution=mw.bank, slot=mw.slots[0], status="accepted"
    )

    response = client_for(mw.bank_user).post(
        f"/meetings/{meeting.pk}/accept/", {"accept-slot": mw.slots[0].pk}, follow=True
    )

    assert response.status_code == 200
    assert "already has a meeting" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "requested"


def test_an_unregistered_enterprise_is_told_to_register_first(mw):
    mw.enterprise_registration.status = "cancelled"
    mw.enterprise_registration.save()

    page = client_for(mw.enterprise_user).get(f"/events/{mw.event.slug}/meetings/")

    assert page.status_code == 200
    assert 'data-form="request"' not in page.content.decode()
    assert "Register for this event" in page.content.decode()


def test_a_bad_slot_shows_the_form_again_with_the_message(mw):
    start = timezone.localtime(mw.event.starts_at)
    response = client_for(mw.organiser).post(
        f"/events/{mw.event.slug}/meetings/slots/",
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": start.strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert response.status_code == 200
    assert "A slot must end after it starts." in response.content.decode()
    assert mw.event.slots.count() == 3


def test_organisers_record_a_signing_on_the_outcomes_page(mw):
    organiser = client_for(mw.organiser)
    assert organiser.get(f"/events/{mw.event.slug}/outcomes/").status_code == 200

    response = organiser.post(
        f"/events/{mw.event.slug}/outcomes/",
        {
            "kind": "intention",
            "registration": mw.enterprise_registration.pk,
            "institution": mw.bank.pk,
            "amount": "2500000",
            "signed_on": timezone.localdate().isoformat(),
            "reference": "PAGE-INTENT-1",
        },
        follow=True,
    )

    assert response.status_code == 200
    contract = Contract.objects.get(reference="PAGE-INTENT-1")
    assert (contract.event, contract.kind) == (mw.event, "intention")
    assert f'data-contract="{contract.pk}"' in response.content.decode()


def test_a_duplicate_contract_number_shows_the_form_again(mw):
    add_meetings(mw, 1)
    first = Contract.objects.filter(event=mw.event).first()
    assert first is not None
    taken = first.reference

    response = client_for(mw.organiser).post(
        f"/events/{mw.event.slug}/outcomes/",
        {
            "kind": "loan",
            "registration": mw.enterprise_registration.pk,
            "institution": mw.bank.pk,
            "amount": "2500000",
            "signed_on": timezone.localdate().isoformat(),
            "reference": taken,
        },
    )

    assert response.status_code == 200
    assert "already recorded" in response.content.decode()
    assert Contract.objects.filter(event=mw.event).count() == 1


def requests_of_the_enterprise(mw, n: int) -> None:
    """n requests of the demo enterprise to other registered institutions."""
    for _ in range(n):
        institution = InstitutionFactory()
        RegistrationFactory(event=mw.event, enterprise=None, institution=institution)
        Meeting.objects.create(event=mw.event, enterprise=mw.enterprise, institution=institution)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("bank_user", "/meetings/"),
        ("enterprise_user", "/events/{slug}/meetings/"),
        ("organiser", "/events/{slug}/meetings/"),
        ("organiser", "/events/{slug}/outcomes/"),
        ("bank_user", "/events/{slug}/outcomes/"),
    ],
)
def test_pages_take_the_same_queries_for_many_rows(mw, who, url, django_assert_max_num_queries):
    client = client_for(getattr(mw, who))
    url = url.format(slug=mw.event.slug)
    add_meetings(mw, 1)
    requests_of_the_enterprise(mw, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    add_meetings(mw, 30)
    requests_of_the_enterprise(mw, 30)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)

    assert response.status_code == 200
    # The bank meets in the three slots only; everyone else's rows are many.
    fewest = 2 if url.endswith("/outcomes/") and who == "bank_user" else 3
    assert response.content.decode().count("<tr data-") >= fewest


def test_the_event_links_include_shows_organisers_the_outcomes(mw, rf):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = mw.organiser
    html = render_to_string(
        "events/meetings/_event_links.html",
        {"event": mw.event, "organiser": True, "user": mw.organiser},
        request=request,
    )

    assert f"/events/{mw.event.slug}/outcomes/" in html
    assert f"/events/{mw.event.slug}/meetings/" in html


def test_the_pages_read_in_chinese(mw):
    organiser = client_for(mw.organiser)

    meetings = organiser.get(f"/zh-hans/events/{mw.event.slug}/meetings/")
    outcomes = organiser.get(f"/zh-hans/events/{mw.event.slug}/outcomes/")

    assert "对接时段" in meetings.content.decode()
    assert "记录签约" in outcomes.content.decode()


def test_from_a_meeting_the_outcome_form_comes_filled_in(mw):
    meeting = Meeting.objects.create(
        event=mw.event,
        enterprise=mw.enterprise,
        institution=mw.bank,
        slot=mw.slots[0],
        status="accepted",
    )
    organiser = client_for(mw.organiser)
    detail = organiser.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f"/events/{mw.event.slug}/outcomes/?meeting={meeting.pk}" in detail

    page = organiser.get(f"/events/{mw.event.slug}/outcomes/?meeting={meeting.pk}")

    form = page.context["form"]
    assert form["meeting"].value() == meeting.pk
    assert form["institution"].value() == mw.bank.pk
    assert form["registration"].value() == mw.enterprise_registration.pk


def test_a_registered_banks_officer_records_its_own_signing_on_the_outcomes_page(mw):
    bank = client_for(mw.bank_user)
    assert (
        f"/events/{mw.event.slug}/outcomes/"
        in bank.get(f"/events/{mw.event.slug}/meetings/").content.decode()
    )
    add_meetings(mw, 5)  # signings of the bank's and, from the fourth, of others'

    response = bank.post(
        f"/events/{mw.event.slug}/outcomes/",
        {
            "kind": "loan",
            "registration": mw.enterprise_registration.pk,
            "institution": mw.bank.pk,
            "amount": "1200000",
            "signed_on": timezone.localdate().isoformat(),
            "reference": "PAGE-BANK-1",
        },
        follow=True,
    )

    contract = Contract.objects.get(reference="PAGE-BANK-1")
    assert contract.created_by == mw.bank_user
    page = response.content.decode()
    assert f'data-contract="{contract.pk}"' in page
    assert (
        page.count("<tr data-contract")
        == Contract.objects.filter(event=mw.event, institution=mw.bank).count()
    )
    assert "data-totals" not in page


def test_the_accept_form_offers_the_events_own_slots_and_refuses_another(mw):
    from events.models import EventSlot
    from tests.factories import EventFactory

    elsewhere = EventFactory()
    foreign = EventSlot.objects.create(
        event=elsewhere, starts_at=elsewhere.starts_at, ends_at=elsewhere.ends_at
    )
    meeting = Meeting.objects.create(event=mw.event, enterprise=mw.enterprise, institution=mw.bank)
    bank = client_for(mw.bank_user)

    page = bank.get(f"/meetings/{meeting.pk}/").content.decode()
    refused = bank.post(f"/meetings/{meeting.pk}/accept/", {"accept-slot": foreign.pk})

    assert all(f'value="{slot.pk}"' in page for slot in mw.slots)
    assert f'value="{foreign.pk}"' not in page
    assert refused.status_code == 200
    assert "The slot belongs to another event." in refused.content.decode()
    assert f'value="{foreign.pk}"' not in refused.content.decode()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.slot) == ("requested", None)


def test_the_moves_the_portal_makes_itself_have_no_page_or_endpoint(mw):
    meeting = Meeting.objects.create(event=mw.event, enterprise=mw.enterprise, institution=mw.bank)
    enterprise = client_for(mw.enterprise_user)

    page = enterprise.post(f"/meetings/{meeting.pk}/call-off/")
    api = enterprise.post(f"/api/v1/meetings/{meeting.pk}/call-off/")

    assert (page.status_code, api.status_code) == (404, 404)
    meeting.refresh_from_db()
    assert meeting.status == "requested"
