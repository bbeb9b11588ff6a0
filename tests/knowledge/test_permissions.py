"""Permission table for the knowledge base, pages and API. Everyone reads;
regulators manage. "Own" items are in Zhejiang (the provincial regulator's
province), "other" ones in Guangdong or Chongqing: only the national
regulator manages those."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from knowledge.models import (
    Collection,
    CooperationAgreement,
    MediaReport,
    Policy,
    TrainingSession,
    TypicalCase,
)
from tests.knowledge.conftest import GUANGDONG, ZHEJIANG
from tests.permissions import Route, World, case_id, cases, check, everyone, signed_in

KINDS = ("policies", "cases", "collections", "trainings", "media", "agreements")
API_PATHS = {
    "policies": ("policies", "api-policies", "api-policy"),
    "cases": ("typical-cases", "api-typical-cases", "api-typical-case"),
    "collections": ("collections", "api-collections", "api-collection"),
    "trainings": ("training-sessions", "api-training-sessions", "api-training-session"),
    "media": ("media-reports", "api-media-reports", "api-media-report"),
    "agreements": (
        "cooperation-agreements",
        "api-cooperation-agreements",
        "api-cooperation-agreement",
    ),
}


def for_kind(k: str, path: Callable[[World, str], str]) -> Callable[[World], str]:
    """A row's path for kind `k`: each row made in a loop keeps its own kind."""
    return lambda w: path(w, k)


def pk(w: World, key: str) -> int:
    return w.extra["kb"][key]


CASE_TITLE = "Permission test case PERM-CASE-9J"
RENAMED = "Renamed PERM-RENAMED-2C"


def case_form(province: str) -> dict[str, Any]:
    return {
        "title_zh": "权限测试案例",
        "title_en": CASE_TITLE,
        "province": province,
        "published_on": "2021-01-05",
        "amount": "3000000",
        "ip_kinds": ["invention_patent"],
    }


def cases_titled(title: str = CASE_TITLE) -> QuerySet[TypicalCase]:
    return TypicalCase.objects.filter(title_en=title)


def item(k: str, key: str) -> Callable[[World], QuerySet[Any]]:
    """The world's item of kind `k` (a queryset of it: `gone=` counts it)."""
    return lambda w: MODELS[k].objects.filter(pk=pk(w, f"{k}.{key}"))


MODELS: dict[str, type[Any]] = {
    "policies": Policy,
    "cases": TypicalCase,
    "collections": Collection,
    "trainings": TrainingSession,
    "media": MediaReport,
    "agreements": CooperationAgreement,
}
MANAGED_OWN = "Zhejiang training PERM-KB-ZJ-4R"
MANAGED_OTHER = "Guangdong training PERM-KB-GD-7W"


def fresh_trainings(w: World) -> dict[str, Any]:
    """`per_row`: the newest training of Zhejiang and of Guangdong, first in
    the lists that hold them."""
    held_on = timezone.localdate()
    return {
        province: TrainingSession.objects.create(
            title_zh=title, title_en=title, province_id=province, held_on=held_on, participants=1
        )
        for province, title in ((ZHEJIANG, MANAGED_OWN), (GUANGDONG, MANAGED_OTHER))
    }


REGULATORS = signed_in(403, provincial_regulator=200, national_regulator=200)
# The provincial regulator never finds another province's item in its workspace.
OTHERS_PAGE = signed_in(403, provincial_regulator=404, national_regulator=200)
SAVED = signed_in(403, provincial_regulator=302, national_regulator=302)


def api_status(status: int, **overrides: int) -> dict[str, int]:
    return everyone(status, visitor=401, **overrides)


