"""What enterprises and institutions see: the ranking page and API, the line
on a product page, leads, and the referral after a rejection; each list in a
number of queries that does not grow with its rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.models import Notification, User
from core.models import Province
from enterprises.models import Enterprise
from financing.models import Application
from financing.services import application_reject
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    IPAssetFactory,
    ProductFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    enterprise = EnterpriseFactory(
        province_id="330000", need_amount=Decimal("1500000"), need_term_months=12
    )
    IPAssetFactory(enterprise=enterprise, appraised_value=Decimal("4000000.00"))
    user = member_of(enterprise, UserFactory(email="ranking@test.example.com", language="en"))
    return user, Enterprise.objects.get(pk=enterprise.pk)


def _product(**terms):
    kinds = terms.pop("kinds", ["invention_patent"])
    product = ProductFactory(**terms)
    product.accepted_ip_kinds.set(kinds)
    return product


def test_the_ranking_page_shows_eligibility_and_reasons(client, applicant):
    user, _ = applicant
    fits = _product(
        name_en="Fitting Loan", max_pledge_ratio=Decimal("50"), rate_min=Decimal("0.50")
    )
    fits.provinces_served.set([Province.objects.get(pk="330000")])
    client.force_login(user)
    html = client.get("/matching/?amount=1500000&term=12").content.decode()
    assert f'data-product="{fits.code}" data-eligible="yes"' in html
    assert "You can borrow up to ¥2,000,000 here" in html
    # The products it cannot borrow from come after every one it can.
    assert 'data-eligible="no"' not in html[: html.index(f'data-product="{fits.code}"')]


def test_bad_need_shows_the_form_again(client, applicant):
    user, _ = applicant
    client.force_login(user)
    response = client.get("/matching/?amount=-1")
    assert response.status_code == 200
    assert "Please correct the need above." in response.content.decode()


def test_the_product_page_tells_an_enterprise_what_it_can_borrow(client, applicant):
    user, _ = applicant
    product = _product(max_pledge_ratio=Decimal("40"))
    client.force_login(user)
    html = client.get(f"/products/{product.code}/").content.decode()
    assert 'data-fit="eligible"' in html
    assert "You can borrow up to ¥1,600,000 here" in html  # 4,000,000 × 40 %
    visitor = client.__class__().get(f"/products/{product.code}/").content.decode()
    assert "data-fit=" not in visitor


def test_the_ranking_api_answers_with_reasons(client, applicant):
    user, _ = applicant
    product = _product()
    client.force_login(user)
    body = client.get("/api/v1/matching/ranking/?amount=1500000&term=12&page_size=200").json()
    assert body["count"] >= 1
    row = next(r for r in body["results"] if r["product"]["code"] == product.code)
    assert row["eligible"] is True
    assert row["pledge_capacity"] == "2000000.00"
    assert {r["criterion"] for r in row["reasons"]} == {
        "province",
        "ip_kinds",
        "amount",
        "capacity",
        "term",
        "rate",
    }
    bad = client.get("/api/v1/matching/ranking/?term=0").json()
    assert bad["code"] == "invalid" and "term" in bad["fields"]


def test_leads_list_discoverable_enterprises_that_fit(client):
    # A bank serving Xinjiang only, where no enterprise of the demo campaign is.
    product = _product(amount_min=Decimal("100000"), term_max_months=60)
    product.provinces_served.set([Province.objects.get(pk="650000")])
    bank_user = member_of(product.institution, UserFactory(email="leads@test.example.com"))
    xinjiang = {"province_id": "650000", "need_amount": Decimal("500000"), "need_term_months": 12}
    found = EnterpriseFactory(discoverable=True, **xinjiang)
    IPAssetFactory(enterprise=found, appraised_value=Decimal("3000000"))
    hidden = EnterpriseFactory(discoverable=False, **xinjiang)
    IPAssetFactory(enterprise=hidden, appraised_value=Decimal("3000000"))
    client.force_login(bank_user)
    html = client.get("/matching/leads/").content.decode()
    assert f'data-enterprise="{found.pk}"' in html
    assert f'data-enterprise="{hidden.pk}"' not in html
    assert "the enterprise holds 1 valid, unpledged assets" in html  # about it, not to it
    api = client.get("/api/v1/matching/leads/?page_size=200").json()
    assert [row["enterprise"]["id"] for row in api["results"]] == [found.pk]
    assert all(row["best"]["eligible"] for row in api["results"])


def test_a_rejected_enterprise_is_told_and_shown_the_best_other_eligible_products(
    client, applicant, django_capture_on_commit_callbacks
):
    user, enterprise = applicant
    rejecting = _product(name_en="Rejecting Loan")
    banker = member_of(rejecting.institution, UserFactory(language="en"))
    # Local, cheap and generous: it outranks the demo campaign's products.
    best = _product(name_en="Best Other Loan", rate_min=Decimal("0"), max_pledge_ratio=100)
    best.provinces_served.set([Province.objects.get(pk="330000")])
    ineligible = _product(name_en="Trademarks Only Loan", kinds=["trademark"])
    application = ApplicationFactory(
        enterprise=enterprise,
        product=rejecting,
        status=Application.Status.UNDER_REVIEW,
        amount_requested=Decimal("1500000"),
        term_months=12,
    )
    with django_capture_on_commit_callbacks(execute=True):
        application_reject(application=application, actor=banker, reason="Too young.")
    body = Notification.objects.get(recipient=user).body
    assert "Best Other Loan" in body
    assert "Trademarks Only Loan" not in body and "Rejecting Loan (" not in body
    client.force_login(user)
    html = client.get(f"/applications/{application.pk}/").content.decode()
    assert f'data-product="{best.code}"' in html
    assert f'data-product="{ineligible.code}"' not in html


@pytest.mark.parametrize("extra", [0, 30])
def test_lists_read_in_a_bounded_number_of_queries(
    client, applicant, extra, django_assert_max_num_queries
):
    user, _ = applicant
    for _ in range(extra):
        _product()
        found = EnterpriseFactory(discoverable=True, need_amount=Decimal("500000"))
        IPAssetFactory(enterprise=found)
    client.force_login(user)
    with django_assert_max_num_queries(20):
        assert client.get("/matching/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get("/api/v1/matching/ranking/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/matching/agenda/").status_code == 200
    client.force_login(User.objects.get(email="bank@example.com"))
    with django_assert_max_num_queries(20):
        assert client.get("/matching/leads/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get("/api/v1/matching/leads/").status_code == 200


def test_an_institution_without_published_products_has_no_leads_yet(client):
    product = _product(status="draft")
    client.force_login(member_of(product.institution, UserFactory()))
    response = client.get("/matching/leads/")
    assert response.status_code == 200
    assert "No lead yet" in response.content.decode()
    assert client.get("/api/v1/matching/leads/").json()["count"] == 0


def test_the_workspace_shows_the_best_products_for_the_stated_need(client, applicant):
    user, _ = applicant
    best = _product(rate_min=Decimal("0"), max_pledge_ratio=100)
    best.provinces_served.set([Province.objects.get(pk="330000")])
    client.force_login(user)
    html = client.get("/enterprise/").content.decode()
    section = html[html.index('data-section="products-for-you"') :]
    assert f'data-product="{best.code}"' in section
    assert "You can borrow up to ¥4,000,000 here" in section


def test_the_agenda_and_the_meetings_list_lead_to_each_other():
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(email="enterprise@example.com"))
    agenda = client.get("/matching/agenda/").content.decode()
    meetings = client.get("/meetings/").content.decode()
    assert 'href="/meetings/"' in agenda and "My agenda" in agenda
    assert 'href="/matching/agenda/"' in meetings


def test_the_apply_link_carries_the_amount_and_term_ranked_for(client, applicant):
    """From the ranking to the application form: the need asked about goes
    along, also to a product the pledge capacity does not cover (applying
    there is allowed, with the reason in sight)."""
    user, _ = applicant
    fits = _product(max_pledge_ratio=Decimal("100"), term_min_months=6, term_max_months=36)
    short = _product(max_pledge_ratio=Decimal("50"), term_min_months=6, term_max_months=36)
    far = _product(max_pledge_ratio=Decimal("100"), term_min_months=24, term_max_months=36)
    client.force_login(user)

    html = client.get("/matching/?amount=300万&term=12").content.decode()

    def card(product) -> str:
        start = html.index(f'data-product="{product.code}"')
        ends = [html.find(end, start) for end in ('<li class="card"', "</ol>")]
        return html[start : min(end for end in ends if end > 0)]

    link = "/applications/new/?product={}&amp;amount=3000000&amp;term=12"
    assert link.format(fits.code) in card(fits)
    assert "Apply for this product" in card(fits)
    # 4,000,000 × 50 % does not cover 3,000,000: applying is offered all the same.
    assert 'data-eligible="no"' in card(short)
    assert link.format(short.code) in card(short)
    assert "Apply all the same" in card(short)
    # A term the product does not lend for is no application at all.
    assert "/applications/new/" not in card(far)
