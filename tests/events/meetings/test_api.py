"""The meetings API: one error shape, 409 for a taken slot, and lists whose
queries do not grow with their rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import IPKind
from events.models import Meeting
from financing.models import Contract
from tests.factories import EnterpriseFactory, InstitutionFactory, RegistrationFactory, member_of

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def add_meetings(mw, n: int, *, status: str = Meeting.Status.ACCEPTED) -> None:
    """n more meetings with the demo bank, each with another enterprise, one
    per slot in turn, and an on-site contract each."""
    first = Meeting.objects.filter(event=mw.event).count()
    for i in range(first, first + n):
        enterprise = EnterpriseFactory()
        registration = RegistrationFactory(event=mw.event, enterprise=enterprise)
        meeting = Meeting.objects.create(
            event=mw.event,
            enterprise=enterprise,
            institution=InstitutionFactory() if i >= len(mw.slots) else mw.bank,
            slot=mw.slots[i % len(mw.slots)],
            status=status,
        )
        Contract.objects.create(
            reference=f"Q-{mw.event.pk}-{meeting.pk}",
            kind="loan",
            amount="1000000.00",
            signed_on=timezone.localdate(),
            institution=meeting.institution,
            enterprise=enterprise,
            event=mw.event,
            registration=registration,
            meeting=meeting,
        )


def queries(client: APIClient, url: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured), response.json()


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("bank_user", "/api/v1/meetings/"),
        ("bank_user", "/api/v1/meetings/?event={slug}&status=accepted"),
        ("organiser", "/api/v1/events/{slug}/meetings/"),
        ("organiser", "/api/v1/events/{slug}/contracts/"),
        ("bank_user", "/api/v1/events/{slug}/contracts/"),
        ("enterprise_user", "/api/v1/events/{slug}/slots/"),
    ],
)
def test_lists_take_the_same_queries_for_many_rows(mw, who, url, django_assert_max_num_queries):
    client = client_for(getattr(mw, who))
    url = url.format(slug=mw.event.slug)
    add_meetings(mw, 1)
    few, _ = queries(client, url)

    add_meetings(mw, 30)
    with django_assert_max_num_queries(few):
        response = client.get(url)

    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert len(rows) >= 3


def test_the_organisers_list_holds_every_meeting_of_the_event(mw):
    add_meetings(mw, 30)

    _, body = queries(client_for(mw.organiser), f"/api/v1/events/{mw.event.slug}/meetings/")

    assert body["count"] == 30
    assert len(body["results"]) == 25


def test_a_party_sees_only_its_own_meetings(mw):
    add_meetings(mw, 6)

    _, body = queries(client_for(mw.bank_user), f"/api/v1/meetings/?event={mw.event.slug}")

    assert body["count"] == 3
    assert {row["institution"]["id"] for row in body["results"]} == {mw.bank.pk}


def test_a_party_sees_only_its_own_contracts_at_the_event(mw):
    add_meetings(mw, 6)

    _, body = queries(client_for(mw.bank_user), f"/api/v1/events/{mw.event.slug}/contracts/")

    assert body["count"] == 3


def test_a_taken_slot_answers_409_with_a_message(mw):
    other = EnterpriseFactory()
    RegistrationFactory(event=mw.event, enterprise=other)
    Meeting.objects.create(
        event=mw.event, enterprise=other, institution=mw.bank, slot=mw.slots[0], status="accepted"
    )
    asked = client_for(mw.enterprise_user).post(
        "/api/v1/meetings/", {"event": mw.event.slug, "institution": mw.bank.pk}, format="json"
    )
    assert asked.status_code == 201, asked.content

    response = client_for(mw.bank_user).post(
        f"/api/v1/meetings/{asked.json()['id']}/accept/", {"slot": mw.slots[0].pk}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "slot_taken"
    assert response.json()["detail"]
    assert Meeting.objects.get(pk=asked.json()["id"]).status == "requested"


def test_a_full_institution_answers_409_with_a_message(mw):
    mw.bank_registration.max_meetings = 2
    mw.bank_registration.save(update_fields=["max_meetings"])
    for slot in mw.slots[:2]:
        other = EnterpriseFactory()
        RegistrationFactory(event=mw.event, enterprise=other)
        Meeting.objects.create(
            event=mw.event, enterprise=other, institution=mw.bank, slot=slot, status="accepted"
        )
    asked = client_for(mw.enterprise_user).post(
        "/api/v1/meetings/", {"event": mw.event.slug, "institution": mw.bank.pk}, format="json"
    )

    response = client_for(mw.bank_user).post(
        f"/api/v1/meetings/{asked.json()['id']}/accept/",
        {"slot": mw.slots[2].pk},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "meetings_full"
    assert "at most 2 meetings" in response.json()["detail"]
    assert Meeting.objects.get(pk=asked.json()["id"]).status == "requested"


def test_asking_an_unregistered_institution_answers_400_with_the_field(mw):
    response = client_for(mw.enterprise_user).post(
        "/api/v1/meetings/",
        {"event": mw.event.slug, "institution": InstitutionFactory().pk},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"institution"}


@pytest.mark.parametrize(
    "body",
    [
        {"institution": "x"},
        {"event": "no-such-event", "institution": 1},
        {"event": "{slug}", "institution": 999999},
        {"event": "{slug}", "institution": "{bank}", "slot": 999999},
    ],
    ids=["bad id", "unknown event", "unknown institution", "unknown slot"],
)
def test_bad_requests_are_refused_without_a_meeting(mw, body):
    values = {
        k: str(v).format(slug=mw.event.slug, bank=mw.bank.pk) if isinstance(v, str) else v
        for k, v in body.items()
    }

    response = client_for(mw.enterprise_user).post("/api/v1/meetings/", values, format="json")

    assert response.status_code in (400, 404)
    assert set(response.json()) >= {"detail", "code"}
    assert not Meeting.objects.filter(event=mw.event).exists()


def test_the_detail_names_the_moves_its_reader_may_make(mw):
    asked = client_for(mw.enterprise_user).post(
        "/api/v1/meetings/",
        {"event": mw.event.slug, "institution": mw.bank.pk, "slot": mw.slots[1].pk},
        format="json",
    )
    pk = asked.json()["id"]

    as_enterprise = client_for(mw.enterprise_user).get(f"/api/v1/meetings/{pk}/").json()
    as_bank = client_for(mw.bank_user).get(f"/api/v1/meetings/{pk}/").json()
    as_organiser = client_for(mw.organiser).get(f"/api/v1/meetings/{pk}/").json()

    assert as_enterprise["allowed_actions"] == ["cancel"]
    assert as_bank["allowed_actions"] == ["accept", "decline", "cancel"]
    assert as_organiser["allowed_actions"] == []
    assert as_bank["slot"]["id"] == mw.slots[1].pk


def test_an_organiser_adds_a_slot_and_a_bad_one_answers_400(mw):
    client = client_for(mw.organiser)
    url = f"/api/v1/events/{mw.event.slug}/slots/"
    start = mw.event.starts_at.replace(microsecond=0) + dt.timedelta(hours=4)

    made = client.post(
        url,
        {
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(minutes=20)).isoformat(),
        },
        format="json",
    )
    bad = client.post(
        url,
        {"starts_at": start.isoformat(), "ends_at": start.isoformat()},
        format="json",
    )

    assert made.status_code == 201, made.content
    assert bad.status_code == 400
    assert "ends_at" in bad.json()["fields"]
    assert mw.event.slots.count() == 4


def test_an_intention_is_followed_up_through_the_api(mw):
    contract = client_for(mw.bank_user).post(
        f"/api/v1/events/{mw.event.slug}/contracts/",
        {
            "kind": "intention",
            "amount": "1500000.00",
            "signed_on": timezone.localdate().isoformat(),
            "reference": "API-INTENT-1",
            "registration": mw.enterprise_registration.pk,
            "institution": mw.bank.pk,
            "product": mw.product.code,
        },
        format="json",
    )
    assert contract.status_code == 201, contract.content
    from tests.factories import IPAssetFactory

    asset = IPAssetFactory(enterprise=mw.enterprise)
    mw.product.accepted_ip_kinds.add(IPKind.objects.get(pk="invention_patent"))

    response = client_for(mw.enterprise_user).post(
        f"/api/v1/contracts/{contract.json()['id']}/to-application/",
        {"term_months": 12, "asset_ids": [asset.pk], "amount": "1500000.00"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft"
    assert response.json()["amount_requested"] == "1500000.00"


def test_unknown_rows_in_an_onsite_record_answer_400(mw):
    response = client_for(mw.organiser).post(
        f"/api/v1/events/{mw.event.slug}/contracts/",
        {
            "kind": "loan",
            "amount": "1500000.00",
            "signed_on": timezone.localdate().isoformat(),
            "reference": "API-LOAN-X",
            "registration": 999999,
            "institution": mw.bank.pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "registration" in response.json()["fields"]
    assert not Contract.objects.filter(reference="API-LOAN-X").exists()


def test_a_member_of_an_institution_sees_its_meetings(mw):
    officer = member_of(mw.bank)
    add_meetings(mw, 2)

    _, body = queries(client_for(officer), f"/api/v1/meetings/?event={mw.event.slug}")

    assert body["count"] == 2


def test_the_slots_tell_how_many_meetings_take_them(mw):
    add_meetings(mw, 4)  # slots 0, 1, 2, 0
    Meeting.objects.create(event=mw.event, enterprise=mw.enterprise, institution=mw.bank)

    _, body = queries(client_for(mw.enterprise_user), f"/api/v1/events/{mw.event.slug}/slots/")

    assert [slot["booked"] for slot in body] == [2, 1, 1]
