"""Reads for the workflow: who sees which application, what they may do with
it, the pledge capacity and the products offered after a rejection."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import RegulatorOffice, User
from financing.models import Application, ApplicationStatusChange, Pledge
from financing.selectors import (
    application_detail,
    application_list_rows,
    application_queue,
    application_rows,
    applications_for,
    applications_for_enterprise,
    applications_in_jurisdiction,
    eligible_assets,
    pledge_capacity,
)
from financing.workflows import APPLICATION
from products.models import Product
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    InstitutionFactory,
    IPAssetFactory,
    PledgeFactory,
    ProductFactory,
    RegulatorOfficeFactory,
    UserFactory,
    member_of,
)
from tests.financing.workflow import application_at

pytestmark = pytest.mark.django_db
S = Application.Status


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def regulator(province: str | None) -> User:
    level = RegulatorOffice.Level.PROVINCIAL if province else RegulatorOffice.Level.NATIONAL
    return member_of(RegulatorOfficeFactory(level=level, province_id=province))


# --- lists


def test_an_enterprise_lists_only_its_own_applications(parties):
    own = application_at(S.DRAFT, parties)
    ApplicationFactory(product=parties.product, status=S.SUBMITTED)

    assert ids(applications_for_enterprise(user=parties.applicant, filters={})) == {own.pk}


def test_a_banks_queue_holds_submitted_applications_to_its_own_products(parties):
    submitted = application_at(S.SUBMITTED, parties)
    withdrawn_later = application_at(S.WITHDRAWN, parties)
    application_at(S.DRAFT, parties)
    never_submitted = application_at(S.WITHDRAWN, parties)
    Application.objects.filter(pk=never_submitted.pk).update(submitted_at=None)
    ApplicationFactory(status=S.SUBMITTED)  # to another bank

    assert ids(application_queue(user=parties.banker)) == {submitted.pk, withdrawn_later.pk}


def test_the_queue_filters_by_status_product_amount_dates_and_enterprise(parties):
    small = application_at(S.SUBMITTED, parties, amount=Decimal("1500000"))
    large = application_at(S.UNDER_REVIEW, parties, amount=Decimal("8000000"))
    other_product = ProductFactory(institution=parties.institution)
    named = ApplicationFactory(
        product=other_product,
        status=S.SUBMITTED,
        enterprise=EnterpriseFactory(name_en="Westlake Optics Ltd."),
        submitted_at=small.submitted_at,
    )
    Application.objects.filter(pk=large.pk).update(submitted_at="2025-06-01T10:00:00+08:00")

    def queue(**filters):
        return ids(application_queue(user=parties.banker, filters=filters))

    assert queue(status=[S.UNDER_REVIEW]) == {large.pk}
    assert queue(product=other_product.code) == {named.pk}
    assert queue(amount_min="2000000") == {large.pk, named.pk}
    assert queue(amount_max="2000000") == {small.pk}
    assert queue(submitted_to="2025-06-30") == {large.pk}
    assert queue(submitted_from="2025-07-01") == {small.pk, named.pk}
    assert queue(q="westlake") == {named.pk}
    assert queue(q=named.enterprise.credit_code) == {named.pk}
    ordered = list(
        application_queue(user=parties.banker, filters={"ordering": "-amount"}).values_list(
            "pk", flat=True
        )
    )
    assert ordered[0] == large.pk


def test_a_queue_pages_through_the_same_rows_as_the_filtered_list(parties):
    # The unfiltered queue is read by its own statement on PostgreSQL: every
    # page must hold what the ORM's list gives, newest first, ties by id.
    second_bank = InstitutionFactory()
    member_of(second_bank, parties.banker)
    second_product = ProductFactory(institution=second_bank, name_en="")
    rng = random.Random(3)
    moments = [timezone.now() - dt.timedelta(days=rng.randrange(5)) for _ in range(3)]
    for n in range(23):
        product = rng.choice([parties.product, second_product])
        status = rng.choice([S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.REJECTED])
        application = application_at(status, parties, amount=Decimal(1_000_000 + 12_345 * n))
        Application.objects.filter(pk=application.pk).update(
            product=product,
            institution=product.institution,
            created_at=rng.choice(moments),
            decided_at=moments[0] if status in (S.APPROVED, S.REJECTED) else None,
        )
    ApplicationFactory(status=S.SUBMITTED)  # to another bank

    rows = application_list_rows(user=parties.banker, side="institution")
    expected = list(application_rows(applications=application_queue(user=parties.banker)))

    assert rows.count() == len(expected) > 10
    pages = [rows[start : start + 7] for start in range(0, len(expected), 7)]
    assert [row for page in pages for row in page] == expected
    assert {row["product__institution_id"] for row in expected} == {
        parties.institution.pk,
        second_bank.pk,
    }
    assert {row["amount_approved"] is None for row in expected} == {True, False}
    assert {row["decided_at"] is None for row in expected} == {True, False}


def test_the_lists_by_side(parties):
    own = application_at(S.SUBMITTED, parties)
    both = parties.applicant
    member_of(parties.institution, both)  # the applicant also works for the bank

    assert ids(applications_for(user=both)) == {own.pk}  # the enterprise comes first
    assert ids(applications_for(user=both, side="institution")) == {own.pk}
    assert ids(applications_for(user=parties.banker, side="enterprise")) == set()
    assert ids(applications_for(user=UserFactory())) == set()


def test_a_provincial_regulator_reads_only_its_provinces_applications(parties):
    zhejiang = application_at(S.SUBMITTED, parties)  # the factories' enterprises are in Zhejiang
    chongqing = ApplicationFactory(
        status=S.SUBMITTED, enterprise=EnterpriseFactory(province_id="500000")
    )
    draft = application_at(S.DRAFT, parties)

    provincial = ids(applications_in_jurisdiction(user=regulator("330000")))
    national = ids(applications_in_jurisdiction(user=regulator(None)))

    assert zhejiang.pk in provincial and chongqing.pk not in provincial
    assert {zhejiang.pk, chongqing.pk} <= national
    assert draft.pk not in provincial | national


# --- one application


@pytest.mark.parametrize(
    ("who", "sees_submitted", "sees_draft"),
    [
        ("applicant", True, True),
        ("banker", True, False),
        ("zhejiang regulator", True, False),
        ("chongqing regulator", False, False),
        ("national regulator", True, False),
        ("other enterprise", False, False),
        ("other bank", False, False),
    ],
)
def test_who_may_read_an_application(parties, who, sees_submitted, sees_draft):
    submitted = application_at(S.SUBMITTED, parties)
    draft = application_at(S.DRAFT, parties)
    user = {
        "applicant": parties.applicant,
        "banker": parties.banker,
        "zhejiang regulator": regulator("330000"),
        "chongqing regulator": regulator("500000"),
        "national regulator": regulator(None),
        "other enterprise": member_of(EnterpriseFactory()),
        "other bank": member_of(ProductFactory().institution),
    }[who]

    for application, sees in ((submitted, sees_submitted), (draft, sees_draft)):
        if sees:
            assert application_detail(pk=application.pk, user=user).pk == application.pk
        else:
            with pytest.raises(Http404):
                application_detail(pk=application.pk, user=user)


def test_the_detail_takes_the_same_queries_however_many_pledges_and_steps(parties):
    def count_queries(application: Application) -> int:
        with CaptureQueriesContext(connection) as queries:
            found = application_detail(pk=application.pk, user=parties.banker)
            shown = [
                *(f"{p.asset.kind.name} {p.asset.number}" for p in found.pledges.all()),
                *(str(h.actor) for h in found.history.all()),
                found.enterprise.province.name,
                found.product.institution.name,
                pledge_capacity(application=found),
            ]
            assert shown
        return len(queries)

    small = application_at(S.SUBMITTED, parties)
    large = application_at(S.SUBMITTED, parties)
    for _ in range(4):
        PledgeFactory(application=large)
        ApplicationStatusChange.objects.create(
            application=large, from_status="a", to_status="b", actor=UserFactory()
        )

    assert count_queries(small) == count_queries(large)


@pytest.mark.parametrize(
    ("status", "applicant_may", "banker_may"),
    [
        (S.DRAFT, ["submit", "withdraw"], []),
        (S.SUBMITTED, ["withdraw"], ["take-for-review"]),
        (S.UNDER_REVIEW, ["withdraw"], ["request-info", "approve", "reject"]),
        (S.INFO_REQUESTED, ["answer-info", "withdraw"], []),
        (S.APPROVED, ["withdraw"], ["sign-contract"]),
        (S.CONTRACT_SIGNED, [], ["register-pledge"]),
        (S.PLEDGE_REGISTERED, [], ["disburse"]),
        (S.DISBURSED, [], ["close"]),
        (S.CLOSED, [], []),
        (S.REJECTED, [], []),
        (S.WITHDRAWN, [], []),
    ],
)
def test_the_allowed_actions_follow_the_status_and_the_readers_side(
    parties, status, applicant_may, banker_may
):
    application = application_at(status, parties)

    assert APPLICATION.allowed(application, parties.applicant) == applicant_may
    assert APPLICATION.allowed(application, parties.banker) == banker_may
    assert APPLICATION.allowed(application, regulator(None)) == []


# --- capacity, eligible assets, alternatives


def test_the_pledge_capacity_is_the_standing_pledges_value_times_the_ratio(parties):
    application = application_at(S.UNDER_REVIEW, parties)
    Product.objects.filter(pk=parties.product.pk).update(max_pledge_ratio=Decimal("35"))
    application.refresh_from_db()

    assert pledge_capacity(application=application) == Decimal("2100000.00")
    application.pledges.filter(asset=parties.assets[1]).update(status=Pledge.Status.DROPPED)
    assert pledge_capacity(application=application) == Decimal("1400000.00")
    # From prefetched pledges, without a query.
    found = application_detail(pk=application.pk, user=parties.banker)
    with CaptureQueriesContext(connection) as queries:
        assert pledge_capacity(application=found) == Decimal("1400000.00")
    assert len(queries) == 0


def test_the_pledge_capacity_falls_back_on_the_latest_appraisal(parties):
    application = application_at(S.UNDER_REVIEW, parties)
    application.pledges.update(value_at_pledge=None)
    assert pledge_capacity(application=application) == Decimal("3000000.00")


def test_eligible_assets_are_valid_appraised_accepted_and_free(parties):
    enterprise = parties.enterprise
    expired = IPAssetFactory(enterprise=enterprise, legal_status="expired")
    unappraised = IPAssetFactory(enterprise=enterprise, appraised_value=None)
    trademark = IPAssetFactory(enterprise=enterprise, kind_id="trademark", number="G87654321")
    pledged = PledgeFactory(
        application=ApplicationFactory(enterprise=enterprise), status=Pledge.Status.ACTIVE
    ).asset
    proposed_elsewhere = PledgeFactory(application=ApplicationFactory(enterprise=enterprise)).asset

    eligible = list(eligible_assets(enterprise_id=enterprise.pk, product=parties.product))

    assert {a.pk for a in eligible} == {
        parties.assets[0].pk,
        parties.assets[1].pk,
        proposed_elsewhere.pk,
    }
    assert not {expired.pk, unappraised.pk, trademark.pk, pledged.pk} & {a.pk for a in eligible}
    assert eligible[0].lends_up_to == Decimal("2000000.00")
