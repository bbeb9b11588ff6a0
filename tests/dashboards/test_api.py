from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import User

pytestmark = pytest.mark.django_db

SUMMARY = "/api/v1/dashboard/summary/"
CAMPAIGN = "park-campaign-2020"
DEMO_PASSWORD = "ipfin-demo-2020"


def token_client(email: str) -> APIClient:
    client = APIClient()
    response = client.post(
        "/api/auth/token/", {"email": email, "password": DEMO_PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def test_the_national_regulator_reads_every_figure_of_the_campaign():
    client = token_client("regulator@example.com")

    response = client.get(SUMMARY, {"campaign": CAMPAIGN})

    assert response.status_code == 200
    body = response.json()
    assert body["activities"] == 22
    assert body["parks_covered"] == 53
    assert body["enterprises_involved"] == 1400
    assert body["institutions_involved"] > 220
    assert body["participants_total"] == 470_000
    assert body["provinces_participating"] == 18
    # Amounts are decimal strings in yuan, never floats.
    assert body["contract_amount"] == "710000000.00"
    assert isinstance(body["intention_amount"], str)
    expected_keys = {
        "activities",
        "parks_covered",
        "enterprises_involved",
        "institutions_involved",
        "participants_online",
        "participants_offline",
        "participants_total",
        "products_released",
        "releasing_institutions",
        "contracts_signed",
        "financed_enterprises",
        "contract_amount",
        "intention_amount",
        "provinces_participating",
    }
    assert expected_keys <= set(body)


def test_a_province_narrows_the_figures():
    client = token_client("regulator@example.com")

    body = client.get(SUMMARY, {"campaign": CAMPAIGN, "province": "330000"}).json()

    assert body["activities"] == 8
    assert body["contracts_signed"] == 15
    assert body["contract_amount"] == "300000000.00"


def test_a_provincial_regulator_reads_its_own_province_by_default():
    client = token_client("zhejiang.regulator@example.com")

    body = client.get(SUMMARY, {"campaign": CAMPAIGN}).json()

    assert body["activities"] == 8
    assert body["contract_amount"] == "300000000.00"


def test_a_provincial_regulator_asking_for_another_province_is_refused():
    client = token_client("zhejiang.regulator@example.com")

    response = client.get(SUMMARY, {"campaign": CAMPAIGN, "province": "500000"})

    assert response.status_code == 403
    assert response.json()["detail"]


def test_bad_scope_answers_400_with_the_field_named():
    client = token_client("regulator@example.com")

    response = client.get(SUMMARY, {"campaign": "no-such-campaign", "province": "999999"})

    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"campaign", "province"}


def test_a_period_that_ends_before_it_starts_is_refused():
    client = token_client("regulator@example.com")

    response = client.get(SUMMARY, {"date_from": "2020-12-31", "date_to": "2020-11-01"})

    assert response.status_code == 400
    assert "date_to" in response.json()["fields"]


def test_a_period_narrows_the_figures_to_its_events():
    client = token_client("regulator@example.com")

    november = client.get(SUMMARY, {"campaign": CAMPAIGN, "date_to": "2020-11-30"}).json()
    december = client.get(SUMMARY, {"campaign": CAMPAIGN, "date_from": "2020-12-01"}).json()

    assert november["activities"] + december["activities"] == 22


@pytest.mark.parametrize(
    ("email", "province", "expected"),
    [
        (None, None, 401),
        ("enterprise@example.com", None, 403),
        ("bank@example.com", None, 403),
        ("park@example.com", None, 403),
        ("zhejiang.regulator@example.com", None, 200),
        ("zhejiang.regulator@example.com", "330000", 200),
        ("zhejiang.regulator@example.com", "110000", 403),
        ("regulator@example.com", None, 200),
        ("regulator@example.com", "110000", 200),
    ],
)
def test_who_may_read_the_summary(email, province, expected):
    client = token_client(email) if email else APIClient()
    params = {"campaign": CAMPAIGN, **({"province": province} if province else {})}

    assert client.get(SUMMARY, params).status_code == expected


def test_the_summary_query_count_does_not_depend_on_the_rows(django_assert_max_num_queries):
    client = token_client("regulator@example.com")
    # Token, user, offices, campaign and province look-ups, then the figures.
    with django_assert_max_num_queries(12):
        assert client.get(SUMMARY, {"campaign": CAMPAIGN, "province": "330000"}).status_code == 200


def test_a_wrong_password_gets_no_token():
    response = APIClient().post(
        "/api/auth/token/", {"email": "regulator@example.com", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["fields"]


def test_a_token_request_without_fields_names_them():
    response = APIClient().post("/api/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"email", "password"}


def test_an_inactive_user_gets_no_token():
    User.objects.filter(email="regulator@example.com").update(is_active=False)
    response = APIClient().post(
        "/api/auth/token/",
        {"email": "regulator@example.com", "password": DEMO_PASSWORD},
        format="json",
    )
    assert response.status_code == 400


BREAKDOWN = "/api/v1/dashboard/by/{}/"


def test_the_breakdown_by_province_adds_up_to_the_campaign():
    client = token_client("regulator@example.com")

    body = client.get(BREAKDOWN.format("province"), {"campaign": CAMPAIGN}).json()

    rows = body["results"]
    assert {r["value"] for r in rows} == {"110000", "330000", "430000", "440000", "500000"}
    assert sum(Decimal(r["contract_amount"]) for r in rows) == Decimal("710000000.00")
    zhejiang = next(r for r in rows if r["value"] == "330000")
    assert zhejiang["contracts_signed"] == 15 and zhejiang["label"]


def test_a_provincial_regulator_breaks_down_its_own_province_only():
    client = token_client("zhejiang.regulator@example.com")

    events = client.get(BREAKDOWN.format("event"), {"campaign": CAMPAIGN}).json()["results"]
    provinces = client.get(BREAKDOWN.format("province"), {"campaign": CAMPAIGN}).json()

    assert len(events) == 8
    assert sum(r["contracts_signed"] for r in events) == 15
    assert [r["value"] for r in provinces["results"]] == ["330000"]


@pytest.mark.parametrize("dimension", ["park", "month", "institution", "ip-kind"])
def test_every_breakdown_adds_up_to_the_province(dimension):
    client = token_client("regulator@example.com")
    params = {"campaign": CAMPAIGN, "province": "330000", "page_size": "200"}

    rows = client.get(BREAKDOWN.format(dimension), params).json()["results"]

    assert rows
    if dimension != "park":  # events cover several parks, so parks overlap
        assert sum(Decimal(r["contract_amount"]) for r in rows) == Decimal("300000000.00")


def test_an_unknown_breakdown_is_not_found():
    client = token_client("regulator@example.com")
    assert client.get(BREAKDOWN.format("colour"), {"campaign": CAMPAIGN}).status_code == 404


def test_a_breakdown_query_count_does_not_depend_on_the_rows(django_assert_max_num_queries):
    client = token_client("regulator@example.com")
    with django_assert_max_num_queries(12):
        response = client.get(BREAKDOWN.format("institution"), {"campaign": CAMPAIGN})
    assert response.status_code == 200
