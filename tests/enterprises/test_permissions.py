"""Permission table for the enterprise workspace and the enterprise API.

Own objects belong to the demo enterprise (world.enterprise, world.asset),
other ones to the other enterprise; both are in Zhejiang, so the Zhejiang
regulator reads both, and rows on a Chongqing enterprise show it reads
nothing beyond its province. Both world assets stand in a proposed pledge,
so deleting them answers 409 (API) or a message (page) and changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.forms.models import model_to_dict

from core.validators import make_patent_number
from enterprises.models import Enterprise, IPAppraisal, IPAsset
from enterprises.services import ENTERPRISE_EDITABLE_FIELDS, IP_ASSET_EDITABLE_FIELDS
from tests.factories import EnterpriseFactory, IPAssetFactory
from tests.permissions import Route, World, case_id, cases, check, everyone, signed_in
from tests.sheets import XLSX_TYPE, workbook


def chongqing_enterprise(w: World) -> Enterprise:
    # Made inside the test's transaction, so it is gone after each row.
    return EnterpriseFactory(province_id="500000", city_zh="重庆市", city_en="Chongqing")


def chongqing_asset(w: World) -> IPAsset:
    return IPAssetFactory(enterprise=chongqing_enterprise(w))


PLEDGED = "stands in a loan application or a registered pledge and cannot be deleted"
PROFILE_NOTE = "Makers of pilot lines PERM-PROFILE-2M"
ASSET_TITLE = "一种权限测试装置 PERM-TITLE-8B"


def posted(values: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A model's fields as its form posts them back, with `changes`."""
    data = {**values, **changes}
    return {k: "" if v is None else v for k, v in data.items()}


def profile_data(w: World) -> dict[str, Any]:
    """The demo enterprise's profile with a new description: valid input for
    any enterprise (whoever posts it changes the enterprise they work for)."""
    values = model_to_dict(w.enterprise, fields=ENTERPRISE_EDITABLE_FIELDS)
    return posted(values, description=PROFILE_NOTE)


def fresh_assets(w: World) -> dict[str, Any]:
    """`per_row`: an unpledged asset of each enterprise, for this row alone."""
    return {
        "asset": IPAssetFactory(enterprise=w.enterprise),
        "other_asset": IPAssetFactory(enterprise=w.other_enterprise),
    }


def asset_data(w: World) -> dict[str, Any]:
    values = model_to_dict(w.row["asset"], fields=IP_ASSET_EDITABLE_FIELDS)
    values["kind"] = w.row["asset"].kind.code
    return posted(values, title=ASSET_TITLE)


IMPORTED_TITLE = "一种导入测试结构 PERM-IMPORT-4T"


def asset_file(w: World) -> dict[str, Any]:
    """A small workbook of one utility model, as the import template lays it out."""
    number = make_patent_number(2020, 2, 314_159)
    content = workbook(assets=[["类型", "号码", "名称"], ["实用新型", number, IMPORTED_TITLE]])
    return {"file": SimpleUploadedFile("assets.xlsx", content, content_type=XLSX_TYPE)}


def imported_assets(w: World) -> QuerySet[IPAsset]:
    return IPAsset.objects.filter(title=IMPORTED_TITLE)


# Pages: visitors are sent to sign in; only members of an enterprise get in,
# everyone else is told they act for no enterprise (403).
MEMBERS = signed_in(403, enterprise=200, other_enterprise=200)
OWN_ASSET = signed_in(403, enterprise=200, other_enterprise=404)
OTHER_ASSET = signed_in(403, enterprise=404, other_enterprise=200)

# API: members read and write, regulators in their province read, others 404.
READ_OWN = everyone(
    404, visitor=401, enterprise=200, provincial_regulator=200, national_regulator=200
)
READ_OTHER = everyone(
    404, visitor=401, other_enterprise=200, provincial_regulator=200, national_regulator=200
)
READ_CHONGQING = everyone(404, visitor=401, national_regulator=200)