PAGES = [
    Route("knowledge:index", "GET", lambda w: "/knowledge/", everyone(200)),
    *[
        Route(
            "knowledge:list",
            "GET",
            for_kind(k, lambda w, k: f"/knowledge/{k}/"),
            everyone(200),
            label=k,
        )
        for k in KINDS
    ],
    Route(
        "knowledge:list",
        "GET",
        lambda w: f"/knowledge/trainings/?province={ZHEJIANG}&held_from=2020-11-01&q=园区",
        everyone(200),
        label="filtered",
    ),
    *[
        Route(
            "knowledge:detail",
            "GET",
            for_kind(k, lambda w, k: f"/knowledge/{k}/{pk(w, k + '.own')}/"),
            everyone(200),
            label=k,
        )
        for k in KINDS
    ],
    Route(
        "knowledge:detail",
        "GET",
        lambda w: "/knowledge/cases/999999/",
        everyone(404),
        label="missing",
    ),
    Route(
        "knowledge:download",
        "GET",
        lambda w: f"/knowledge/collections/{pk(w, 'collections.other')}/download/",
        everyone(200),
    ),
    Route(
        "knowledge:policy-file",
        "GET",
        lambda w: f"/knowledge/policies/{w.extra['policy_with_file']}/file/",
        everyone(200),
        label="with a file",
    ),
    Route(
        "knowledge:policy-file",
        "GET",
        lambda w: f"/knowledge/policies/{pk(w, 'policies.own')}/file/",
        everyone(404),
        label="without a file",
    ),
    Route("knowledge:manage", "GET", lambda w: "/knowledge/manage/", REGULATORS),
    *[
        Route(
            "knowledge:manage-list",
            "GET",
            for_kind(k, lambda w, k: f"/knowledge/manage/{k}/"),
            REGULATORS,
            label=k,
        )
        for k in KINDS
    ],
    Route(
        "knowledge:manage-list",
        "GET",
        lambda w: "/knowledge/manage/trainings/",
        REGULATORS,
        label="Zhejiang and Guangdong trainings",
        per_row=fresh_trainings,
        # A regulator's workspace lists what it manages: Guangdong's is not Zhejiang's.
        shows=lambda w: {
            MANAGED_OWN: frozenset({"provincial_regulator", "national_regulator"}),
            MANAGED_OTHER: frozenset({"national_regulator"}),
        },
    ),
    *[
        Route(
            "knowledge:create",
            "GET",
            for_kind(k, lambda w, k: f"/knowledge/manage/{k}/new/"),
            REGULATORS,
            label=k,
        )
        for k in KINDS
    ],
    Route(
        "knowledge:create",
        "POST",
        lambda w: "/knowledge/manage/cases/new/",
        SAVED,
        data=lambda w: case_form(ZHEJIANG),
        label="own province",
        done=lambda w: cases_titled(),
        says="saved.",
    ),
    Route(
        "knowledge:create",
        "POST",
        lambda w: "/knowledge/manage/cases/new/",
        # Guangdong is not among the provincial regulator's choices: the form again.
        signed_in(403, provincial_regulator=200, national_regulator=302),
        data=lambda w: case_form(GUANGDONG),
        label="other province",
        refused=frozenset({"provincial_regulator"}),
        done=lambda w: cases_titled().filter(province=GUANGDONG),
    ),
    *[
        Route(
            "knowledge:edit",
            "GET",
            for_kind(k, lambda w, k: f"/knowledge/manage/{k}/{pk(w, k + '.own')}/edit/"),
            REGULATORS,
            label=f"own {k}",
        )
        for k in KINDS
    ],
    *[
        Route(
            "knowledge:edit",
            "GET",
            for_kind(k, lambda w, k: f"/knowledge/manage/{k}/{pk(w, k + '.other')}/edit/"),
            OTHERS_PAGE,
            label=f"other {k}",
        )
        for k in KINDS
    ],
    Route(
        "knowledge:edit",
        "POST",
        lambda w: f"/knowledge/manage/cases/{pk(w, 'cases.own')}/edit/",
        SAVED,
        data=lambda w: case_form(ZHEJIANG),
        label="own case",
        done=lambda w: cases_titled().filter(pk=pk(w, "cases.own")),
    ),
    Route(
        "knowledge:edit",
        "POST",
        lambda w: f"/knowledge/manage/cases/{pk(w, 'cases.other')}/edit/",
        signed_in(403, provincial_regulator=404, national_regulator=302),
        data=lambda w: case_form(GUANGDONG),
        label="other case",
        done=lambda w: cases_titled().filter(pk=pk(w, "cases.other")),
    ),
    Route(
        "knowledge:delete",
        "GET",
        lambda w: f"/knowledge/manage/trainings/{pk(w, 'trainings.own')}/delete/",
        REGULATORS,
        label="own training",
    ),
    Route(
        "knowledge:delete",
        "POST",
        lambda w: f"/knowledge/manage/trainings/{pk(w, 'trainings.own')}/delete/",
        SAVED,
        label="own training",
        gone=item("trainings", "own"),
    ),
    Route(
        "knowledge:delete",
        "POST",
        lambda w: f"/knowledge/manage/trainings/{pk(w, 'trainings.other')}/delete/",
        signed_in(403, provincial_regulator=404, national_regulator=302),
        label="other training",
        gone=item("trainings", "other"),
    ),
    Route(
        "knowledge:list",
        "POST",
        lambda w: "/knowledge/policies/",
        everyone(405),
        data=lambda w: {"q": "policy"},
        label="a page that takes no form",
    ),
]


