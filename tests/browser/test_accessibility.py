"""Every page each role opens passes the audit (labels, names, landmarks,
unique ids, contrast) and fits a 375 px phone without scrolling sideways.

New pages join by adding their address to PAGES (or a function giving it,
for an address that holds a row's id)."""

from __future__ import annotations

from collections.abc import Callable

from tests.browser.portal import JOURNEY, Portal

pytestmark = JOURNEY

SMART_LOAN = "hzbank-sci-tech-smart-loan"
# The campaign's Hangzhou station: it covers the park manager's park.
STATION = "park-campaign-2020-zj-hangzhou-hitech"
KNOWLEDGE = ("policies", "cases", "collections", "trainings", "media", "agreements")


def guangdong_collection() -> str:
    from knowledge.models import Collection

    return f"/knowledge/collections/{Collection.objects.get(province='440000').pk}/"


def latest_case() -> str:
    from knowledge.models import TypicalCase

    return f"/knowledge/cases/{TypicalCase.objects.order_by('-published_on', 'pk')[0].pk}/"


# Who signs in (None: a visitor), and the paths they read (a function: built from rows).
PAGES: dict[str | None, list[str | Callable[[], str]]] = {
    None: [
        "/",
        "/products/",
        f"/products/{SMART_LOAN}/",
        f"/products/compare/?p={SMART_LOAN}&p=icbc-guangdong-patent-loan",
        "/accounts/sign-in/",
        "/events/",
        "/events/?when=past",
        f"/events/{STATION}/",
        "/knowledge/",
        *(f"/knowledge/{kind}/" for kind in KNOWLEDGE),
        guangdong_collection,
        latest_case,
    ],
    "enterprise@example.com": [
        "/enterprise/",
        "/enterprise/assets/",
        "/enterprise/assets/new/",
        "/enterprise/assets/import/",
        "/enterprise/profile/edit/",
        "/applications/",
        f"/applications/new/?product={SMART_LOAN}",
        "/accounts/notifications/",
        "/events/registrations/",
        "/meetings/",
        "/matching/",
        "/matching/agenda/",
    ],
    "bank@example.com": [
        "/products/manage/",
        "/products/manage/new/",
        f"/products/manage/{SMART_LOAN}/edit/",
        "/applications/queue/",
        "/matching/leads/",
        "/meetings/",
    ],
    "park@example.com": [
        "/",
        "/events/manage/",
        "/events/manage/new/",
        f"/events/{STATION}/",
        f"/events/{STATION}/edit/",
        f"/events/{STATION}/registrations/",
        f"/events/{STATION}/check-in/",
        f"/events/{STATION}/meetings/",
        f"/events/{STATION}/schedule/",
        f"/dashboard/events/{STATION}/",
    ],
    "regulator@example.com": [
        "/dashboard/",
        "/dashboard/?province=330000",
        "/dashboard/contracts/",
        "/reports/",
        "/reports/imports/",
        "/reports/pdf/",
        "/knowledge/manage/",
        "/events/manage/",
    ],
}


def test_every_page_is_accessible_and_fits_a_phone(portal: Portal):
    # One test for all roles: each journey test reloads the demo campaign.
    for who, paths in PAGES.items():
        portal.page.context.clear_cookies()
        portal.page.set_viewport_size({"width": 1280, "height": 800})
        if who:
            portal.sign_in(who)
        for entry in paths:
            path = entry() if callable(entry) else entry
            for width, height in ((1280, 800), (375, 740)):
                portal.page.set_viewport_size({"width": width, "height": height})
                portal.open(path)
                portal.audit()
                portal.fits_the_screen()