def write_own(status: int) -> dict[str, int]:
    return everyone(
        404, visitor=401, enterprise=status, provincial_regulator=403, national_regulator=403
    )


def write_other(status: int) -> dict[str, int]:
    return everyone(
        404, visitor=401, other_enterprise=status, provincial_regulator=403, national_regulator=403
    )


ROUTES = [
    # ----------------------------------------------------------------- pages
    Route("enterprises:workspace", "GET", lambda w: "/enterprise/", MEMBERS),
    Route(
        "enterprises:workspace",
        "GET",
        lambda w: f"/enterprise/?enterprise={w.enterprise.pk}",
        signed_in(403, enterprise=200, other_enterprise=404),
        label="pick own",
    ),
    Route("enterprises:profile-edit", "GET", lambda w: "/enterprise/profile/edit/", MEMBERS),
    Route(
        "enterprises:profile-edit",
        "POST",
        lambda w: "/enterprise/profile/edit/",
        signed_in(403, enterprise=302, other_enterprise=302),
        data=profile_data,
        done=lambda w: Enterprise.objects.filter(description=PROFILE_NOTE),
        says="The profile has been saved.",
    ),
    Route("enterprises:assets", "GET", lambda w: "/enterprise/assets/", MEMBERS),
    Route("enterprises:asset-create", "GET", lambda w: "/enterprise/assets/new/", MEMBERS),
    Route(
        "enterprises:asset-create",
        "POST",
        lambda w: "/enterprise/assets/new/",
        signed_in(403, enterprise=302, other_enterprise=302),
        data=lambda w: {
            "kind": "invention_patent",
            "number": make_patent_number(2019, 1, 8_123_456),
            "title": "一种权限测试装置",
            "filed_on": "2019-03-01",
            "legal_status": "valid",
        },
    ),
    Route("enterprises:assets-import", "GET", lambda w: "/enterprise/assets/import/", MEMBERS),
    Route(
        "enterprises:assets-import",
        "POST",
        lambda w: "/enterprise/assets/import/",
        MEMBERS,  # no file: the form comes back with its message, nothing written
        data=lambda w: {},
        label="no file",
        refused=frozenset({"enterprise", "other_enterprise"}),
        done=imported_assets,
    ),
    Route(
        "enterprises:assets-import",
        "POST",
        lambda w: "/enterprise/assets/import/",
        # Each member imports into the enterprise they work for.
        signed_in(403, enterprise=302, other_enterprise=302),
        data=asset_file,
        label="a workbook",
        done=imported_assets,
        says="1 asset has been imported.",
    ),
    Route(
        "enterprises:asset-edit",
        "GET",
        lambda w: f"/enterprise/assets/{w.asset.pk}/edit/",
        OWN_ASSET,
        label="own",
    ),
    Route(
        "enterprises:asset-edit",
        "GET",
        lambda w: f"/enterprise/assets/{w.other_asset.pk}/edit/",
        OTHER_ASSET,
        label="other",
    ),
    Route(
        "enterprises:asset-edit",
        "POST",
        lambda w: f"/enterprise/assets/{w.row['asset'].pk}/edit/",
        signed_in(403, enterprise=302, other_enterprise=404),
        data=asset_data,
        label="own",
        per_row=fresh_assets,
        done=lambda w: IPAsset.objects.filter(title=ASSET_TITLE),
        says="has been saved.",
    ),
    Route(
        "enterprises:asset-appraise",
        "GET",
        lambda w: f"/enterprise/assets/{w.asset.pk}/appraise/",
        OWN_ASSET,
        label="own",
    ),
    Route(
        "enterprises:asset-appraise",
        "GET",
        lambda w: f"/enterprise/assets/{w.other_asset.pk}/appraise/",
        OTHER_ASSET,
        label="other",
    ),
    Route(
        "enterprises:asset-appraise",
        "POST",
        lambda w: f"/enterprise/assets/{w.row['other_asset'].pk}/appraise/",
        signed_in(403, enterprise=404, other_enterprise=302),
        data=lambda w: {
            "value": "3210000.00",
            "appraiser": "Permission Table Appraisers",
            "appraised_on": "2025-11-03",
        },
        label="other",
        per_row=fresh_assets,
        done=lambda w: IPAppraisal.objects.filter(appraiser="Permission Table Appraisers"),
        says="has been recorded.",
    ),
    Route(
        "enterprises:asset-delete",
        "POST",
        lambda w: f"/enterprise/assets/{w.asset.pk}/delete/",
        signed_in(403, enterprise=302, other_enterprise=404),
        label="own",
        # Pledged in the world's application: refused with a message, kept.
        refused=frozenset({"enterprise"}),
        gone=lambda w: IPAsset.objects.filter(pk=w.asset.pk),
        says="has been deleted.",
        refusal=PLEDGED,
    ),
    Route(
        "enterprises:asset-delete",
        "POST",
        lambda w: f"/enterprise/assets/{w.other_asset.pk}/delete/",
        signed_in(403, enterprise=404, other_enterprise=302),
        label="other",
        # Pledged in the world's application: refused with a message, kept.
        refused=frozenset({"other_enterprise"}),
        gone=lambda w: IPAsset.objects.filter(pk=w.other_asset.pk),
        says="has been deleted.",
        refusal=PLEDGED,
    ),
    Route(
        "enterprises:asset-delete",
        "POST",
        lambda w: f"/enterprise/assets/{w.row['asset'].pk}/delete/",
        signed_in(403, enterprise=302, other_enterprise=404),
        label="own unpledged",
        per_row=fresh_assets,
        gone=lambda w: IPAsset.objects.filter(pk=w.row["asset"].pk),
        says="has been deleted.",
    ),
    Route(
        "enterprises:asset-delete",
        "GET",
        lambda w: f"/enterprise/assets/{w.asset.pk}/delete/",
        everyone(405),
        label="own",
    ),
    # ----------------------------------------------------------------- API: the profile
    Route(
        "api-enterprise",
        "GET",
        lambda w: f"/api/v1/enterprises/{w.enterprise.pk}/",
        READ_OWN,
        label="own",
    ),
    Route(
        "api-enterprise",
        "GET",
        lambda w: f"/api/v1/enterprises/{w.other_enterprise.pk}/",
        READ_OTHER,
        label="other",
    ),
    Route(
        "api-enterprise",
        "GET",
        lambda w: f"/api/v1/enterprises/{chongqing_enterprise(w).pk}/",
        READ_CHONGQING,
        label="other province",
    ),
    Route(
        "api-enterprise",
        "PATCH",
        lambda w: f"/api/v1/enterprises/{w.enterprise.pk}/",
        write_own(200),
        json=True,
        data=lambda w: {"employees": 61},
        label="own",
    ),
    Route(
        "api-enterprise",
        "PATCH",
        lambda w: f"/api/v1/enterprises/{w.other_enterprise.pk}/",
        write_other(200),
        json=True,
        data=lambda w: {"employees": 9},
        label="other",
    ),
    # ----------------------------------------------------------------- API: assets
    Route(
        "api-enterprise-assets",
        "GET",
        lambda w: f"/api/v1/enterprises/{w.enterprise.pk}/assets/",
        READ_OWN,
        label="own",
    ),
    Route(
        "api-enterprise-assets",
        "GET",
        lambda w: f"/api/v1/enterprises/{w.other_enterprise.pk}/assets/",
        READ_OTHER,
        label="other",
    ),
    Route(
        "api-enterprise-assets",
        "GET",
        lambda w: f"/api/v1/enterprises/{chongqing_enterprise(w).pk}/assets/",
        READ_CHONGQING,
        label="other province",
    ),
    Route(
        "api-enterprise-assets",
        "POST",
        lambda w: f"/api/v1/enterprises/{w.enterprise.pk}/assets/",
        write_own(201),
        json=True,
        data=lambda w: {"kind": "trademark", "number": "39000001", "title": "权限表"},
        label="own",
    ),
    Route(
        "api-enterprise-assets",
        "POST",
        lambda w: f"/api/v1/enterprises/{w.other_enterprise.pk}/assets/",
        write_other(400),
        json=True,
        data=lambda w: {"kind": "trademark"},
        label="other",
    ),
    Route(
        "api-enterprise-assets-import",
        "POST",
        lambda w: f"/api/v1/enterprises/{w.enterprise.pk}/assets/import/",
        write_own(400),  # no file
        label="own, no file",
        done=imported_assets,
    ),
    Route(
        "api-enterprise-assets-import",
        "POST",
        lambda w: f"/api/v1/enterprises/{w.enterprise.pk}/assets/import/",
        write_own(201),
        data=asset_file,
        label="own, a workbook",
        done=lambda w: imported_assets(w).filter(enterprise=w.enterprise),
    ),
    Route(
        "api-enterprise-assets-import",
        "POST",
        lambda w: f"/api/v1/enterprises/{w.other_enterprise.pk}/assets/import/",
        write_other(201),
        data=asset_file,
        label="other, a workbook",
        done=lambda w: imported_assets(w).filter(enterprise=w.other_enterprise),
    ),
    Route(
        "api-asset",
        "GET",
        lambda w: f"/api/v1/assets/{w.asset.pk}/",
        READ_OWN,
        label="own",
    ),
    Route(
        "api-asset",
        "GET",
        lambda w: f"/api/v1/assets/{w.other_asset.pk}/",
        READ_OTHER,
        label="other",
    ),
    Route(
        "api-asset",
        "GET",
        lambda w: f"/api/v1/assets/{chongqing_asset(w).pk}/",
        READ_CHONGQING,
        label="other province",
    ),
    Route(
        "api-asset",
        "PATCH",
        lambda w: f"/api/v1/assets/{w.asset.pk}/",
        write_own(200),
        json=True,
        data=lambda w: {"title": "权限表改名"},
        label="own",
    ),
    Route(
        "api-asset",
        "PATCH",
        lambda w: f"/api/v1/assets/{w.other_asset.pk}/",
        write_other(409),  # it stands in a proposed pledge
        json=True,
        data=lambda w: {"number": "202099999999.9"},
        label="other",
    ),
    Route(
        "api-asset",
        "DELETE",
        lambda w: f"/api/v1/assets/{w.asset.pk}/",
        write_own(409),
        label="own",
    ),
    Route(
        "api-asset",
        "DELETE",
        lambda w: f"/api/v1/assets/{w.other_asset.pk}/",
        write_other(409),
        label="other",
    ),
    Route(
        "api-asset-appraisals",
        "GET",
        lambda w: f"/api/v1/assets/{w.asset.pk}/appraisals/",
        READ_OWN,
        label="own",
    ),
    Route(
        "api-asset-appraisals",
        "GET",
        lambda w: f"/api/v1/assets/{w.other_asset.pk}/appraisals/",
        READ_OTHER,
        label="other",
    ),
    Route(
        "api-asset-appraisals",
        "POST",
        lambda w: f"/api/v1/assets/{w.asset.pk}/appraisals/",
        write_own(201),
        json=True,
        data=lambda w: {"value": "1000000.00", "appraiser": "权限表", "appraised_on": "2020-01-01"},
        label="own",
    ),
    Route(
        "api-asset-appraisals",
        "POST",
        lambda w: f"/api/v1/assets/{w.other_asset.pk}/appraisals/",
        write_other(400),
        json=True,
        data=lambda w: {},
        label="other",
    ),
    # The templates hold no data: anyone may download them.
    Route(
        "api-asset-import-template-csv",
        "GET",
        lambda w: "/api/v1/assets/import-template.csv",
        everyone(200),
    ),
    Route(
        "api-asset-import-template-xlsx",
        "GET",
        lambda w: "/api/v1/assets/import-template.xlsx",
        everyone(200),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), cases(ROUTES), ids=case_id)
def test_permission(world, route, role):
    check(world, route, role)
