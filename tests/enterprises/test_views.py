"""The enterprise workspace pages: status codes, then the database."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from core.validators import make_patent_number
from enterprises.models import Enterprise, IPAsset
from financing.models import Pledge
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    IPAssetFactory,
    ParkFactory,
    PledgeFactory,
    UserFactory,
    member_of,
)
from tests.sheets import not_spreadsheets

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    return EnterpriseFactory(annual_revenue=Decimal("12000000.00"))


@pytest.fixture
def member(enterprise):
    return member_of(enterprise)


@pytest.fixture
def client(member):
    client = Client()
    client.force_login(member)
    return client


def pledge(asset: IPAsset, status: str = Pledge.Status.ACTIVE) -> Pledge:
    return PledgeFactory(
        asset=asset, application=ApplicationFactory(enterprise=asset.enterprise), status=status
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --------------------------------------------------------------------------- the workspace


def test_the_workspace_shows_the_profile_and_the_portfolio_figures(enterprise, client):
    pledged = IPAssetFactory(enterprise=enterprise, appraised_value=Decimal("2000000.00"))
    pledge(pledged)
    IPAssetFactory(
        enterprise=enterprise,
        kind_id="trademark",
        number="30200001",
        appraised_value=Decimal("500000.00"),
    )

    response = client.get("/enterprise/")

    assert response.status_code == 200
    html = response.content.decode()
    assert enterprise.name_en in html
    assert enterprise.credit_code in html
    assert 'data-figure="assets">2<' in html
    assert 'data-figure="pledged">1<' in html
    assert 'data-figure="appraised_value">¥2,500,000<' in html
    assert 'data-kind="trademark">1<' in html


def test_the_workspace_reads_amounts_in_chinese(enterprise, client):
    IPAssetFactory(enterprise=enterprise, appraised_value=Decimal("2500000.00"))

    response = client.get("/zh-hans/enterprise/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="appraised_value">250万元<' in html
    assert enterprise.name_zh in html


def test_a_user_with_several_enterprises_picks_one_and_it_is_remembered(member):
    first, second = Enterprise.objects.get(memberships__user=member), EnterpriseFactory()
    member_of(second, member)
    client = Client()
    client.force_login(member)

    picker = client.get("/enterprise/")
    assert picker.status_code == 200
    assert picker.context["enterprise"] is None
    assert f'href="?enterprise={second.pk}"' in picker.content.decode()
    assert client.get("/enterprise/assets/").status_code == 302

    assert client.get(f"/enterprise/?enterprise={second.pk}").context["enterprise"] == second
    assert client.get("/enterprise/assets/").context["enterprise"] == second
    assert client.get(f"/enterprise/assets/?enterprise={first.pk}").context["enterprise"] == first


def test_picking_an_enterprise_one_does_not_act_for_is_404(client):
    other = EnterpriseFactory()
    assert client.get(f"/enterprise/?enterprise={other.pk}").status_code == 404
    assert client.get("/enterprise/?enterprise=abc").status_code == 404


def test_a_user_who_acts_for_no_enterprise_gets_a_friendly_403():
    client = Client()
    client.force_login(UserFactory())

    response = client.get("/enterprise/assets/")

    assert response.status_code == 403
    assert "does not act for one" in response.content.decode()


def test_visitors_are_sent_to_sign_in():
    response = Client().get("/enterprise/")
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


# --------------------------------------------------------------------------- the profile


def test_a_member_edits_the_profile(enterprise, client):
    park = ParkFactory(province_id="330000")
    form = client.get("/enterprise/profile/edit/")
    assert form.status_code == 200
    assert form.context["form"].initial["name_zh"] == enterprise.name_zh

    response = client.post(
        "/enterprise/profile/edit/",
        {
            "name_zh": "杭州新名称科技有限公司",
            "name_en": "",
            "province": "330000",
            "city_zh": "杭州市",
            "park": park.pk,
            "industry": "biomedicine",
            "size": "medium",
            "high_tech_certified": "on",
            "employees": "150",
            "annual_revenue": "30000000",
            "description": "研发",
        },
    )

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.name_zh, enterprise.park, enterprise.size) == (
        "杭州新名称科技有限公司",
        park,
        "medium",
    )
    assert enterprise.high_tech_certified is True
    assert enterprise.discoverable is False


def test_a_park_in_another_province_shows_the_form_again(enterprise, client):
    park = ParkFactory(province_id="500000")

    response = client.post(
        "/enterprise/profile/edit/",
        {
            "name_zh": enterprise.name_zh,
            "province": "330000",
            "park": park.pk,
            "size": "small",
            "employees": "1",
            "annual_revenue": "0",
        },
    )

    assert response.status_code == 200
    assert "another province" in str(response.context["form"].errors["park"])
    enterprise.refresh_from_db()
    assert enterprise.park is None


# --------------------------------------------------------------------------- the portfolio


def test_the_portfolio_lists_own_assets_with_a_pledged_badge(enterprise, client):
    pledged = IPAssetFactory(enterprise=enterprise)
    pledge(pledged)
    free = IPAssetFactory(enterprise=enterprise)
    theirs = IPAssetFactory()

    response = client.get("/enterprise/assets/")

    assert response.status_code == 200
    html = response.content.decode()
    assert pledged.number in html and free.number in html
    assert theirs.number not in html
    assert f'data-pledged="{pledged.pk}"' in html
    assert f'data-pledged="{free.pk}"' not in html


def test_the_portfolio_filters(enterprise, client):
    IPAssetFactory(enterprise=enterprise, kind_id="trademark", number="30200002", title="商标乙")
    IPAssetFactory(enterprise=enterprise, title="一种方法")

    response = client.get("/enterprise/assets/", {"kind": "trademark"})
    assert [a.title for a in response.context["page"]] == ["商标乙"]

    response = client.get("/enterprise/assets/", {"kind": "nonsense", "search": "方法"})
    assert response.status_code == 200
    assert "kind" in response.context["filter_form"].errors
    assert [a.title for a in response.context["page"]] == ["一种方法"]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_portfolio_page_takes_a_fixed_number_of_queries(
    enterprise, client, rows, django_assert_max_num_queries
):
    for asset in IPAssetFactory.create_batch(rows, enterprise=enterprise):
        pledge(asset)

    # Session, user, the user's enterprises, count, page, the navigation's two.
    with django_assert_max_num_queries(8):
        response = client.get("/enterprise/assets/")

    assert response.status_code == 200
    assert len(response.context["page"]) == min(rows, 25)


def test_a_member_adds_an_asset_with_its_appraisal(enterprise, client):
    number = make_patent_number(2021, 3, 2024)

    response = client.post(
        "/enterprise/assets/new/",
        {
            "kind": "design_patent",
            "number": f"ZL {number}",
            "title": "智能音箱",
            "legal_status": "valid",
            "filed_on": "2021-01-05",
            "appraised_value": "300000",
            "appraiser": "评估所",
            "appraised_on": "2022-02-02",
        },
    )

    assert response.status_code == 302
    asset = IPAsset.objects.get(enterprise=enterprise, number=number)
    assert asset.appraised_value == Decimal("300000")
    assert asset.appraisals.count() == 1


def test_a_duplicate_number_shows_the_form_again_with_the_message(enterprise, client):
    existing = IPAssetFactory(enterprise=enterprise)

    response = client.post(
        "/enterprise/assets/new/",
        {
            "kind": existing.kind_id,
            "number": existing.number,
            "title": "Again",
            "legal_status": "valid",
        },
    )

    assert response.status_code == 200
    assert "already in your portfolio" in response.content.decode()
    assert IPAsset.objects.filter(number=existing.number).count() == 1


def test_a_member_edits_an_asset(enterprise, client):
    asset = IPAssetFactory(enterprise=enterprise)
    assert client.get(f"/enterprise/assets/{asset.pk}/edit/").status_code == 200

    response = client.post(
        f"/enterprise/assets/{asset.pk}/edit/",
        {
            "kind": asset.kind_id,
            "number": asset.number,
            "title": "改过的名称",
            "legal_status": "expired",
        },
    )

    assert response.status_code == 302
    asset.refresh_from_db()
    assert (asset.title, asset.legal_status) == ("改过的名称", "expired")


def test_a_pledged_assets_number_change_is_refused_with_a_message(enterprise, client):
    asset = IPAssetFactory(enterprise=enterprise)
    pledge(asset)

    response = client.post(
        f"/enterprise/assets/{asset.pk}/edit/",
        {
            "kind": asset.kind_id,
            "number": make_patent_number(2022, 1, 1),
            "title": asset.title,
            "legal_status": "valid",
        },
    )

    assert response.status_code == 200
    assert "cannot change" in str(response.context["form"].non_field_errors())
    assert IPAsset.objects.get(pk=asset.pk).number == asset.number


def test_another_enterprises_asset_is_404(client):
    theirs = IPAssetFactory()
    assert client.get(f"/enterprise/assets/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/enterprise/assets/{theirs.pk}/delete/").status_code == 404
    assert IPAsset.objects.filter(pk=theirs.pk).exists()


def test_deleting_a_free_asset_and_refusing_a_pledged_one(enterprise, client):
    free = IPAssetFactory(enterprise=enterprise)
    pledged = IPAssetFactory(enterprise=enterprise)
    pledge(pledged, Pledge.Status.PROPOSED)

    deleted = client.post(f"/enterprise/assets/{free.pk}/delete/", follow=True)
    refused = client.post(f"/enterprise/assets/{pledged.pk}/delete/", follow=True)

    assert deleted.redirect_chain[0][1] == 302
    assert any("has been deleted" in m for m in messages_of(deleted))
    assert any("cannot be deleted" in m for m in messages_of(refused))
    assert not IPAsset.objects.filter(pk=free.pk).exists()
    assert IPAsset.objects.filter(pk=pledged.pk).exists()
    assert client.get(f"/enterprise/assets/{free.pk}/delete/").status_code == 405


def test_a_member_records_an_appraisal(enterprise, client):
    asset = IPAssetFactory(enterprise=enterprise, appraised_on=dt.date(2020, 6, 1))
    page = client.get(f"/enterprise/assets/{asset.pk}/appraise/")
    assert page.status_code == 200

    response = client.post(
        f"/enterprise/assets/{asset.pk}/appraise/",
        {"value": "4200000", "appraiser": "年度复评", "appraised_on": "2021-07-01"},
    )

    assert response.status_code == 302
    asset.refresh_from_db()
    assert (asset.appraised_value, asset.appraised_on) == (
        Decimal("4200000"),
        dt.date(2021, 7, 1),
    )


def test_a_bad_appraisal_shows_the_form_again(enterprise, client):
    asset = IPAssetFactory(enterprise=enterprise)

    response = client.post(
        f"/enterprise/assets/{asset.pk}/appraise/",
        {"value": "0", "appraiser": "x", "appraised_on": "2020-01-01"},
    )

    assert response.status_code == 200
    assert "value" in response.context["form"].errors
    assert not asset.appraisals.exists()


# --------------------------------------------------------------------------- importing


def test_importing_a_good_file_reports_the_count(enterprise, client):
    number = make_patent_number(2020, 2, 271_828)
    csv_bytes = f"类型,号码,名称\r\n实用新型,{number},一种结构\r\n商标,30200003,标\r\n".encode(
        "gbk"
    )

    response = client.post(
        "/enterprise/assets/import/",
        {"file": SimpleUploadedFile("list.csv", csv_bytes)},
        follow=True,
    )

    assert response.redirect_chain[0][1] == 302
    assert "2 assets have been imported." in messages_of(response)
    assert enterprise.ip_assets.count() == 2


def test_importing_a_bad_file_lists_every_bad_row_and_imports_nothing(enterprise, client):
    csv_bytes = b"kind,number,title\r\ntrademark,30200004,Good\r\npatent,1,Bad\r\ntrademark,x,\r\n"

    response = client.post(
        "/enterprise/assets/import/", {"file": SimpleUploadedFile("list.csv", csv_bytes)}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-row="3"' in html
    assert 'data-row="4"' in html
    assert "Nothing was imported." in html
    assert not enterprise.ip_assets.exists()


def test_the_import_page_refuses_what_is_no_spreadsheet(enterprise, client):
    for case, upload in not_spreadsheets(b"kind,number,title\r\ntrademark,30200005,Mark\r\n"):
        response = client.post("/enterprise/assets/import/", {"file": upload})

        assert response.status_code == 200, case
        assert response.context["form"].errors["file"], case
        assert not enterprise.ip_assets.exists(), case


def test_the_import_page_links_the_templates(client):
    response = client.get("/zh-hans/enterprise/assets/import/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/assets/import-template.xlsx?lang=zh-hans" in html
    assert "/api/v1/assets/import-template.csv?lang=zh-hans" in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_untouched_template_imports_nothing_and_says_so(enterprise, client, language):
    prefix = "" if language == "en" else f"/{language}"
    template = client.get(f"/api/v1/assets/import-template.xlsx?lang={language}").content
    book = load_workbook(io.BytesIO(template))
    # The sheet is named as the portal names an IP list, with the example row in grey.
    assert book.sheetnames[0] == ("知识产权" if language == "zh-hans" else "IP assets")
    example = [cell.value for cell in book.worksheets[0][2]]
    assert example[:3] == [
        "发明专利" if language == "zh-hans" else "Invention patent",
        "202010123456.2",
        "一种锂电池隔膜的制备方法",
    ]
    assert book.worksheets[0]["A2"].comment is not None

    response = client.post(
        f"{prefix}/enterprise/assets/import/",
        {"file": SimpleUploadedFile("list.xlsx", template)},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert ("示例行不会被导入" if language == "zh-hans" else "example row") in html
    assert not enterprise.ip_assets.exists()


def test_a_filled_in_template_imports_the_rows_and_not_the_example(enterprise, client):
    template = client.get("/api/v1/assets/import-template.csv?lang=zh-hans").content
    number = make_patent_number(2021, 2, 314_159)
    filled = template + f"实用新型,{number},一种连接结构\r\n".encode()

    response = client.post(
        "/zh-hans/enterprise/assets/import/",
        {"file": SimpleUploadedFile("list.csv", filled)},
        follow=True,
    )

    assert response.redirect_chain[0][1] == 302
    assert [a.number for a in enterprise.ip_assets.all()] == [number]
