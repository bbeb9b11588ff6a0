"""The workflow's pages: the enterprise's list and form, the bank's queue and
an application's page with exactly the moves its reader may make."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.models import IPKind
from enterprises.models import Enterprise, IPAsset
from financing.models import Application, Contract
from products.models import Institution, Product
from tests.factories import (
    ApplicationFactory,
    ContractFactory,
    EnterpriseFactory,
    IPAssetFactory,
    ParkFactory,
    ProductFactory,
    RegulatorOfficeFactory,
    member_of,
)
from tests.financing.workflow import TERMS, application_at, snapshot

pytestmark = pytest.mark.django_db
S = Application.Status
# The terms a bank approves with, as the approval form posts them.
APPROVE_TERMS = {f"approve-{name}": value for name, value in TERMS.items()}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def offered(html: str) -> list[str]:
    return re.findall(r'data-action="([\w-]+)"', html)


def messages_in(html: str) -> list[str]:
    return re.findall(r'<li class="message[^"]*">([^<]*)</li>', html)


# --- the enterprise's list and form


def test_the_enterprise_lists_its_applications_by_status(parties):
    draft = application_at(S.DRAFT, parties)
    submitted = application_at(S.SUBMITTED, parties)
    ApplicationFactory(status=S.SUBMITTED)  # someone else's
    client = client_for(parties.applicant)

    html = client.get("/applications/").content.decode()
    assert set(re.findall(r'data-application="(\d+)"', html)) == {
        str(draft.pk),
        str(submitted.pk),
    }
    html = client.get("/applications/?status=draft").content.decode()
    assert re.findall(r'data-application="(\d+)"', html) == [str(draft.pk)]


def test_the_list_is_paginated(parties):
    for _ in range(26):
        ApplicationFactory(enterprise=parties.enterprise, product=parties.product)
    client = client_for(parties.applicant)

    first = client.get("/applications/")
    second = client.get("/applications/?page=2")
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 1
    assert 'rel="next"' in first.content.decode()


def test_only_enterprise_members_have_the_list_and_the_form(parties):
    client = client_for(parties.banker)
    assert client.get("/applications/").status_code == 403
    assert client.get(f"/applications/new/?product={parties.product.code}").status_code == 403


def test_the_form_lists_the_eligible_assets_with_values_and_capacity(parties):
    expired = IPAssetFactory(enterprise=parties.enterprise, legal_status="expired")

    response = client_for(parties.applicant).get(
        f"/applications/new/?product={parties.product.code}"
    )

    assert response.status_code == 200
    html = response.content.decode()
    for asset in parties.assets:
        assert asset.number in html
    assert expired.number not in html
    assert "appraised at ¥4,000,000, lends up to ¥2,000,000" in html


def test_the_form_opens_with_the_amount_and_term_from_the_matching_page(parties):
    response = client_for(parties.applicant).get(
        f"/applications/new/?product={parties.product.code}&amount=250万&term=12"
    )

    html = response.content.decode()
    assert re.search(r'name="amount" value="2,500,000"', html)
    assert re.search(r'name="term_months" value="12"', html)
    # Within the capacity: the capacity is told, with no warning.
    assert "Your pledge capacity for this product: <strong>¥3,000,000</strong>" in html
    assert "(¥6,000,000) × its pledge ratio of 50%" in html
    assert "data-above-capacity" not in html


def test_an_amount_that_does_not_read_leaves_the_form_empty(parties):
    html = (
        client_for(parties.applicant)
        .get(f"/applications/new/?product={parties.product.code}&amount=lots&term=-3")
        .content.decode()
    )
    assert 'name="amount" value=' not in html
    assert 'name="term_months" value=' not in html
    assert "data-above-capacity" not in html


def test_the_form_warns_of_an_amount_above_the_pledge_capacity(parties):
    from matching.selectors import product_ranking

    response = client_for(parties.applicant).get(
        f"/applications/new/?product={parties.product.code}&amount=400万&term=12"
    )

    html = response.content.decode()
    assert (
        "You ask for ¥4,000,000, more than the pledge capacity of ¥3,000,000. "
        "You may still apply" in html
    )
    # The same capacity the matching page shows for this product.
    match = product_ranking(
        enterprise=parties.enterprise, amount=Decimal("4000000"), term=12
    ).for_product(parties.product.pk)
    assert match is not None
    assert response.context["capacity"].capacity == match.capacity == Decimal("3000000.00")


def test_a_failed_submit_shows_the_capacity_of_the_assets_chosen(parties):
    response = client_for(parties.applicant).post(
        f"/applications/new/?product={parties.product.code}",
        # Only the patent appraised at 4,000,000; a term the product does not lend for.
        {"amount": "250万", "term_months": "99", "assets": [parties.assets[0].pk], "submit": "1"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "6 to 36 months" in html
    assert "Pledge capacity of the assets you chose: <strong>¥2,000,000</strong>" in html
    assert "their appraised value of ¥4,000,000 × this product's pledge ratio of 50%" in html
    assert "You ask for ¥2,500,000, more than the pledge capacity of ¥2,000,000." in html


def test_applying_above_the_capacity_is_allowed_and_warned(parties):
    response = client_for(parties.applicant).post(
        f"/applications/new/?product={parties.product.code}",
        {"amount": "500万", "term_months": "12", "assets": [a.pk for a in parties.assets]},
        follow=True,
    )

    application = Application.objects.get(enterprise=parties.enterprise)
    assert application.amount_requested == Decimal("5000000.00")
    assert (
        "You ask for ¥5,000,000, more than the pledge capacity of ¥3,000,000: "
        "the bank is unlikely to lend more than the capacity."
    ) in messages_in(response.content.decode())


@pytest.mark.parametrize("code", ["no-such-product", None])
def test_the_form_needs_a_published_product(parties, code):
    if code is None:
        code = ProductFactory(status=Product.Status.DRAFT).code
    response = client_for(parties.applicant).get(f"/applications/new/?product={code}")
    assert response.status_code == 404


def test_applying_submits_and_lands_on_the_application(parties):
    response = client_for(parties.applicant).post(
        f"/applications/new/?product={parties.product.code}",
        {
            "amount": "2500000",
            "term_months": "24",
            "assets": [a.pk for a in parties.assets],
            "submit": "1",
        },
        follow=True,
    )

    application = Application.objects.get(enterprise=parties.enterprise)
    assert response.redirect_chain[-1][0] == f"/applications/{application.pk}/"
    assert application.status == S.SUBMITTED
    assert application.pledges.count() == 2
    assert "Your application was submitted." in messages_in(response.content.decode())


def test_saving_a_draft(parties):
    response = client_for(parties.applicant).post(
        f"/applications/new/?product={parties.product.code}",
        {"amount": "2500000", "term_months": "24", "assets": [parties.assets[0].pk], "save": "1"},
    )
    assert response.status_code == 302
    assert Application.objects.get(enterprise=parties.enterprise).status == S.DRAFT


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"amount": "1", "term_months": "24"}, "amount", "between ¥1,000,000 and ¥10,000,000"),
        ({"amount": "2000000", "term_months": "99"}, "term_months", "6 to 36 months"),
        ({"amount": "2000000", "term_months": "24", "assets": []}, "assets", "at least one"),
        ({"amount": "", "term_months": "24"}, "amount", "required"),
    ],
)
def test_bad_input_shows_the_form_again_with_messages(parties, data, field, text):
    data = {"assets": [parties.assets[0].pk], **data}
    response = client_for(parties.applicant).post(
        f"/applications/new/?product={parties.product.code}", data
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert text in response.content.decode()
    assert not Application.objects.filter(enterprise=parties.enterprise).exists()


def test_an_asset_of_another_enterprise_is_not_a_choice(parties):
    foreign = IPAssetFactory()
    response = client_for(parties.applicant).post(
        f"/applications/new/?product={parties.product.code}",
        {"amount": "2000000", "term_months": "24", "assets": [foreign.pk]},
    )
    assert response.status_code == 200
    assert "assets" in response.context["form"].errors


# --- the bank's queue


def test_the_queue_shows_the_banks_applications_with_filters(parties):
    small = application_at(S.SUBMITTED, parties, amount=Decimal("1500000"))
    large = application_at(S.UNDER_REVIEW, parties, amount=Decimal("8000000"))
    application_at(S.DRAFT, parties)
    ApplicationFactory(status=S.SUBMITTED)
    client = client_for(parties.banker)

    def rows(query: str = "") -> set[str]:
        response = client.get(f"/applications/queue/{query}")
        assert response.status_code == 200
        return set(re.findall(r'data-application="(\d+)"', response.content.decode()))

    assert rows() == {str(small.pk), str(large.pk)}
    assert rows("?status=under_review") == {str(large.pk)}
    assert rows("?amount_max=2000000") == {str(small.pk)}
    assert rows(f"?q={parties.enterprise.name_en[:14]}") == {str(small.pk), str(large.pk)}
    assert rows("?amount_min=oops") == {str(small.pk), str(large.pk)}  # shown, not a 500


def test_the_queue_offers_the_banks_own_products_as_a_filter(parties):
    draft = ProductFactory(institution=parties.institution, status="draft", published_at=None)
    elsewhere = ProductFactory()

    page = client_for(parties.banker).get("/applications/queue/").content.decode()

    offered = set(re.findall(r'<option value="([^"]+)"', page))
    assert {parties.product.code, draft.code} <= offered
    assert elsewhere.code not in offered


def test_only_institution_officers_have_a_queue(parties):
    assert client_for(parties.applicant).get("/applications/queue/").status_code == 403


def test_the_queue_takes_the_same_queries_for_many_rows(parties):
    client = client_for(parties.banker)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/applications/queue/").status_code == 200
        return len(queries)

    application_at(S.SUBMITTED, parties)
    few = count()
    for _ in range(8):
        ApplicationFactory(
            product=parties.product, status=S.SUBMITTED, enterprise=EnterpriseFactory()
        )
    assert count() == few


# --- one application's page


@pytest.mark.parametrize(
    ("status", "enterprise_sees", "bank_sees"),
    [
        (S.SUBMITTED, ["withdraw"], ["take-for-review"]),
        (S.UNDER_REVIEW, ["withdraw"], ["request-info", "approve", "reject"]),
        (S.INFO_REQUESTED, ["answer-info", "withdraw"], []),
        (S.APPROVED, ["withdraw"], ["sign-contract"]),
        (S.CONTRACT_SIGNED, [], ["register-pledge"]),
        (S.DISBURSED, [], ["close"]),
        (S.CLOSED, [], []),
    ],
)
def test_the_page_offers_exactly_the_moves_allowed_to_its_reader(
    parties, status, enterprise_sees, bank_sees
):
    application = application_at(status, parties)
    url = f"/applications/{application.pk}/"

    assert offered(client_for(parties.applicant).get(url).content.decode()) == enterprise_sees
    assert offered(client_for(parties.banker).get(url).content.decode()) == bank_sees


def test_a_regulator_reads_without_buttons(parties):
    application = application_at(S.UNDER_REVIEW, parties)
    national = member_of(RegulatorOfficeFactory(level="national", province_id=None))

    response = client_for(national).get(f"/applications/{application.pk}/")

    assert response.status_code == 200
    assert offered(response.content.decode()) == []
    assert "reading this application as a regulator" in response.content.decode()


def test_the_page_shows_the_timeline_with_its_actors(parties):
    application = application_at(S.SUBMITTED, parties)
    client = client_for(parties.banker)
    client.post(
        f"/applications/{application.pk}/take-for-review/", {"take-for-review-note": "Mine."}
    )

    html = client.get(f"/applications/{application.pk}/").content.decode()
    assert "Submitted → Under review" in html
    assert "Mine." in html
    assert str(parties.banker) in html


def test_a_move_done_comes_back_as_a_message(parties):
    application = application_at(S.UNDER_REVIEW, parties)

    response = client_for(parties.banker).post(
        f"/applications/{application.pk}/approve/",
        {"approve-amount": "2000000", **APPROVE_TERMS},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"/applications/{application.pk}/"
    assert messages_in(response.content.decode()) == ["Done: Approve."]
    application.refresh_from_db()
    assert (application.status, application.amount_approved) == (S.APPROVED, Decimal("2000000"))


def test_a_move_refused_comes_back_as_a_message_and_changes_nothing(parties):
    application = application_at(S.UNDER_REVIEW, parties, amount=Decimal("5000000"))
    before = snapshot(application)

    response = client_for(parties.banker).post(
        f"/applications/{application.pk}/approve/",
        {"approve-amount": "4000000", **APPROVE_TERMS},
        follow=True,
    )

    assert response.status_code == 200
    [message] = messages_in(response.content.decode())
    assert "above the pledge capacity of ¥3,000,000" in message
    assert snapshot(application) == before


def test_a_move_the_status_does_not_allow_comes_back_as_a_message(parties):
    application = application_at(S.SUBMITTED, parties)
    before = snapshot(application)

    response = client_for(parties.banker).post(
        f"/applications/{application.pk}/close/", follow=True
    )

    assert response.status_code == 200
    [message] = messages_in(response.content.decode())
    assert "“Close” is not possible while the application is “Submitted”." in message
    assert snapshot(application) == before


def test_bad_input_for_a_move_shows_its_form_again(parties):
    application = application_at(S.UNDER_REVIEW, parties)
    before = snapshot(application)

    response = client_for(parties.banker).post(
        f"/applications/{application.pk}/reject/", {"reject-reason": ""}
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert snapshot(application) == before


def test_the_wrong_party_is_forbidden_and_outsiders_see_nothing(parties):
    application = application_at(S.UNDER_REVIEW, parties)
    outsider = member_of(ProductFactory().institution)

    forbidden = client_for(parties.applicant).post(
        f"/applications/{application.pk}/approve/", {"approve-amount": "1000000"}
    )
    hidden = client_for(outsider).post(
        f"/applications/{application.pk}/approve/", {"approve-amount": "1000000"}
    )
    unknown = client_for(parties.banker).post(f"/applications/{application.pk}/promote/")

    assert (forbidden.status_code, hidden.status_code, unknown.status_code) == (403, 404, 404)
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_the_enterprise_sees_other_products_after_a_rejection(parties):
    application = application_at(S.UNDER_REVIEW, parties, term_months=48)
    alternative = ProductFactory(term_min_months=40, term_max_months=60)
    # Eligible: it takes the patents.
    alternative.accepted_ip_kinds.set(IPKind.objects.filter(code="invention_patent"))
    client_for(parties.banker).post(
        f"/applications/{application.pk}/reject/", {"reject-reason": "Too early."}
    )

    enterprise_html = client_for(parties.applicant).get(f"/applications/{application.pk}/")
    bank_html = client_for(parties.banker).get(f"/applications/{application.pk}/")

    assert f'data-product="{alternative.code}"' in enterprise_html.content.decode()
    assert f"/applications/new/?product={alternative.code}" in enterprise_html.content.decode()
    assert "data-product=" not in bank_html.content.decode()


def test_the_page_takes_the_same_queries_however_long_its_story(parties):
    client = client_for(parties.banker)

    def count(application: Application) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/applications/{application.pk}/").status_code == 200
        return len(queries)

    short = application_at(S.SUBMITTED, parties)
    long = application_at(S.SUBMITTED, parties)
    client.post(f"/applications/{long.pk}/take-for-review/")
    client.post(f"/applications/{long.pk}/request-info/", {"request-info-note": "Why?"})
    client_for(parties.applicant).post(
        f"/applications/{long.pk}/answer-info/", {"answer-info-note": "Because."}
    )
    assert long.history.count() == 3
    # Same status for both, so the same forms; only the story differs.
    Application.objects.filter(pk=short.pk).update(status=S.UNDER_REVIEW)
    assert count(short) == count(long)


def test_the_page_reads_in_chinese(parties):
    application = application_at(S.UNDER_REVIEW, parties)
    response = client_for(parties.banker).get(f"/zh-hans/applications/{application.pk}/")
    assert response.status_code == 200
    assert "300万元" in response.content.decode()


def test_bad_input_for_a_move_no_longer_possible_says_so(parties):
    # The officer's page still offers "reject"; a colleague approved meanwhile.
    application = application_at(S.APPROVED, parties)

    response = client_for(parties.banker).post(
        f"/applications/{application.pk}/reject/", {"reject-reason": ""}, follow=True
    )

    [message] = messages_in(response.content.decode())
    assert "“Reject” is not possible while the application is “Approved”." in message
    application.refresh_from_db()
    assert application.status == S.APPROVED


def test_the_capacity_warning_reads_in_chinese(parties):
    html = (
        client_for(parties.applicant)
        .get(f"/zh-hans/applications/new/?product={parties.product.code}&amount=400万&term=12")
        .content.decode()
    )
    assert "您在本产品下的可质押额度：<strong>300万元</strong>，即本产品可接受的" in html
    assert "申请金额400万元超过可质押额度300万元。" in html
    assert 'name="amount" value="400万"' in html


# --- the enterprise behind an application, on the bank's page


@dataclass
class Dealings:
    application: Application  # under review, 24 months asked
    earlier: Application  # to the same bank, rejected
    other_bank: Institution


def _dealings(parties) -> Dealings:
    """The enterprise's story: registration details, an asset that expires
    before a loan would end, another application to the same bank, and
    dealings with another bank."""
    park = ParkFactory(name_en="Binjiang Hi-tech Zone")
    Enterprise.objects.filter(pk=parties.enterprise.pk).update(
        credit_code="91330100MA2TEST012",
        size=Enterprise.Size.MEDIUM,
        founded_on=dt.date(2014, 5, 20),
        park=park,
    )
    first = parties.assets[0]
    IPAsset.objects.filter(pk=first.pk).update(
        appraiser="Zhejiang Appraisal Co.",
        appraised_on=dt.date(2025, 9, 30),
        expires_on=dt.date(2026, 3, 1),
    )
    application = application_at(S.UNDER_REVIEW, parties, term_months=24)
    earlier = application_at(S.REJECTED, parties, amount=Decimal("1500000.00"))
    other_product = ProductFactory(name_en="Rival Loan RIVAL-PRODUCT")
    other_bank = other_product.institution
    for status in (S.REJECTED, S.DISBURSED, S.UNDER_REVIEW):
        ApplicationFactory(enterprise=parties.enterprise, product=other_product, status=status)
    ApplicationFactory(enterprise=parties.enterprise, product=other_product)  # a draft
    ContractFactory(
        enterprise=parties.enterprise,
        institution=other_bank,
        reference="RIVAL-CONTRACT-1",
        amount=Decimal("2000000.00"),
    )
    ContractFactory(
        enterprise=parties.enterprise,
        institution=other_bank,
        reference="RIVAL-INTENTION-1",
        kind=Contract.Kind.INTENTION,
        amount=Decimal("9000000.00"),
    )
    return Dealings(application=application, earlier=earlier, other_bank=other_bank)


def test_the_bank_reads_the_enterprise_behind_the_application(parties):
    story = _dealings(parties)
    application = story.application

    html = client_for(parties.banker).get(f"/applications/{application.pk}/").content.decode()

    company = html[html.index("data-company") :]
    assert "91330100MA2TEST012" in company
    assert "Next-generation information technology" in company
    assert "Medium" in company
    assert "Binjiang Hi-tech Zone" in company
    assert "May 20, 2014" in company
    # The pledged patent's latest appraisal and its expiry within the 24 months asked.
    row = company[company.index(f'data-asset="{parties.assets[0].number}"') :]
    row = row[: row.index("</tr>")]
    assert "Zhejiang Appraisal Co." in row
    assert "Sept. 30, 2025" in row
    assert "March 1, 2026" in row
    assert "data-expires-early" in row
    # Its earlier application to this bank, in full, with a link.
    assert f'href="/applications/{story.earlier.pk}/"' in company
    assert "¥1,500,000" in company
    # Elsewhere: counts and a total, never the other bank, its product or contract.
    elsewhere = company[company.index("data-elsewhere") :]
    assert re.search(r'data-outcome="rejected">1<', elsewhere)
    assert re.search(r'data-outcome="contracted">1<', elsewhere)
    assert re.search(r'data-outcome="in_progress">1<', elsewhere)
    assert "1, ¥2,000,000 in total" in elsewhere
    for secret in (story.other_bank.name_en, "RIVAL-PRODUCT", "RIVAL-CONTRACT-1", "RIVAL-"):
        assert secret not in html


def test_the_enterprise_sees_its_own_page_without_the_company_section(parties):
    application = _dealings(parties).application

    html = client_for(parties.applicant).get(f"/applications/{application.pk}/").content.decode()

    assert "data-company" not in html
    assert "Appraised value when pledged" in html


def test_the_company_section_takes_a_bounded_number_of_queries(
    parties, django_assert_max_num_queries
):
    application = _dealings(parties).application
    for _ in range(10):
        application_at(S.CLOSED, parties)
        ApplicationFactory(enterprise=parties.enterprise, status=S.REJECTED)
    client = client_for(parties.banker)

    with django_assert_max_num_queries(14):
        response = client.get(f"/applications/{application.pk}/")

    assert response.status_code == 200
    assert len(response.context["company"].applications) == 11


def test_the_company_section_reads_in_chinese(parties):
    application = _dealings(parties).application

    html = (
        client_for(parties.banker).get(f"/zh-hans/applications/{application.pk}/").content.decode()
    )

    company = html[html.index("data-company") :]
    for words in (
        "企业概况",
        "统一社会信用代码",
        "最近一次评估",
        "早于贷款期限届满",
        "1份，合计200万元",
    ):
        assert words in company
