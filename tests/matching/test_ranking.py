"""Eligibility and ranking for an enterprise: the reasons follow the rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from enterprises.models import Enterprise, IPAsset
from financing.models import Pledge
from matching.selectors import product_ranking
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    InstitutionFactory,
    IPAssetFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


def _product(**terms):
    kinds = terms.pop("kinds", ["invention_patent"])
    provinces = terms.pop("provinces", [])
    product = ProductFactory(**terms)
    product.accepted_ip_kinds.set(kinds)
    product.provinces_served.set(provinces)
    return product


@pytest.fixture
def enterprise():
    enterprise = EnterpriseFactory(province_id="330000")
    # Two valid patents appraised at 2,000,000 each: 4,000,000 of pledgeable value.
    IPAssetFactory(enterprise=enterprise, appraised_value=Decimal("2000000.00"))
    IPAssetFactory(enterprise=enterprise, appraised_value=Decimal("2000000.00"))
    return Enterprise.objects.select_related("province").get(pk=enterprise.pk)


def _match(ranking, product):
    found = ranking.for_product(product.pk)
    assert found is not None
    return found, {r.criterion: r for r in found.reasons}


def test_an_eligible_product_lends_up_to_the_pledge_capacity(enterprise):
    product = _product(max_pledge_ratio=Decimal("50.00"), amount_max=Decimal("10000000.00"))
    ranking = product_ranking(enterprise=enterprise, amount=Decimal("1500000"), term=12)
    match, reasons = _match(ranking, product)
    assert match.eligible
    assert match.capacity == Decimal("2000000.00")  # 4,000,000 × 50 %
    assert match.up_to == Decimal("2000000.00")
    assert all(r.ok for r in match.reasons)
    assert "¥2,000,000" in reasons["capacity"].text and "50%" in reasons["capacity"].text
    assert "¥2,000,000" in match.borrow


def test_each_failed_rule_is_named(enterprise):
    product = _product(
        provinces=["110000"],
        kinds=["trademark"],
        amount_min=Decimal("5000000.00"),
        term_max_months=12,
        rate_min=Decimal("8.00"),
        rate_max=Decimal("9.00"),
    )
    ranking = product_ranking(
        enterprise=enterprise, amount=Decimal("1000000"), term=24, max_rate=Decimal("6")
    )
    match, reasons = _match(ranking, product)
    assert not match.eligible
    assert match.score == 0
    assert {c for c, r in reasons.items() if not r.ok} == {
        "province",
        "ip_kinds",
        "amount",
        "capacity",
        "term",
        "rate",
    }
    assert "Zhejiang" in reasons["province"].text
    assert "below the minimum" in reasons["amount"].text


def test_capacity_counts_only_valid_unpledged_assets_of_accepted_kinds(enterprise):
    product = _product(kinds=["invention_patent"], max_pledge_ratio=Decimal("40.00"))
    assets = list(IPAsset.objects.filter(enterprise=enterprise))
    assets[0].legal_status = IPAsset.LegalStatus.EXPIRED
    assets[0].save()
    IPAssetFactory(enterprise=enterprise, kind_id="trademark", number="12345678")
    pledged = IPAssetFactory(enterprise=enterprise, appraised_value=Decimal("9000000.00"))
    application = ApplicationFactory(enterprise=enterprise, status="disbursed")
    Pledge.objects.create(application=application, asset=pledged, status=Pledge.Status.ACTIVE)
    ranking = product_ranking(enterprise=enterprise, amount=Decimal("800000"), term=12)
    match, _ = _match(ranking, product)
    assert match.capacity == Decimal("800000.00")  # one valid patent: 2,000,000 × 40 %


def test_eligible_products_come_first_best_fit_first(enterprise):
    cheap = _product(rate_min=Decimal("3.00"))
    dear = _product(rate_min=Decimal("9.00"), rate_max=Decimal("10.00"))
    closed = _product(provinces=["110000"])
    ranking = product_ranking(enterprise=enterprise, amount=Decimal("1000000"), term=12)
    order = [m.product.pk for m in ranking[: len(ranking)]]
    assert order.index(cheap.pk) < order.index(dear.pk) < order.index(closed.pk)
    cheap_match, dear_match = ranking.for_product(cheap.pk), ranking.for_product(dear.pk)
    assert cheap_match is not None
    assert dear_match is not None
    assert cheap_match.score > dear_match.score


def test_a_withdrawn_product_leaves_the_ranking(enterprise):
    product = _product()
    assert product_ranking(enterprise=enterprise).for_product(product.pk) is not None
    product.status = "withdrawn"
    product.save()
    assert product_ranking(enterprise=enterprise).for_product(product.pk) is None


def test_the_demo_enterprise_sees_ranked_products_whose_reasons_match_the_rules():
    enterprise = Enterprise.objects.select_related("province").get(
        memberships__user__email="enterprise@example.com"
    )
    ranking = product_ranking(enterprise=enterprise, amount=Decimal("1000000"), term=12)
    matches = ranking[:10]
    assert ranking.eligible_count > 0
    assert matches[0].eligible
    for match in matches:
        product = match.product
        reasons = {r.criterion: r for r in match.reasons}
        served = set(product.provinces_served.values_list("code", flat=True))
        assert reasons["province"].ok == (not served or enterprise.province_id in served)
        assert reasons["amount"].ok == (
            product.amount_min <= Decimal("1000000") <= product.amount_max
        )
        assert reasons["term"].ok == (product.term_min_months <= 12 <= product.term_max_months)
        assert match.eligible == all(r.ok for r in match.reasons)


def test_an_institution_without_products_is_no_obstacle():
    InstitutionFactory()
    enterprise = EnterpriseFactory()
    assert len(product_ranking(enterprise=Enterprise.objects.get(pk=enterprise.pk))) >= 0
