"""The terms a bank approves with (annual rate, term, repayment method) are
recorded as fields, shown on the application's page and in the API, and
the contract form starts from them; the contract keeps what was signed."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from financing.models import Application, RepaymentMethod
from financing.services import application_approve
from tests.financing.workflow import application_at

pytestmark = pytest.mark.django_db
S = Application.Status


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def approve(parties, application, **terms):
    data = {"amount": "2000000", "interest_rate": "4.35", "term_months": "24"}
    data["repayment_method"] = "equal_principal"
    data.update(terms)
    return client_for(parties.banker).post(
        f"/applications/{application.pk}/approve/",
        {f"approve-{name}": value for name, value in data.items()},
    )


def field_value(html: str, name: str) -> str | None:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    return found.group(1) if found else None


def selected(html: str, name: str) -> str | None:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    found = re.search(r'<option value="([^"]*)" selected>', select.group(1))
    return found.group(1) if found else None


def test_the_bank_approves_with_its_terms_and_the_page_shows_them(parties):
    application = application_at(S.UNDER_REVIEW, parties)

    assert approve(parties, application).status_code == 302

    application.refresh_from_db()
    assert application.status == S.APPROVED
    assert application.interest_rate_approved == Decimal("4.35")
    assert application.term_months_approved == 24
    assert application.repayment_method_approved == RepaymentMethod.EQUAL_PRINCIPAL
    with translation.override("zh-hans"):
        html = (
            client_for(parties.applicant)
            .get(f"/zh-hans/applications/{application.pk}/")
            .content.decode()
        )
    assert re.search(r'data-term="rate">4.35%<', html)
    assert re.search(r'data-term="months">24 ?个月<', html)
    assert 'data-term="repayment">等额本金<' in html


def test_the_contract_form_starts_from_the_terms_approved(parties):
    application = application_at(S.UNDER_REVIEW, parties)
    approve(parties, application, repayment_method="interest_monthly", term_months="18")

    html = client_for(parties.banker).get(f"/applications/{application.pk}/").content.decode()

    assert field_value(html, "sign-contract-amount") is not None
    assert field_value(html, "sign-contract-interest_rate") == "4.35"
    assert field_value(html, "sign-contract-term_months") == "18"
    assert selected(html, "sign-contract-repayment_method") == "interest_monthly"


def test_the_contract_records_the_terms_signed(parties):
    application = application_at(S.UNDER_REVIEW, parties)
    approve(parties, application)

    response = client_for(parties.banker).post(
        f"/applications/{application.pk}/sign-contract/",
        {
            "sign-contract-amount": "2000000",
            "sign-contract-interest_rate": "4.2",
            "sign-contract-term_months": "24",
            "sign-contract-repayment_method": "equal_principal",
            "sign-contract-signed_on": "2025-12-20",
            "sign-contract-reference": "TERMS-1",
        },
    )

    assert response.status_code == 302
    application.refresh_from_db()
    contract = application.contract
    assert (contract.interest_rate, contract.term_months, contract.repayment_method) == (
        Decimal("4.2"),
        24,
        "equal_principal",
    )
    # The approval keeps what was decided; the contract what was signed.
    assert application.interest_rate_approved == Decimal("4.35")
    html = client_for(parties.applicant).get(f"/applications/{application.pk}/").content.decode()
    assert 'data-term="rate">4.20%<' in html


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"interest_rate": "36.01"}, "interest_rate"),
        ({"interest_rate": "-0.01"}, "interest_rate"),
        ({"term_months": "0"}, "term_months"),
        # The product lends for 6 to 36 months.
        ({"term_months": "37"}, "term_months"),
        ({"repayment_method": "whenever"}, "repayment_method"),
        ({"repayment_method": ""}, "repayment_method"),
        ({"interest_rate": ""}, "interest_rate"),
    ],
)
def test_terms_out_of_bounds_are_refused_and_nothing_changes(parties, terms, field):
    application = application_at(S.UNDER_REVIEW, parties)

    response = approve(parties, application, **terms)

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(
        rf'id="id_approve-{field}_error"|aria-invalid="true"[^>]*approve-{field}', html
    )
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert application.interest_rate_approved is None


@pytest.mark.parametrize(("rate", "months"), [("36", "36"), ("0", "1")])
def test_terms_at_their_bounds_are_accepted(parties, rate, months):
    application = application_at(S.UNDER_REVIEW, parties)

    assert approve(parties, application, interest_rate=rate, term_months=months).status_code == 302

    application.refresh_from_db()
    assert (application.interest_rate_approved, application.term_months_approved) == (
        Decimal(rate),
        int(months),
    )


def test_the_service_refuses_a_term_longer_than_the_products(parties):
    application = application_at(S.UNDER_REVIEW, parties)

    with pytest.raises(ValidationError) as refused:
        application_approve(
            application=application,
            actor=parties.banker,
            amount=Decimal("1000000"),
            interest_rate=Decimal("5"),
            term_months=parties.product.term_max_months + 1,
            repayment_method=RepaymentMethod.BULLET,
        )

    assert "term_months" in refused.value.message_dict
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_an_application_approved_before_terms_were_recorded_shows_dashes(parties):
    application = application_at(S.APPROVED, parties)
    assert application.interest_rate_approved is None

    html = client_for(parties.banker).get(f"/applications/{application.pk}/").content.decode()

    assert 'data-term="rate">—<' in html
    assert 'data-term="months">—<' in html
    assert 'data-term="repayment">—<' in html
    assert field_value(html, "sign-contract-interest_rate") is None


def test_the_api_approves_with_terms_and_shows_them(parties):
    application = application_at(S.UNDER_REVIEW, parties)
    client = APIClient()
    client.force_authenticate(parties.banker)

    response = client.post(
        f"/api/v1/applications/{application.pk}/approve/",
        {
            "amount": "2000000",
            "interest_rate": "3.85",
            "term_months": 12,
            "repayment_method": "bullet",
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (
        body["interest_rate_approved"],
        body["term_months_approved"],
        body["repayment_method_approved"],
    ) == ("3.85", 12, "bullet")


def test_the_api_asks_for_the_terms(parties):
    application = application_at(S.UNDER_REVIEW, parties)
    client = APIClient()
    client.force_authenticate(parties.banker)

    response = client.post(
        f"/api/v1/applications/{application.pk}/approve/", {"amount": "2000000"}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"interest_rate", "term_months", "repayment_method"}
