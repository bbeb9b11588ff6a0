"""Dates that cannot be true are refused on the field, in the API and on the
pages: an IP right expiring before it was filed, an enterprise founded in
the future, a patent number whose filing year has not come yet. (The future
here is centuries away, so no test depends on today's date.)"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from core.validators import make_patent_number, validate_ip_number
from enterprises.models import Enterprise, IPAsset
from tests.factories import EnterpriseFactory, member_of

pytestmark = pytest.mark.django_db

FAR_FUTURE = "2990-01-01"


@pytest.fixture
def enterprise():
    return EnterpriseFactory()


@pytest.fixture
def member(enterprise):
    return member_of(enterprise)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def asset_body(**overrides):
    return {
        "kind": "utility_model",
        "number": make_patent_number(2022, 2, 4321),
        "title": "一种散热结构",
        "legal_status": "valid",
        **overrides,
    }


def test_a_patent_number_filed_in_a_future_year_is_refused():
    with pytest.raises(ValidationError, match="2990"):
        validate_ip_number("invention_patent", make_patent_number(2990, 1, 1234))
    validate_ip_number("invention_patent", make_patent_number(2020, 1, 1234))  # a real year


def test_the_api_refuses_an_asset_with_a_future_patent_year(enterprise, member):
    response = api(member).post(
        f"/api/v1/enterprises/{enterprise.pk}/assets/",
        asset_body(number=make_patent_number(2990, 2, 4321)),
        format="json",
    )
    assert response.status_code == 400
    assert "future" in response.json()["fields"]["number"][0]
    assert not IPAsset.objects.filter(enterprise=enterprise).exists()


def test_the_api_refuses_an_asset_expiring_before_it_was_filed(enterprise, member):
    response = api(member).post(
        f"/api/v1/enterprises/{enterprise.pk}/assets/",
        asset_body(filed_on="2022-04-01", expires_on="2021-04-01"),
        format="json",
    )
    assert response.status_code == 400
    assert "expires_on" in response.json()["fields"]
    assert not IPAsset.objects.filter(enterprise=enterprise).exists()


def test_the_page_refuses_an_asset_expiring_before_it_was_filed(enterprise, member):
    response = page(member).post(
        "/enterprise/assets/new/",
        asset_body(filed_on="2022-04-01", expires_on="2021-04-01"),
    )
    assert response.status_code == 200
    assert "expires_on" in response.context["form"].errors
    assert not IPAsset.objects.filter(enterprise=enterprise).exists()


def test_an_asset_expiring_after_it_was_filed_is_kept(enterprise, member):
    response = api(member).post(
        f"/api/v1/enterprises/{enterprise.pk}/assets/",
        asset_body(filed_on="2022-04-01", expires_on="2032-04-01"),
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_the_api_refuses_an_enterprise_founded_in_the_future(enterprise, member):
    before = enterprise.founded_on
    response = api(member).patch(
        f"/api/v1/enterprises/{enterprise.pk}/", {"founded_on": FAR_FUTURE}, format="json"
    )
    assert response.status_code == 400
    assert "founded_on" in response.json()["fields"]
    assert Enterprise.objects.get(pk=enterprise.pk).founded_on == before


def test_the_page_refuses_an_enterprise_founded_in_the_future(enterprise, member):
    response = page(member).post(
        "/enterprise/profile/edit/",
        {
            "name_zh": enterprise.name_zh,
            "province": enterprise.province_id,
            "size": "small",
            "employees": "1",
            "annual_revenue": "0",
            "founded_on": FAR_FUTURE,
        },
    )
    assert response.status_code == 200
    assert "founded_on" in response.context["form"].errors
    assert Enterprise.objects.get(pk=enterprise.pk).founded_on != FAR_FUTURE
