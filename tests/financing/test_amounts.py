"""Amounts on the financing pages are typed as people write them: an
application of 250万, an approval of 200万, a contract signed on site of 350万."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from core.models import IPKind
from financing.models import Application, Contract
from tests.events.meetings.helpers import make_meeting_world
from tests.factories import ProductFactory
from tests.financing.workflow import TERMS, application_at

pytestmark = pytest.mark.django_db
S = Application.Status


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_application_for_250_wan_asks_for_2_500_000_yuan(parties):
    response = client_for(parties.applicant).post(
        f"/applications/new/?product={parties.product.code}",
        {"amount": "250万", "term_months": "24", "assets": [parties.assets[0].pk], "save": "1"},
    )

    assert response.status_code == 302
    application = Application.objects.get(enterprise=parties.enterprise)
    assert application.amount_requested == Decimal("2500000")


@pytest.mark.parametrize(
    ("status", "action", "data", "saved"),
    [
        (S.UNDER_REVIEW, "approve", TERMS, lambda a: a.amount_approved),
        (
            S.APPROVED,
            "sign-contract",
            {"signed_on": "2025-12-20", "reference": "LOAN-WAN-1", **TERMS},
            lambda a: a.contract.amount,
        ),
        (
            S.PLEDGE_REGISTERED,
            "disburse",
            {"disbursed_on": "2025-12-22"},
            lambda a: a.contract.disbursed_amount,
        ),
    ],
)
def test_a_bank_approves_signs_and_pays_out_in_wan(parties, status, action, data, saved):
    application = application_at(status, parties)

    response = client_for(parties.banker).post(
        f"/applications/{application.pk}/{action}/",
        {f"{action}-amount": "２００万", **{f"{action}-{k}": v for k, v in data.items()}},
    )

    assert response.status_code == 302
    application = Application.objects.select_related("contract").get(pk=application.pk)
    assert saved(application) == Decimal("2000000")


def test_the_queue_filter_reads_wan(parties):
    small = application_at(S.SUBMITTED, parties, amount=Decimal("1500000"))
    application_at(S.SUBMITTED, parties, amount=Decimal("8000000"))

    html = client_for(parties.banker).get("/applications/queue/?amount_max=200万").content.decode()

    assert re.findall(r'data-application="(\d+)"', html) == [str(small.pk)]
    assert 'name="amount_max" value="200万"' in html


def test_a_contract_recorded_on_site_in_wan_counts_in_yuan():
    world = make_meeting_world()
    product = ProductFactory(institution=world.bank)
    product.accepted_ip_kinds.set(IPKind.objects.filter(code="invention_patent"))

    response = client_for(world.organiser).post(
        f"/events/{world.event.slug}/outcomes/",
        {
            "kind": "loan",
            "registration": world.enterprise_registration.pk,
            "institution": world.bank.pk,
            "product": product.pk,
            "amount": "350万元",
            "signed_on": timezone.localdate().isoformat(),
            "reference": "ONSITE-WAN-1",
        },
    )

    assert response.status_code == 302
    assert Contract.objects.get(reference="ONSITE-WAN-1").amount == Decimal("3500000")
