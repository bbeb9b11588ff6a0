"""Writes to the enterprise profile and the IP portfolio."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.exceptions import Conflict
from core.validators import make_patent_number
from enterprises.models import Enterprise, IPAppraisal, IPAsset
from enterprises.services import (
    enterprise_update,
    ip_asset_appraise,
    ip_asset_create,
    ip_asset_delete,
    ip_asset_update,
)
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

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise():
    return EnterpriseFactory()


@pytest.fixture
def member(enterprise):
    return member_of(enterprise)


def pledge(asset: IPAsset, status: str = Pledge.Status.ACTIVE) -> Pledge:
    return PledgeFactory(
        asset=asset, application=ApplicationFactory(enterprise=asset.enterprise), status=status
    )


def wrong_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


# --------------------------------------------------------------------------- the profile


def test_a_member_updates_the_profile(enterprise, member):
    enterprise_update(
        enterprise=enterprise,
        actor=member,
        name_en="Renamed Co., Ltd.",
        employees=120,
        need_amount=Decimal("3000000.00"),
    )

    enterprise.refresh_from_db()
    assert enterprise.name_en == "Renamed Co., Ltd."
    assert enterprise.employees == 120
    assert enterprise.need_amount == Decimal("3000000.00")


def test_only_members_update_the_profile(enterprise):
    with pytest.raises(PermissionDenied):
        enterprise_update(enterprise=enterprise, actor=UserFactory(), name_en="Taken over")

    enterprise.refresh_from_db()
    assert enterprise.name_en != "Taken over"


def test_the_credit_code_cannot_be_changed_but_may_be_sent_back_unchanged(enterprise, member):
    original = enterprise.credit_code
    other_code = EnterpriseFactory.build().credit_code

    with pytest.raises(ValidationError) as error:
        enterprise_update(enterprise=enterprise, actor=member, credit_code=other_code)
    assert "credit_code" in error.value.message_dict

    enterprise_update(
        enterprise=enterprise, actor=member, credit_code=original.lower(), employees=7
    )
    enterprise.refresh_from_db()
    assert (enterprise.credit_code, enterprise.employees) == (original, 7)


def test_a_park_in_another_province_is_refused_on_the_park_field(enterprise, member):
    chongqing_park = ParkFactory(province_id="500000")

    with pytest.raises(ValidationError) as error:
        enterprise_update(enterprise=enterprise, actor=member, park=chongqing_park)

    assert "park" in error.value.message_dict
    assert Enterprise.objects.get(pk=enterprise.pk).park_id is None


def test_bad_profile_values_come_back_as_field_messages(enterprise, member):
    with pytest.raises(ValidationError) as error:
        enterprise_update(
            enterprise=enterprise, actor=member, name_zh="", annual_revenue=Decimal("-1")
        )
    assert {"name_zh", "annual_revenue"} <= set(error.value.message_dict)


def test_fields_outside_the_profile_are_a_programming_error(enterprise, member):
    with pytest.raises(TypeError):
        enterprise_update(enterprise=enterprise, actor=member, created_at=timezone.now())


# --------------------------------------------------------------------------- creating assets


def test_a_patent_number_is_stored_in_its_canonical_form(enterprise, member):
    number = make_patent_number(2020, 1, 123456)
    typed = f"CN {number[:4]} {number[4:8]} {number[8:]}".lower()

    asset = ip_asset_create(
        enterprise=enterprise,
        actor=member,
        kind="invention_patent",
        number=typed,
        title=" 一种装置 ",
    )

    asset.refresh_from_db()
    assert asset.number == number
    assert asset.title == "一种装置"
    assert asset.legal_status == IPAsset.LegalStatus.VALID


def test_a_wrong_check_digit_is_a_message_on_the_number(enterprise, member):
    with pytest.raises(ValidationError) as error:
        ip_asset_create(
            enterprise=enterprise,
            actor=member,
            kind="invention_patent",
            number=wrong_check_digit(make_patent_number(2020, 1, 5)),
            title="一种装置",
        )

    assert "check digit" in " ".join(error.value.message_dict["number"])
    assert not IPAsset.objects.filter(enterprise=enterprise).exists()


def test_an_unknown_kind_and_a_missing_title_are_field_messages(enterprise, member):
    with pytest.raises(ValidationError) as error:
        ip_asset_create(enterprise=enterprise, actor=member, kind="patent", number="123", title="")

    assert set(error.value.message_dict) == {"kind", "title"}


def test_a_number_already_in_the_portfolio_is_a_field_error_not_a_crash(enterprise, member):
    existing = IPAssetFactory(enterprise=enterprise)

    with pytest.raises(ValidationError) as error:
        ip_asset_create(
            enterprise=enterprise,
            actor=member,
            kind=existing.kind_id,
            number=f"ZL{existing.number}",
            title="Again",
        )

    assert error.value.message_dict["number"] == ["This number is already in your portfolio."]
    assert IPAsset.objects.filter(number=existing.number).count() == 1


def test_a_number_another_enterprise_holds_is_a_field_error(enterprise, member):
    theirs = IPAssetFactory()

    with pytest.raises(ValidationError) as error:
        ip_asset_create(
            enterprise=enterprise,
            actor=member,
            kind=theirs.kind_id,
            number=theirs.number,
            title="Mine?",
        )

    assert "another enterprise" in error.value.message_dict["number"][0]


def test_the_same_number_as_another_kind_is_a_different_right(enterprise, member):
    ip_asset_create(
        enterprise=enterprise, actor=member, kind="trademark", number="12345678", title="商标"
    )
    with pytest.raises(ValidationError) as error:
        ip_asset_create(
            enterprise=enterprise, actor=member, kind="trademark", number="12345678", title="又一"
        )
    assert "number" in error.value.message_dict


def test_an_asset_created_with_an_appraisal_starts_its_history(enterprise, member):
    asset = ip_asset_create(
        enterprise=enterprise,
        actor=member,
        kind="trademark",
        number="30123456",
        title="云栖",
        appraised_value=Decimal("800000.00"),
        appraiser="浙江评估有限公司",
        appraised_on=dt.date(2020, 5, 1),
    )

    appraisal = IPAppraisal.objects.get(asset=asset)
    assert (appraisal.value, appraisal.recorded_by) == (Decimal("800000.00"), member)
    asset.refresh_from_db()
    assert asset.appraised_value == Decimal("800000.00")


def test_half_an_appraisal_is_refused(enterprise, member):
    with pytest.raises(ValidationError) as error:
        ip_asset_create(
            enterprise=enterprise,
            actor=member,
            kind="trademark",
            number="30123457",
            title="云栖",
            appraised_value=Decimal("800000.00"),
        )
    assert {"appraiser", "appraised_on"} <= set(error.value.message_dict)
    assert not IPAsset.objects.filter(number="30123457").exists()


def test_only_members_add_assets(enterprise):
    with pytest.raises(PermissionDenied):
        ip_asset_create(
            enterprise=enterprise,
            actor=UserFactory(),
            kind="trademark",
            number="30123458",
            title="x",
        )


# --------------------------------------------------------------------------- changing assets


def test_a_free_asset_can_change_its_number(enterprise, member):
    asset = IPAssetFactory(enterprise=enterprise)
    new_number = make_patent_number(2021, 1, 42)

    ip_asset_update(asset=asset, actor=member, number=new_number, title="新名称")

    asset.refresh_from_db()
    assert (asset.number, asset.title) == (new_number, "新名称")


def test_a_free_asset_can_change_its_kind_with_a_number_of_that_kind(enterprise, member):
    asset = IPAssetFactory(enterprise=enterprise, kind_id="trademark", number="30100009")
    number = make_patent_number(2020, 2, 77)

    with pytest.raises(ValidationError) as error:
        ip_asset_update(asset=asset, actor=member, kind="utility_model")
    assert "number" in error.value.message_dict

    ip_asset_update(asset=asset, actor=member, kind="utility_model", number=number)
    asset.refresh_from_db()
    assert (asset.kind_id, asset.number) == ("utility_model", number)


@pytest.mark.parametrize("status", [Pledge.Status.ACTIVE, Pledge.Status.PROPOSED])
def test_a_pledged_asset_cannot_change_its_number(enterprise, member, status):
    asset = IPAssetFactory(enterprise=enterprise)
    pledge(asset, status)
    number = asset.number

    with pytest.raises(Conflict) as error:
        ip_asset_update(asset=asset, actor=member, number=make_patent_number(2021, 1, 43))

    assert error.value.code == "asset_pledged"
    asset.refresh_from_db()
    assert asset.number == number


def test_a_pledged_asset_may_change_its_title_and_status(enterprise, member):
    asset = IPAssetFactory(enterprise=enterprise)
    pledge(asset)

    ip_asset_update(
        asset=asset,
        actor=member,
        kind=asset.kind_id,
        number=f"CN{asset.number}",  # the same number, as typed
        title="更正后的名称",
        legal_status=IPAsset.LegalStatus.EXPIRED,
    )

    asset.refresh_from_db()
    assert (asset.title, asset.legal_status) == ("更正后的名称", "expired")


def test_changing_to_a_number_already_held_is_a_field_error(enterprise, member):
    asset = IPAssetFactory(enterprise=enterprise)
    theirs = IPAssetFactory()

    with pytest.raises(ValidationError) as error:
        ip_asset_update(asset=asset, actor=member, number=theirs.number)

    assert "number" in error.value.message_dict


def test_a_grant_before_the_filing_is_refused(enterprise, member):
    asset = IPAssetFactory(enterprise=enterprise, filed_on=dt.date(2019, 3, 1))

    with pytest.raises(ValidationError) as error:
        ip_asset_update(asset=asset, actor=member, granted_on=dt.date(2018, 1, 1))

    assert "granted_on" in error.value.message_dict


def test_the_appraisal_is_not_changed_by_an_update(enterprise, member):
    asset = IPAssetFactory(enterprise=enterprise)
    with pytest.raises(TypeError):
        ip_asset_update(asset=asset, actor=member, appraised_value=Decimal("1"))


def test_only_members_change_assets(enterprise):
    asset = IPAssetFactory(enterprise=enterprise)
    with pytest.raises(PermissionDenied):
        ip_asset_update(asset=asset, actor=UserFactory(), title="x")


# --------------------------------------------------------------------------- deleting assets


def test_a_free_asset_can_be_deleted(enterprise, member):
    asset = IPAssetFactory(enterprise=enterprise)

    ip_asset_delete(asset=asset, actor=member)

    assert not IPAsset.objects.filter(pk=asset.pk).exists()


@pytest.mark.parametrize("status", [Pledge.Status.ACTIVE, Pledge.Status.PROPOSED])
def test_a_pledged_asset_cannot_be_deleted(enterprise, member, status):
    asset = IPAssetFactory(enterprise=enterprise)
    pledge(asset, status)

    with pytest.raises(Conflict) as error:
        ip_asset_delete(asset=asset, actor=member)

    assert error.value.code == "asset_pledged"
    assert IPAsset.objects.filter(pk=asset.pk).exists()


def test_an_asset_a_loan_stood_on_keeps_its_record(enterprise, member):
    asset = IPAssetFactory(enterprise=enterprise)
    pledge(asset, Pledge.Status.RELEASED)

    with pytest.raises(Conflict) as error:
        ip_asset_delete(asset=asset, actor=member)

    assert error.value.code == "asset_pledge_history"
    assert IPAsset.objects.filter(pk=asset.pk).exists()


def test_only_members_delete_assets(enterprise):
    asset = IPAssetFactory(enterprise=enterprise)
    with pytest.raises(PermissionDenied):
        ip_asset_delete(asset=asset, actor=UserFactory())
    assert IPAsset.objects.filter(pk=asset.pk).exists()


# --------------------------------------------------------------------------- appraisals


def test_a_newer_appraisal_becomes_the_latest(enterprise, member):
    asset = IPAssetFactory(enterprise=enterprise, appraised_on=dt.date(2020, 6, 1))

    ip_asset_appraise(
        asset=asset,
        actor=member,
        value=Decimal("2500000.00"),
        appraiser=" 新评估机构 ",
        appraised_on=dt.date(2021, 1, 15),
    )

    asset.refresh_from_db()
    assert (asset.appraised_value, asset.appraiser, asset.appraised_on) == (
        Decimal("2500000.00"),
        "新评估机构",
        dt.date(2021, 1, 15),
    )
    assert asset.appraisals.get().recorded_by == member


def test_an_older_appraisal_joins_the_history_but_not_the_latest(enterprise, member):
    asset = IPAssetFactory(
        enterprise=enterprise,
        appraised_value=Decimal("2000000.00"),
        appraised_on=dt.date(2020, 6, 1),
    )

    ip_asset_appraise(
        asset=asset,
        actor=member,
        value=Decimal("900000.00"),
        appraiser="旧报告",
        appraised_on=dt.date(2019, 6, 1),
    )

    asset.refresh_from_db()
    assert (asset.appraised_value, asset.appraised_on) == (
        Decimal("2000000.00"),
        dt.date(2020, 6, 1),
    )
    assert asset.appraisals.count() == 1


def test_an_appraisal_of_the_same_day_replaces_the_latest(enterprise, member):
    asset = IPAssetFactory(enterprise=enterprise, appraised_on=dt.date(2020, 6, 1))

    ip_asset_appraise(
        asset=asset,
        actor=member,
        value=Decimal("2100000.00"),
        appraiser="复核",
        appraised_on=dt.date(2020, 6, 1),
    )

    asset.refresh_from_db()
    assert asset.appraised_value == Decimal("2100000.00")


def test_an_asset_never_appraised_takes_its_first_appraisal(enterprise, member):
    asset = IPAssetFactory(
        enterprise=enterprise, appraised_value=None, appraiser="", appraised_on=None
    )

    ip_asset_appraise(
        asset=asset,
        actor=member,
        value=Decimal("10.00"),
        appraiser="A",
        appraised_on=dt.date(2015, 1, 1),
    )

    asset.refresh_from_db()
    assert asset.appraised_value == Decimal("10.00")


def test_a_future_or_zero_appraisal_is_refused(enterprise, member):
    asset = IPAssetFactory(enterprise=enterprise)

    with pytest.raises(ValidationError) as error:
        ip_asset_appraise(
            asset=asset,
            actor=member,
            value=Decimal("0"),
            appraiser="",
            appraised_on=timezone.localdate() + dt.timedelta(days=1),
        )

    assert {"value", "appraiser", "appraised_on"} == set(error.value.message_dict)
    assert not asset.appraisals.exists()


def test_a_pledged_asset_can_still_be_appraised(enterprise, member):
    asset = IPAssetFactory(enterprise=enterprise)
    pledge(asset)

    ip_asset_appraise(
        asset=asset,
        actor=member,
        value=Decimal("3000000.00"),
        appraiser="年度复评",
        appraised_on=timezone.localdate(),
    )

    asset.refresh_from_db()
    assert asset.appraised_value == Decimal("3000000.00")


def test_only_members_appraise(enterprise):
    asset = IPAssetFactory(enterprise=enterprise)
    with pytest.raises(PermissionDenied):
        ip_asset_appraise(
            asset=asset,
            actor=UserFactory(),
            value=Decimal("1.00"),
            appraiser="x",
            appraised_on=dt.date(2020, 1, 1),
        )
    assert not asset.appraisals.exists()
