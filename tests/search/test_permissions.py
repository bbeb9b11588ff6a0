"""Permission table for search: everyone may search, and nobody finds what
they could not open. Each private object gets a word of its own; each role
searches for it, and only the roles that may open the object see it among
the results (page and API)."""

from __future__ import annotations

import pytest

from events.models import Event
from search.services import entry_refresh
from tests.factories import EventFactory
from tests.permissions import Route, World, case_id, cases, check, everyone

# The word searched for, and the word that marks each object in a result:
# a marker is never part of the query, so the query echoed on the page
# cannot pass for a result. Each stands apart (a space before it), so it is
# cut into words the same way in the name and in the query.
DRAFT_PRODUCT = ("澜沧戊己", "星河甲号")
OTHER_ENTERPRISE = ("岷峨庚辛", "远山乙号")
OWN_ENTERPRISE = ("沅湘壬癸", "近水丙号")
DRAFT_EVENT = ("汾渭子丑", "晨光丁号")

EVERY_ENTERPRISE_READER = {"provincial_regulator", "national_regulator"}


@pytest.fixture(autouse=True)
def private_words(world: World, db) -> None:
    """Names with a word of their own for the bank's draft product, both
    enterprises and a draft event in Zhejiang covering the demo park; their
    index rows written at once. Rolled back after each test."""
    product = world.draft_product
    product.name_zh = f"{DRAFT_PRODUCT[1]}专利贷 {DRAFT_PRODUCT[0]}"
    product.name_en = f"{DRAFT_PRODUCT[1]} Patent Loan"
    product.save()
    for enterprise, (word, marker) in (
        (world.other_enterprise, OTHER_ENTERPRISE),
        (world.enterprise, OWN_ENTERPRISE),
    ):
        enterprise.name_zh = f"{marker}科技有限公司 {word}"
        enterprise.name_en = f"{marker} Technology Co., Ltd."
        enterprise.save()
    event = EventFactory(
        campaign=None,
        slug="search-draft-event",
        status=Event.Status.DRAFT,
        title_zh=f"{DRAFT_EVENT[1]}入园活动 {DRAFT_EVENT[0]}",
        title_en=f"{DRAFT_EVENT[1]} park station",
    )
    event.parks.set([world.park])
    world.extra["search_event"] = event
    for obj in (product, world.other_enterprise, world.enterprise, event):
        entry_refresh(source=obj._meta.label_lower, object_id=obj.pk)


def seen_by(marker: str, *roles: str):
    return lambda w: {marker: frozenset(roles)}


def searches(word: str, marker: str, roles: set[str], label: str) -> list[Route]:
    return [
        Route(
            "search:page",
            "GET",
            lambda w: f"/search/?q={word}",
            everyone(200),
            shows=seen_by(marker, *roles),
            label=label,
        ),
        Route(
            "api-search",
            "GET",
            lambda w: f"/api/v1/search/?q={word}",
            everyone(200),
            shows=seen_by(marker, *roles),
            label=label,
        ),
    ]


ROUTES = [
    Route("search:page", "GET", lambda w: "/search/", everyone(200), label="empty"),
    Route(
        "search:page",
        "GET",
        lambda w: "/search/?q=知识产权 杭州",
        everyone(200),
        shows=lambda w: {"知识产权质押融资入园惠企活动（杭州高新区站）": frozenset()},
        label="public",
    ),
    Route(
        "search:page",
        "GET",
        lambda w: "/search/?q=专利贷&kind=product&page=2",
        everyone(200),
        label="one kind",
    ),
    Route("api-search", "GET", lambda w: "/api/v1/search/", everyone(400), label="no query"),
    Route(
        "api-search",
        "GET",
        lambda w: "/api/v1/search/?q=" + "专" * 101,
        everyone(400),
        label="query too long",
    ),
    *searches(*DRAFT_PRODUCT, {"institution"}, "draft product"),
    *searches(
        *OTHER_ENTERPRISE,
        {"other_enterprise", "other_institution", *EVERY_ENTERPRISE_READER},
        "other enterprise",
    ),
    *searches(
        *OWN_ENTERPRISE,
        {"enterprise", "institution", "park", *EVERY_ENTERPRISE_READER},
        "own enterprise",
    ),
    *searches(*DRAFT_EVENT, {"park", *EVERY_ENTERPRISE_READER}, "draft event"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), cases(ROUTES), ids=case_id)
def test_permission(world, route, role):
    check(world, route, role)