def api_item(k: str, key: str) -> Callable[[World], str]:
    return lambda w: f"/api/v1/{API_PATHS[k][0]}/{pk(w, f'{k}.{key}')}/"


API = [
    *[
        Route(
            API_PATHS[k][1],
            "GET",
            for_kind(k, lambda w, k: f"/api/v1/{API_PATHS[k][0]}/"),
            everyone(200),
        )
        for k in KINDS
    ],
    Route(
        "api-training-sessions",
        "GET",
        lambda w: f"/api/v1/training-sessions/?province={ZHEJIANG}&ordering=-participants",
        everyone(200),
        label="filtered",
    ),
    *[Route(API_PATHS[k][2], "GET", api_item(k, "own"), everyone(200)) for k in KINDS],
    Route(
        "api-typical-cases",
        "POST",
        lambda w: "/api/v1/typical-cases/",
        api_status(403, provincial_regulator=201, national_regulator=201),
        data=lambda w: case_form(ZHEJIANG),
        json=True,
        label="own province",
        done=lambda w: cases_titled(),
    ),
    Route(
        "api-typical-cases",
        "POST",
        lambda w: "/api/v1/typical-cases/",
        # The provincial regulator may not write Guangdong's: refused, nothing added.
        api_status(403, national_regulator=201),
        data=lambda w: case_form(GUANGDONG),
        json=True,
        label="other province",
        done=lambda w: cases_titled(),
    ),
    *[
        Route(
            API_PATHS[k][2],
            "PATCH",
            api_item(k, "own"),
            api_status(403, provincial_regulator=200, national_regulator=200),
            data=lambda w: {"title_en": "Renamed"},
            json=True,
            label="own",
        )
        for k in KINDS
        if k != "media"
    ],
    Route(
        "api-media-report",
        "PATCH",
        api_item("media", "own"),
        api_status(403, provincial_regulator=200, national_regulator=200),
        data=lambda w: {"outlet_en": "Renamed"},
        json=True,
        label="own",
    ),
    Route(
        "api-typical-case",
        "PATCH",
        api_item("cases", "other"),
        api_status(403, national_regulator=200),
        data=lambda w: {"title_en": RENAMED},
        json=True,
        label="other",
        done=lambda w: cases_titled(RENAMED).filter(pk=pk(w, "cases.other")),
    ),
    Route(
        "api-training-session",
        "DELETE",
        api_item("trainings", "own"),
        api_status(403, provincial_regulator=204, national_regulator=204),
        label="own",
        gone=item("trainings", "own"),
    ),
    Route(
        "api-training-session",
        "DELETE",
        api_item("trainings", "other"),
        api_status(403, national_regulator=204),
        label="other",
        gone=item("trainings", "other"),
    ),
    # Every list takes POST: outsiders are refused before their input is read;
    # a regulator's empty body is bad input (400). Nothing is written either way.
    *[
        Route(
            API_PATHS[k][1],
            "POST",
            for_kind(k, lambda w, k: f"/api/v1/{API_PATHS[k][0]}/"),
            api_status(403, provincial_regulator=400, national_regulator=400),
            data=lambda w: {},
            json=True,
            label="empty",
        )
        for k in KINDS
        if k != "cases"
    ],
    *[
        Route(
            API_PATHS[k][2],
            "DELETE",
            api_item(k, "own"),
            api_status(403, provincial_regulator=204, national_regulator=204),
            label="own",
            gone=item(k, "own"),
        )
        for k in ("policies", "cases", "media", "agreements")
    ],
    Route(
        "api-collection",
        "DELETE",
        api_item("collections", "own"),
        # Downloaded: deleting would lose its figures.
        api_status(403, provincial_regulator=409, national_regulator=409),
        label="downloaded",
        gone=item("collections", "own"),
    ),
    Route(
        "api-collection",
        "DELETE",
        api_item("collections", "blank"),
        api_status(403, provincial_regulator=204, national_regulator=204),
        label="never downloaded",
        gone=item("collections", "blank"),
    ),
]

ROUTES = PAGES + API


@pytest.fixture
def policy_with_file(kb_world, settings, tmp_path):
    from django.core.files.base import ContentFile

    from knowledge.models import Policy

    settings.MEDIA_ROOT = tmp_path
    policy = Policy.objects.get(pk=kb_world.extra["kb"]["policies.own"])
    policy.pk = None
    policy.title_zh = "附件政策"
    policy.file.save("policy.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    kb_world.extra["policy_with_file"] = policy.pk
    return policy


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), cases(ROUTES), ids=case_id)
def test_permission(kb_world, policy_with_file, route, role):
    check(kb_world, route, role)
