"""Shared pieces of the reports tests: spreadsheets built in memory."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from enterprises.models import Enterprise
from events.models import SEATED_STATUSES, Campaign, Event, Registration
from parks.models import Park
from products.models import Institution, Product
from tests.sheets import workbook

EVENT_HEADER = [
    "slug",
    "campaign",
    "title_zh",
    "title_en",
    "kinds",
    "host_province",
    "starts_at",
    "ends_at",
    "participants_online",
    "participants_offline",
    "parks",
]
REGISTRATION_HEADER = ["event", "credit_code", "institution", "status", "need_amount"]
CONTRACT_HEADER = [
    "reference",
    "event",
    "kind",
    "amount",
    "signed_on",
    "credit_code",
    "institution",
]


@pytest.fixture
def national(db) -> User:
    return User.objects.get(email="regulator@example.com")


@pytest.fixture
def zhejiang(db) -> User:
    return User.objects.get(email="zhejiang.regulator@example.com")


@pytest.fixture
def parties(db) -> dict[str, Any]:
    """A Zhejiang enterprise and institution, a product of that institution,
    and a campaign, all from the demo data."""
    enterprise = Enterprise.objects.filter(province_id="330000").order_by("pk").first()
    enterprise2 = Enterprise.objects.filter(province_id="330000").order_by("pk")[1]
    institution = Institution.objects.filter(products__isnull=False).order_by("pk").first()
    return {
        "enterprise": enterprise,
        "enterprise2": enterprise2,
        "institution": institution,
        "product": Product.objects.filter(institution=institution).first(),
        "campaign": Campaign.objects.get(slug="park-campaign-2020"),
        "park": Park.objects.filter(province_id="330000").order_by("pk").first(),
    }


def bureau_workbook(
    parties: dict[str, Any], *, province: str = "浙江省", **overrides: Any
) -> bytes:
    """A Zhejiang bureau's report: one new event at a Zhejiang park, two
    enterprises and the bank registered there, and two contracts signed
    there."""
    e1, e2 = parties["enterprise"].credit_code, parties["enterprise2"].credit_code
    bank = parties["institution"].code
    events = overrides.get(
        "events",
        [
            EVENT_HEADER,
            [
                "zj-import-station",
                parties["campaign"].slug,
                "知识产权质押融资入园惠企（导入测试站）",
                "Import test station",
                "产品发布、现场签约",
                province,
                "2020-12-08 09:00",
                "2020-12-08 17:00",
                1200,
                150,
                parties["park"].name_zh,
            ],
        ],
    )
    registrations = overrides.get(
        "registrations",
        [
            REGISTRATION_HEADER,
            ["zj-import-station", e1, None, "已签到", "500万"],
            ["zj-import-station", e2, None, "confirmed", 3000000],
            ["zj-import-station", None, bank, "confirmed", None],
        ],
    )
    contracts = overrides.get(
        "contracts",
        [
            CONTRACT_HEADER,
            ["ZJ-IMP-0001", "zj-import-station", "贷款合同", "2000万", "2020-12-08", e1, bank],
            ["ZJ-IMP-0002", "zj-import-station", "intention", 5000000, "2020-12-08", e2, bank],
        ],
    )
    return workbook(events=events, registrations=registrations, contracts=contracts)


@pytest.fixture(scope="session", autouse=True)
def _media_in_a_temporary_folder(tmp_path_factory):
    """Uploaded spreadsheets and generated reports go to a folder of the test run."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


def signed_at(event: Event) -> tuple[str, str, str]:
    """An enterprise and an institution registered for a past event (their
    credit code and code) and the event's first day: what a contract signed
    there names."""
    enterprise = (
        Registration.objects.filter(event=event, status__in=SEATED_STATUSES)
        .exclude(enterprise=None)
        .select_related("enterprise")
        .order_by("pk")
        .first()
    )
    institution = (
        Registration.objects.filter(event=event, status__in=SEATED_STATUSES)
        .exclude(institution=None)
        .select_related("institution")
        .order_by("pk")
        .first()
    )
    assert enterprise is not None and institution is not None, event
    assert enterprise.enterprise is not None and institution.institution is not None
    day = timezone.localdate(event.starts_at).isoformat()
    return enterprise.enterprise.credit_code, institution.institution.code, day


def zhejiang_event_held() -> Event:
    """A published Zhejiang event of the demo campaign that took place, with
    enterprises and institutions registered."""
    event = (
        Event.objects.filter(
            host_province_id="330000",
            status=Event.Status.PUBLISHED,
            ends_at__lt=timezone.now(),
            registrations__institution__isnull=False,
        )
        .filter(registrations__enterprise__isnull=False)
        .distinct()
        .order_by("pk")
        .first()
    )
    assert event is not None
    return event
