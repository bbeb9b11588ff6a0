"""Voiding a contract or intention agreement recorded at an event by mistake:
the event's organisers or the institution's officers do it, with a reason
kept in its history; the parties are told; it leaves every figure."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Notification
from core.exceptions import Conflict
from core.models import IPKind
from dashboards.cells import breakdown, dashboard_figures
from dashboards.selectors import Scope, contracts_in_scope
from financing.models import Contract, ContractStatusChange
from financing.services import contract_record_onsite, contract_void, intention_to_application
from tests.events.meetings.helpers import make_meeting_world
from tests.factories import IPAssetFactory, ProductFactory

pytestmark = pytest.mark.django_db

REASON = "Typed twice at the desk"


@pytest.fixture
def mw():
    world = make_meeting_world()
    world.product = ProductFactory(institution=world.bank)
    world.product.accepted_ip_kinds.set(IPKind.objects.filter(code="invention_patent"))
    return world


def record(mw, reference: str = "ONSITE-V-1", **kwargs) -> Contract:
    values = {
        "event": mw.event,
        "actor": mw.organiser,
        "kind": "intention",
        "amount": Decimal("2000000.00"),
        "signed_on": timezone.localdate(),
        "reference": reference,
        "registration": mw.enterprise_registration,
        "institution": mw.bank,
        "product": mw.product,
    }
    return contract_record_onsite(**{**values, **kwargs})


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_organiser_voids_a_mistake_and_the_figures_follow(
    mw, django_capture_on_commit_callbacks
):
    kept = record(mw, reference="ONSITE-V-KEEP", amount=Decimal("500000.00"))
    with django_capture_on_commit_callbacks(execute=True):
        mistake = record(mw)
    campaign = Scope(campaign=mw.event.campaign)
    before = dashboard_figures(scope=campaign)
    assert before.contract_amount == Decimal("2500000.00")
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        response = web(mw.organiser).post(
            f"/contracts/{mistake.pk}/void/", {"note": REASON, "confirmed": "1"}, follow=True
        )

    assert response.status_code == 200
    assert "is void" in response.content.decode()
    mistake.refresh_from_db()
    assert mistake.status == Contract.Status.VOID
    change = ContractStatusChange.objects.get(contract=mistake)
    assert (change.from_status, change.to_status, change.note, change.actor) == (
        "signed",
        "void",
        REASON,
        mw.organiser,
    )
    after = dashboard_figures(scope=campaign)
    assert after.contract_amount == kept.amount
    assert after.contracts_signed == before.contracts_signed - 1
    assert after.intention_amount == kept.amount
    assert [r.figures.contract_amount for r in breakdown(scope=campaign, by="event")] == [
        kept.amount
    ]
    assert list(contracts_in_scope(scope=campaign)) == [kept]
    told = Notification.objects.filter(kind="contract-void")
    assert {n.recipient for n in told} >= {mw.enterprise_user, mw.bank_user}
    assert all(REASON in n.body for n in told)


def test_the_institutions_officer_voids_through_the_api(mw):
    contract = record(mw)

    response = api(mw.bank_user).post(
        f"/api/v1/contracts/{contract.pk}/void/", {"note": REASON}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "void"
    assert response.json()["reference"] == contract.reference


@pytest.mark.parametrize("where", ["page", "api"])
def test_the_enterprise_may_not_void_and_nothing_changes(mw, where):
    contract = record(mw)
    if where == "page":
        status = (
            web(mw.enterprise_user)
            .post(f"/contracts/{contract.pk}/void/", {"note": REASON})
            .status_code
        )
    else:
        status = (
            api(mw.enterprise_user)
            .post(f"/api/v1/contracts/{contract.pk}/void/", {"note": REASON}, format="json")
            .status_code
        )
    assert status == 403
    contract.refresh_from_db()
    assert contract.status == Contract.Status.SIGNED
    assert not ContractStatusChange.objects.filter(contract=contract).exists()


def test_a_void_needs_a_reason(mw):
    contract = record(mw)
    page = web(mw.organiser).post(f"/contracts/{contract.pk}/void/", {"note": "  "})
    assert page.status_code == 400
    response = api(mw.organiser).post(
        f"/api/v1/contracts/{contract.pk}/void/", {"note": ""}, format="json"
    )
    assert response.status_code == 400
    assert "note" in response.json()["fields"]
    contract.refresh_from_db()
    assert contract.status == Contract.Status.SIGNED


def test_a_contract_is_voided_once_and_a_void_intention_is_not_followed_up(mw):
    contract = record(mw)
    contract_void(contract=contract, actor=mw.organiser, note=REASON)

    response = api(mw.bank_user).post(
        f"/api/v1/contracts/{contract.pk}/void/", {"note": REASON}, format="json"
    )
    assert response.status_code == 409
    assert ContractStatusChange.objects.filter(contract=contract).count() == 1
    asset = IPAssetFactory(enterprise=mw.enterprise, kind_id="invention_patent")
    with pytest.raises(Conflict):
        intention_to_application(
            contract=contract, actor=mw.enterprise_user, term_months=12, asset_ids=[asset.pk]
        )
