"""The ranking's need is typed as people write it: 300万 is 3,000,000 yuan,
not 300 (which once found nothing)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from core.models import Province
from tests.factories import (
    EnterpriseFactory,
    IPAssetFactory,
    ProductFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    enterprise = EnterpriseFactory(province_id="330000", need_amount=None, need_term_months=12)
    IPAssetFactory(enterprise=enterprise, appraised_value=Decimal("10000000.00"))
    return member_of(enterprise, UserFactory(language="en"))


def eligible(client, amount: str) -> list[str]:
    response = client.get("/matching/", {"amount": amount, "term": "12", "page": "1"})
    assert response.status_code == 200
    assert not response.context["form"].errors
    return re.findall(r'data-product="([^"]+)" data-eligible="yes"', response.content.decode())


def test_300_wan_finds_the_products_a_3_000_000_search_finds(client, applicant):
    # Lends 1,000,000 to 10,000,000: 3,000,000 fits, 300 yuan does not.
    product = ProductFactory(name_en="Wan Loan", max_pledge_ratio=Decimal("50"))
    product.accepted_ip_kinds.set(["invention_patent"])  # type: ignore[list-item]
    product.provinces_served.set([Province.objects.get(pk="330000")])
    client.force_login(applicant)

    in_yuan = eligible(client, "3000000")

    assert product.code in in_yuan
    assert eligible(client, "300万") == in_yuan
    assert eligible(client, "３００万元") == in_yuan
    assert product.code not in eligible(client, "300")


def test_the_need_is_shown_back_in_wan_in_chinese(client, applicant):
    client.force_login(applicant)
    html = client.get("/zh-hans/matching/", {"amount": "0.5亿"}).content.decode()
    assert "= 5,000万元</output>" in html
    assert "需求：5000万元。" in html  # the ranking ran for 50,000,000 yuan


def test_a_need_that_is_not_an_amount_is_explained(client, applicant):
    client.force_login(applicant)
    response = client.get("/matching/", {"amount": "a lot"})
    assert response.status_code == 200
    assert "Enter an amount such as 300万, 0.5亿 or 1,200,000" in response.content.decode()
