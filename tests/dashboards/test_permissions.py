"""Permission table for the dashboards: pages, exports and API. Only regulators
read them; the Zhejiang regulator ("own") reads Zhejiang and is refused any
other province ("other": Chongqing), the national regulator reads all."""

from __future__ import annotations

import pytest

from tests.permissions import Route, World, case_id, cases, check, everyone, signed_in
from tests.rows import first

CAMPAIGN = "park-campaign-2020"
OWN, OTHER = "330000", "500000"


def event_of(w: World, province: str) -> int:
    from events.models import Event

    key = f"dashboards-event-{province}"
    if key not in w.extra:
        w.extra[key] = first(
            Event.objects.filter(campaign__slug=CAMPAIGN, host_province_id=province)
        ).pk
    return w.extra[key]


def park_of(w: World, province: str) -> int:
    from parks.models import Park

    key = f"dashboards-park-{province}"
    if key not in w.extra:
        w.extra[key] = first(
            Park.objects.filter(events__campaign__slug=CAMPAIGN, province_id=province)
        ).pk
    return w.extra[key]


REGULATORS = signed_in(403, provincial_regulator=200, national_regulator=200)
NATIONAL = signed_in(403, national_regulator=200)
API_REGULATORS = everyone(403, visitor=401, provincial_regulator=200, national_regulator=200)
API_NATIONAL = everyone(403, visitor=401, national_regulator=200)


def page(path: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}campaign={CAMPAIGN}"


PAGES = [
    Route("dashboards:overview", "GET", lambda w: page("/dashboard/"), REGULATORS),
    Route(
        "dashboards:overview",
        "GET",
        lambda w: page(f"/dashboard/?province={OWN}"),
        REGULATORS,
        label="own province",
    ),
    Route(
        "dashboards:overview",
        "GET",
        lambda w: page(f"/dashboard/?province={OTHER}"),
        NATIONAL,
        label="other province",
    ),
    Route(
        "dashboards:overview",
        "GET",
        lambda w: page(f"/dashboard/?park={park_of(w, OWN)}"),
        REGULATORS,
        label="own park",
    ),
    Route(
        "dashboards:overview",
        "GET",
        lambda w: page(f"/dashboard/?event={event_of(w, OTHER)}"),
        NATIONAL,
        label="other province's event",
    ),
    Route(
        "dashboards:overview",
        "GET",
        lambda w: page("/dashboard/?month=2020-13"),
        signed_in(403, provincial_regulator=400, national_regulator=400),
        label="bad month",
    ),
    Route(
        "dashboards:contracts",
        "GET",
        lambda w: page(f"/dashboard/contracts/?event={event_of(w, OWN)}"),
        REGULATORS,
        label="own province's event",
    ),
    Route(
        "dashboards:contracts",
        "GET",
        lambda w: page(f"/dashboard/contracts/?province={OTHER}"),
        NATIONAL,
        label="other province",
    ),
    Route(
        "dashboards:export",
        "GET",
        lambda w: page("/dashboard/export/figures.csv"),
        REGULATORS,
    ),
    Route(
        "dashboards:export",
        "GET",
        lambda w: page(f"/dashboard/export/all.xlsx?province={OTHER}"),
        NATIONAL,
        label="other province",
    ),
    Route(
        "dashboards:export",
        "GET",
        lambda w: page(f"/dashboard/export/contracts.csv?province={OWN}"),
        REGULATORS,
        label="own contracts",
    ),
    Route(
        "dashboards:export",
        "GET",
        lambda w: page(f"/dashboard/export/contracts.xlsx?province={OTHER}"),
        NATIONAL,
        label="other province's contracts",
    ),
    Route(
        "dashboards:export",
        "GET",
        lambda w: page("/dashboard/export/province.csv"),
        # A provincial regulator's dashboard has no table by province.
        signed_in(403, provincial_regulator=404, national_regulator=200),
        label="table by province",
    ),
]

API = [
    Route("dashboard-summary", "GET", lambda w: page("/api/v1/dashboard/summary/"), API_REGULATORS),
    Route(
        "dashboard-summary",
        "GET",
        lambda w: page(f"/api/v1/dashboard/summary/?province={OTHER}"),
        API_NATIONAL,
        label="other province",
    ),
    Route(
        "dashboard-breakdown",
        "GET",
        lambda w: page("/api/v1/dashboard/by/institution/"),
        API_REGULATORS,
    ),
    Route(
        "dashboard-breakdown",
        "GET",
        lambda w: page(f"/api/v1/dashboard/by/event/?province={OTHER}"),
        API_NATIONAL,
        label="other province",
    ),
    Route(
        "dashboard-breakdown",
        "GET",
        lambda w: page("/api/v1/dashboard/by/month/?month=nope"),
        everyone(403, visitor=401, provincial_regulator=400, national_regulator=400),
        label="bad month",
    ),
]

ROUTES = PAGES + API


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), cases(ROUTES), ids=case_id)
def test_permission(world, route, role):
    check(world, route, role)
