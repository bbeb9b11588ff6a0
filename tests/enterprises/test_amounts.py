"""The enterprise's revenue, need and appraisals are typed as people write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from tests.factories import EnterpriseFactory, IPAssetFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    return EnterpriseFactory(annual_revenue=Decimal("12000000.00"))


@pytest.fixture
def client(enterprise) -> Client:
    client = Client()
    client.force_login(member_of(enterprise))
    return client


def test_the_profile_takes_revenue_and_need_in_wan_and_yi(enterprise, client):
    page = client.get("/zh-hans/enterprise/profile/edit/").content.decode()
    assert 'name="annual_revenue" value="1,200万"' in page

    response = client.post(
        "/enterprise/profile/edit/",
        {
            "name_zh": enterprise.name_zh,
            "province": "330000",
            "size": "medium",
            "employees": "150",
            "annual_revenue": "1.2亿",
            "need_amount": "500万元",
            "need_term_months": "12",
        },
    )

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.annual_revenue, enterprise.need_amount) == (
        Decimal("120000000"),
        Decimal("5000000"),
    )


def test_an_appraisal_of_420_wan_is_recorded_in_yuan(enterprise, client):
    asset = IPAssetFactory(enterprise=enterprise, appraised_on=dt.date(2020, 6, 1))

    response = client.post(
        f"/enterprise/assets/{asset.pk}/appraise/",
        {"value": "420万", "appraiser": "年度复评", "appraised_on": "2021-07-01"},
    )

    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.appraised_value == Decimal("4200000")
