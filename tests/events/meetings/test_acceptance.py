"""Issue 4's acceptance: the demo enterprise and the demo bank, both
registered for an event, book a meeting; a contract is recorded on site; the
event's figures and the dashboard summary move by exactly that contract."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Notification
from dashboards.selectors import Scope, campaign_figures
from events.models import Meeting
from financing.models import Contract

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def summary(client: APIClient, event) -> dict:
    response = client.get("/api/v1/dashboard/summary/", {"event": event.slug})
    assert response.status_code == 200, response.content
    return response.json()


def test_a_booked_meeting_and_an_onsite_contract_move_the_figures_by_the_contract(
    mw, django_capture_on_commit_callbacks
):
    regulator = client_for(mw.organiser)
    before = campaign_figures(scope=Scope(event=mw.event))
    summary_before = summary(regulator, mw.event)

    with django_capture_on_commit_callbacks(execute=True):
        asked = client_for(mw.enterprise_user).post(
            "/api/v1/meetings/",
            {"event": mw.event.slug, "institution": mw.bank.pk, "slot": mw.slots[0].pk},
            format="json",
        )
    assert asked.status_code == 201, asked.content
    meeting_id = asked.json()["id"]
    assert Notification.objects.filter(
        recipient=mw.bank_user, kind="meeting-request", link__contains=f"/meetings/{meeting_id}/"
    ).exists()

    with django_capture_on_commit_callbacks(execute=True):
        accepted = client_for(mw.bank_user).post(
            f"/api/v1/meetings/{meeting_id}/accept/", {}, format="json"
        )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    assert any(mw.enterprise_user.email in m.to for m in mail.outbox)

    recorded = regulator.post(
        f"/api/v1/events/{mw.event.slug}/contracts/",
        {
            "kind": "loan",
            "amount": "3500000.00",
            "signed_on": timezone.localdate().isoformat(),
            "reference": "ONSITE-ACCEPT-1",
            "registration": mw.enterprise_registration.pk,
            "institution": mw.bank.pk,
            "product": mw.product.code,
            "meeting": meeting_id,
        },
        format="json",
    )
    assert recorded.status_code == 201, recorded.content

    contract = Contract.objects.get(reference="ONSITE-ACCEPT-1")
    assert contract.event == mw.event
    assert contract.registration == mw.enterprise_registration
    assert contract.meeting_id == meeting_id
    meeting = Meeting.objects.get(pk=meeting_id)
    assert (meeting.status, meeting.outcome) == ("held", "contract")

    after = campaign_figures(scope=Scope(event=mw.event))
    assert after.contracts_signed == before.contracts_signed + 1
    assert after.contract_amount == before.contract_amount + Decimal("3500000.00")
    assert after.intention_amount == before.intention_amount
    assert after.financed_enterprises == before.financed_enterprises + 1
    unchanged = {"activities", "enterprises_involved", "institutions_involved", "parks_covered"}
    assert {k: getattr(after, k) for k in unchanged} == {k: getattr(before, k) for k in unchanged}

    summary_after = summary(regulator, mw.event)
    assert summary_after["contracts_signed"] == summary_before["contracts_signed"] + 1
    assert Decimal(summary_after["contract_amount"]) == Decimal(
        summary_before["contract_amount"]
    ) + Decimal("3500000.00")
    assert summary_after["intention_amount"] == summary_before["intention_amount"]


def test_an_intention_counts_as_intention_at_once(mw):
    before = campaign_figures(scope=Scope(event=mw.event))

    response = client_for(mw.bank_user).post(
        f"/api/v1/events/{mw.event.slug}/contracts/",
        {
            "kind": "intention",
            "amount": "2000000.00",
            "signed_on": timezone.localdate().isoformat(),
            "reference": "ONSITE-INTENT-1",
            "registration": mw.enterprise_registration.pk,
            "institution": mw.bank.pk,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    after = campaign_figures(scope=Scope(event=mw.event))
    assert after.contracts_signed == before.contracts_signed + 1
    assert after.contract_amount == before.contract_amount + Decimal("2000000.00")
    assert after.intention_amount == before.intention_amount + Decimal("2000000.00")
