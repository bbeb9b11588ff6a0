from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from knowledge.models import Collection, CooperationAgreement, TypicalCase
from tests.knowledge.conftest import GUANGDONG, ZHEJIANG
from tests.rows import first

pytestmark = pytest.mark.django_db
ENDPOINTS = (
    "policies",
    "typical-cases",
    "collections",
    "training-sessions",
    "media-reports",
    "cooperation-agreements",
)


@pytest.fixture
def zhejiang() -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(email="zhejiang.regulator@example.com"))
    return client


def case_body(**overrides):
    return {
        "title_zh": "商标质押贷款案例",
        "title_en": "A trademark pledge loan",
        "province": ZHEJIANG,
        "published_on": "2021-01-05",
        "amount": "2500000.00",
        "ip_kinds": ["trademark"],
        **overrides,
    }


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_list_is_public_paginated_and_takes_a_fixed_number_of_queries(
    endpoint, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        response = APIClient().get(f"/api/v1/{endpoint}/")
    assert response.status_code == 200
    assert set(response.json()) == {"count", "next", "previous", "results"}


def test_the_media_reports_count_more_than_a_hundred_in_pages():
    body = APIClient().get("/api/v1/media-reports/").json()
    assert body["count"] == 106
    assert len(body["results"]) == 25


def test_guangdongs_collection_reads_its_downloads_and_the_first_day():
    body = APIClient().get(f"/api/v1/collections/?province={GUANGDONG}").json()
    (collection,) = body["results"]
    assert collection["first_day_downloads"] == 677
    assert collection["downloads"] == Collection.objects.get(province=GUANGDONG).downloads.count()
    assert collection["has_file"] is False
    assert collection["download_url"].endswith(
        f"/knowledge/collections/{collection['id']}/download/"
    )


def test_chongqings_agreements_list_their_member_banks():
    body = APIClient().get("/api/v1/cooperation-agreements/?province=500000&kind=agreement").json()
    (agreement,) = body["results"]
    assert agreement["member_count"] == 13
    assert len(agreement["institutions"]) == 13
    assert agreement["office"]["code"] == "chongqing-ip-office"


def test_zhejiangs_training_sessions_filter_and_sort():
    body = (
        APIClient()
        .get(f"/api/v1/training-sessions/?province={ZHEJIANG}&ordering=-participants&page_size=50")
        .json()
    )
    assert body["count"] == 32
    participants = [row["participants"] for row in body["results"]]
    assert participants == sorted(participants, reverse=True)


def test_amounts_read_as_decimal_strings():
    body = APIClient().get("/api/v1/typical-cases/?ordering=-amount").json()
    assert isinstance(body["results"][0]["amount"], str)


def test_a_bad_filter_value_answers_400_with_the_field():
    response = APIClient().get("/api/v1/policies/?issued_from=soon")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "issued_from" in response.json()["fields"]


def test_a_regulator_adds_a_case(zhejiang):
    response = zhejiang.post("/api/v1/typical-cases/", case_body(), format="json")

    assert response.status_code == 201, response.json()
    case = TypicalCase.objects.get(pk=response.json()["id"])
    assert case.province_id == ZHEJIANG
    assert list(case.ip_kinds.values_list("code", flat=True)) == ["trademark"]
    assert response.json()["ip_kinds"] == ["trademark"]


def test_bad_input_answers_400_with_the_fields_and_saves_nothing(zhejiang):
    before = TypicalCase.objects.count()
    response = zhejiang.post(
        "/api/v1/typical-cases/",
        case_body(title_zh="", amount="-5", ip_kinds=["no-such-kind"]),
        format="json",
    )
    assert response.status_code == 400
    assert {"title_zh"} <= set(response.json()["fields"])
    assert TypicalCase.objects.count() == before


def test_an_unknown_ip_kind_answers_400_on_its_field(zhejiang):
    response = zhejiang.post(
        "/api/v1/typical-cases/", case_body(ip_kinds=["no-such-kind"]), format="json"
    )
    assert response.status_code == 400
    assert "ip_kinds" in response.json()["fields"]


def test_a_case_for_another_province_is_forbidden(zhejiang):
    before = TypicalCase.objects.count()
    response = zhejiang.post("/api/v1/typical-cases/", case_body(province=GUANGDONG), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert TypicalCase.objects.count() == before


def test_a_regulator_changes_only_what_it_sends(zhejiang):
    case = first(TypicalCase.objects.filter(province=ZHEJIANG))
    response = zhejiang.patch(
        f"/api/v1/typical-cases/{case.pk}/", {"title_en": "Renamed"}, format="json"
    )
    assert response.status_code == 200
    before_zh = case.title_zh
    case.refresh_from_db()
    assert (case.title_en, case.title_zh) == ("Renamed", before_zh)


def test_moving_a_case_to_another_province_is_forbidden_and_changes_nothing(zhejiang):
    case = first(TypicalCase.objects.filter(province=ZHEJIANG))
    response = zhejiang.patch(
        f"/api/v1/typical-cases/{case.pk}/", {"province": GUANGDONG}, format="json"
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.province_id == ZHEJIANG


def test_deleting_a_downloaded_collection_answers_409(zhejiang):
    collection = first(Collection.objects.filter(province=ZHEJIANG, downloads__isnull=False))
    response = zhejiang.delete(f"/api/v1/collections/{collection.pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "has_downloads"
    assert Collection.objects.filter(pk=collection.pk).exists()


def test_an_agreement_names_its_member_banks(zhejiang):
    chongqing = first(CooperationAgreement.objects.filter(office__province="500000"))
    members = list(chongqing.institutions.values_list("pk", flat=True)[:3])
    office = first(
        User.objects.get(email="zhejiang.regulator@example.com").office_memberships.all()
    )
    response = zhejiang.post(
        "/api/v1/cooperation-agreements/",
        {
            "title_zh": "浙江银政合作协议",
            "kind": "agreement",
            "office": office.office_id,
            "signed_on": "2021-01-20",
            "institutions": members,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["member_count"] == 3
    saved = CooperationAgreement.objects.get(pk=response.json()["id"])
    assert sorted(saved.institutions.values_list("pk", flat=True)) == sorted(members)
