"""The enterprise profile and IP portfolio API: status codes, then the database."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import User
from core.validators import make_patent_number
from enterprises.models import Enterprise, IPAppraisal, IPAsset
from financing.models import Pledge
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    IPAssetFactory,
    PledgeFactory,
    UserFactory,
    member_of,
)
from tests.sheets import not_spreadsheets

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    return EnterpriseFactory()


@pytest.fixture
def member(enterprise):
    return member_of(enterprise)


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def regulator(email: str = "zhejiang.regulator@example.com") -> User:
    return User.objects.get(email=email)


# --------------------------------------------------------------------------- the profile


def test_a_member_reads_the_profile_and_may_edit_it(enterprise, member):
    response = client_for(member).get(f"/api/v1/enterprises/{enterprise.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["credit_code"] == enterprise.credit_code
    assert body["province"] == "330000"
    assert body["can_edit"] is True


def test_a_regulator_reads_enterprises_of_its_province_only():
    zhejiang = EnterpriseFactory(province_id="330000")
    chongqing = EnterpriseFactory(province_id="500000")
    client = client_for(regulator())

    read = client.get(f"/api/v1/enterprises/{zhejiang.pk}/")
    assert read.status_code == 200
    assert read.json()["can_edit"] is False
    assert client.get(f"/api/v1/enterprises/{chongqing.pk}/").status_code == 404
    national = client_for(regulator("regulator@example.com"))
    assert national.get(f"/api/v1/enterprises/{chongqing.pk}/").status_code == 200


def test_an_outsider_cannot_tell_an_enterprise_exists(enterprise):
    response = client_for(UserFactory()).get(f"/api/v1/enterprises/{enterprise.pk}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_member_patches_the_profile(enterprise, member):
    response = client_for(member).patch(
        f"/api/v1/enterprises/{enterprise.pk}/",
        {"employees": 88, "industry": "biomedicine", "need_amount": "2500000.00"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["employees"] == 88
    enterprise.refresh_from_db()
    assert (enterprise.employees, enterprise.industry_id, enterprise.need_amount) == (
        88,
        "biomedicine",
        Decimal("2500000.00"),
    )


def test_a_regulator_may_not_patch_the_profile():
    enterprise = EnterpriseFactory(employees=5)

    response = client_for(regulator()).patch(
        f"/api/v1/enterprises/{enterprise.pk}/", {"employees": 500}, format="json"
    )

    assert response.status_code == 403
    enterprise.refresh_from_db()
    assert enterprise.employees == 5


def test_bad_profile_input_answers_400_with_field_messages(enterprise, member):
    response = client_for(member).patch(
        f"/api/v1/enterprises/{enterprise.pk}/",
        {"credit_code": "91330100MA27XL4Y4A", "province": "999999"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "province" in response.json()["fields"]

    response = client_for(member).patch(
        f"/api/v1/enterprises/{enterprise.pk}/",
        {"credit_code": EnterpriseFactory.build().credit_code},
        format="json",
    )
    assert response.status_code == 400
    assert "credit_code" in response.json()["fields"]
    assert Enterprise.objects.get(pk=enterprise.pk).credit_code == enterprise.credit_code


# --------------------------------------------------------------------------- the portfolio


def test_the_schema_documents_the_pledged_filter_as_true_or_false():
    # A client generated from the schema sends what the filter reads: true or false.
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/enterprises/{id}/assets/"]["get"]["parameters"]
    pledged = next(p for p in parameters if p["name"] == "pledged")
    assert pledged["schema"] == {"type": "boolean"}


def test_the_asset_list_filters_and_marks_pledged_assets(enterprise, member):
    pledged = IPAssetFactory(enterprise=enterprise, title="一种已质押的装置")
    PledgeFactory(
        asset=pledged,
        application=ApplicationFactory(enterprise=enterprise),
        status=Pledge.Status.ACTIVE,
    )
    IPAssetFactory(enterprise=enterprise, kind_id="trademark", number="30100001", title="商标甲")
    IPAssetFactory(enterprise=enterprise, legal_status=IPAsset.LegalStatus.EXPIRED)
    IPAssetFactory()  # someone else's
    client = client_for(member)
    url = f"/api/v1/enterprises/{enterprise.pk}/assets/"

    everything = client.get(url).json()
    assert everything["count"] == 3
    assert {a["id"]: a["is_pledged"] for a in everything["results"]}[pledged.pk] is True
    assert client.get(url, {"pledged": "true"}).json()["count"] == 1
    assert client.get(url, {"pledged": "false"}).json()["count"] == 2
    assert client.get(url, {"kind": "trademark"}).json()["count"] == 1
    assert client.get(url, {"legal_status": "expired"}).json()["count"] == 1
    assert client.get(url, {"search": "已质押"}).json()["count"] == 1
    assert client.get(url, {"search": f"CN {pledged.number}"}).json()["count"] == 1


def test_a_bad_filter_value_answers_400(enterprise, member):
    response = client_for(member).get(
        f"/api/v1/enterprises/{enterprise.pk}/assets/", {"kind": "patent"}
    )

    assert response.status_code == 400
    assert "kind" in response.json()["fields"]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_asset_list_takes_a_fixed_number_of_queries(
    enterprise, member, rows, django_assert_max_num_queries
):
    for asset in IPAssetFactory.create_batch(rows, enterprise=enterprise):
        PledgeFactory(
            asset=asset,
            application=ApplicationFactory(enterprise=enterprise),
            status=Pledge.Status.ACTIVE,
        )
    client = client_for(member)

    # Enterprise + membership, count, page; nothing per row.
    with django_assert_max_num_queries(4):
        response = client.get(f"/api/v1/enterprises/{enterprise.pk}/assets/?page_size=50")

    assert response.status_code == 200
    assert len(response.json()["results"]) == rows


def test_a_member_adds_an_asset(enterprise, member):
    number = make_patent_number(2022, 2, 4321)

    response = client_for(member).post(
        f"/api/v1/enterprises/{enterprise.pk}/assets/",
        {
            "kind": "utility_model",
            "number": f"CN{number}",
            "title": "一种散热结构",
            "filed_on": "2022-04-01",
            "appraised_value": "600000.00",
            "appraiser": "评估所",
            "appraised_on": "2023-01-01",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["kind"], body["is_pledged"]) == (number, "utility_model", False)
    asset = IPAsset.objects.get(pk=body["id"])
    assert asset.enterprise == enterprise
    assert IPAppraisal.objects.filter(asset=asset, recorded_by=member).count() == 1


def test_a_duplicate_number_answers_400_on_the_number(enterprise, member):
    existing = IPAssetFactory()

    response = client_for(member).post(
        f"/api/v1/enterprises/{enterprise.pk}/assets/",
        {"kind": existing.kind_id, "number": existing.number, "title": "Copy"},
        format="json",
    )

    assert response.status_code == 400
    assert "number" in response.json()["fields"]
    assert IPAsset.objects.filter(number=existing.number).count() == 1


def test_a_regulator_reads_an_asset_but_may_not_add_or_change_one():
    enterprise = EnterpriseFactory()
    asset = IPAssetFactory(enterprise=enterprise)
    client = client_for(regulator())

    assert client.get(f"/api/v1/assets/{asset.pk}/").status_code == 200
    assert (
        client.post(
            f"/api/v1/enterprises/{enterprise.pk}/assets/",
            {"kind": "trademark", "number": "1", "title": "x"},
            format="json",
        ).status_code
        == 403
    )
    assert client.patch(f"/api/v1/assets/{asset.pk}/", {"title": "x"}).status_code == 403
    assert client.delete(f"/api/v1/assets/{asset.pk}/").status_code == 403
    assert IPAsset.objects.get(pk=asset.pk).title == asset.title


def test_a_member_changes_an_asset(enterprise, member):
    asset = IPAssetFactory(enterprise=enterprise)

    response = client_for(member).patch(
        f"/api/v1/assets/{asset.pk}/",
        {"title": "更正", "legal_status": "transferred"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    asset.refresh_from_db()
    assert (asset.title, asset.legal_status) == ("更正", "transferred")


def test_a_pledged_assets_number_cannot_change_409(enterprise, member):
    asset = IPAssetFactory(enterprise=enterprise)
    PledgeFactory(asset=asset, application=ApplicationFactory(enterprise=enterprise))

    response = client_for(member).patch(
        f"/api/v1/assets/{asset.pk}/",
        {"number": make_patent_number(2022, 1, 99)},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "asset_pledged"
    assert IPAsset.objects.get(pk=asset.pk).number == asset.number


def test_deleting_a_free_asset_204_and_a_pledged_one_409(enterprise, member):
    free = IPAssetFactory(enterprise=enterprise)
    pledged = IPAssetFactory(enterprise=enterprise)
    PledgeFactory(asset=pledged, application=ApplicationFactory(enterprise=enterprise))
    client = client_for(member)

    assert client.delete(f"/api/v1/assets/{free.pk}/").status_code == 204
    assert client.delete(f"/api/v1/assets/{pledged.pk}/").status_code == 409
    assert not IPAsset.objects.filter(pk=free.pk).exists()
    assert IPAsset.objects.filter(pk=pledged.pk).exists()


def test_appraisals_are_recorded_and_listed_newest_first(enterprise, member):
    asset = IPAssetFactory(enterprise=enterprise, appraised_on=dt.date(2020, 6, 1))
    client = client_for(member)
    url = f"/api/v1/assets/{asset.pk}/appraisals/"

    newer = client.post(
        url, {"value": "3000000.00", "appraiser": "新", "appraised_on": "2021-06-01"}, format="json"
    )
    older = client.post(
        url, {"value": "1000000.00", "appraiser": "旧", "appraised_on": "2019-06-01"}, format="json"
    )

    assert (newer.status_code, older.status_code) == (201, 201)
    asset.refresh_from_db()
    assert asset.appraised_value == Decimal("3000000.00")
    listed = client.get(url).json()
    assert [a["appraiser"] for a in listed["results"]] == ["新", "旧"]
    assert listed["results"][0]["value"] == "3000000.00"


def test_a_bad_appraisal_answers_400(enterprise, member):
    asset = IPAssetFactory(enterprise=enterprise)

    response = client_for(member).post(
        f"/api/v1/assets/{asset.pk}/appraisals/",
        {"value": "0", "appraiser": "x", "appraised_on": "2999-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert {"value", "appraised_on"} <= set(response.json()["fields"])
    assert not asset.appraisals.exists()


# --------------------------------------------------------------------------- importing


def upload(name: str, text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_importing_a_good_file_answers_201_with_the_count(enterprise, member):
    number = make_patent_number(2020, 1, 31_415)
    csv_text = f"类型,号码,名称\r\n发明专利,{number},一种方法\r\n商标,30999001,标记\r\n"

    response = client_for(member).post(
        f"/api/v1/enterprises/{enterprise.pk}/assets/import/",
        {"file": upload("list.csv", csv_text, "gbk")},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 2
    assert enterprise.ip_assets.count() == 2


def test_importing_a_bad_file_answers_400_with_every_bad_row(enterprise, member):
    csv_text = "kind,number,title\r\ntrademark,30999002,Good\r\ntrademark,bad,Bad\r\n,1,\r\n"

    response = client_for(member).post(
        f"/api/v1/enterprises/{enterprise.pk}/assets/import/",
        {"file": upload("list.csv", csv_text)},
        format="multipart",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected"
    assert body["fields"]["file"] == ["2 rows have errors; nothing was imported."]
    assert [(r["row"], r["column"]) for r in body["rows"]] == [
        (3, "number"),
        (4, "kind"),
        (4, "title"),
    ]
    assert not enterprise.ip_assets.exists()


def test_importing_what_is_no_spreadsheet_answers_400_on_the_file(enterprise, member):
    client = client_for(member)

    for case, file in not_spreadsheets(b"kind,number,title\r\ntrademark,30999003,Mark\r\n"):
        response = client.post(
            f"/api/v1/enterprises/{enterprise.pk}/assets/import/",
            {"file": file},
            format="multipart",
        )

        assert response.status_code == 400, case
        assert response.json()["code"] == "invalid", case
        assert response.json()["fields"]["file"], case
        assert not enterprise.ip_assets.exists(), case


def test_importing_without_a_file_answers_400_on_the_file(enterprise, member):
    response = client_for(member).post(
        f"/api/v1/enterprises/{enterprise.pk}/assets/import/", {}, format="multipart"
    )

    assert response.status_code == 400
    assert "file" in response.json()["fields"]


def test_the_import_templates_download(enterprise):
    client = APIClient()

    csv_response = client.get("/api/v1/assets/import-template.csv?lang=zh-hans")
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response.content.decode("utf-8-sig").startswith("类型,号码,名称")

    xlsx_response = client.get("/api/v1/assets/import-template.xlsx", HTTP_ACCEPT="text/html")
    assert xlsx_response.status_code == 200
    assert "attachment" in xlsx_response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx_response.content), read_only=True).worksheets[0]
    assert next(sheet.iter_rows(values_only=True))[:3] == ("kind", "number", "title")
