from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import QuerySet

from tests.permissions import World

ZHEJIANG, GUANGDONG = "330000", "440000"


def _build_items() -> dict[str, int]:
    """For each kind an item in Zhejiang (the provincial regulator's: "own")
    and one in Guangdong ("other"), from the demo campaign where it has one."""
    from accounts.models import RegulatorOffice
    from knowledge.models import (
        Collection,
        CooperationAgreement,
        MediaReport,
        Policy,
        TrainingSession,
        TypicalCase,
    )

    def first(queryset: QuerySet[Any]) -> int:
        return queryset.order_by("pk").values_list("pk", flat=True)[0]

    zhejiang_office = RegulatorOffice.objects.get(code="zhejiang-ip-office")
    blank = Collection.objects.create(
        title_zh="未下载的汇编",
        title_en="Not yet downloaded",
        province_id=ZHEJIANG,
        publisher=zhejiang_office,
        published_on=dt.date(2021, 3, 1),
    )
    training = TrainingSession.objects.create(
        title_zh="广东培训",
        title_en="Guangdong training",
        province_id=GUANGDONG,
        held_on=dt.date(2020, 12, 20),
        participants=80,
    )
    agreement = CooperationAgreement.objects.create(
        title_zh="浙江合作协议",
        title_en="Zhejiang agreement",
        kind="agreement",
        office=zhejiang_office,
        signed_on=dt.date(2020, 11, 30),
    )
    return {
        "policies.own": first(Policy.objects.filter(province=ZHEJIANG)),
        "policies.other": first(Policy.objects.filter(province=GUANGDONG)),
        "cases.own": first(TypicalCase.objects.filter(province=ZHEJIANG)),
        "cases.other": first(TypicalCase.objects.filter(province=GUANGDONG)),
        "collections.own": first(
            Collection.objects.filter(province=ZHEJIANG, downloads__isnull=False)
        ),
        "collections.other": first(Collection.objects.filter(province=GUANGDONG)),
        "collections.blank": blank.pk,
        "trainings.own": first(TrainingSession.objects.filter(province=ZHEJIANG)),
        "trainings.other": training.pk,
        "media.own": first(MediaReport.objects.filter(event__host_province=ZHEJIANG)),
        "media.other": first(MediaReport.objects.filter(event__host_province=GUANGDONG)),
        "agreements.own": agreement.pk,
        "agreements.other": first(CooperationAgreement.objects.filter(office__province="500000")),
    }


@pytest.fixture(scope="session")
def kb_world(world: World, django_db_blocker: Any) -> World:
    """The permission world with the knowledge items its rows name in `extra["kb"]`."""
    if "kb" not in world.extra:
        with django_db_blocker.unblock():
            world.extra["kb"] = _build_items()
    return world
