"""Every page each role opens passes the audit (labels, names, landmarks,
unique ids, contrast) and fits a 375 px phone without scrolling sideways.

New pages join by adding their address to PAGES."""

from __future__ import annotations

from tests.browser.portal import JOURNEY, Portal

pytestmark = JOURNEY

SMART_LOAN = "hzbank-sci-tech-smart-loan"

PAGES = {
    None: [
        "/",
        "/products/",
        f"/products/{SMART_LOAN}/",
        f"/products/compare/?p={SMART_LOAN}&p=icbc-guangdong-patent-loan",
        "/accounts/sign-in/",
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
    ],
    "bank@example.com": [
        "/products/manage/",
        "/products/manage/new/",
        f"/products/manage/{SMART_LOAN}/edit/",
        "/applications/queue/",
    ],
    "park@example.com": ["/"],
    "regulator@example.com": ["/dashboard/", "/dashboard/?province=330000"],
}


def test_every_page_is_accessible_and_fits_a_phone(portal: Portal):
    # One test for all roles: each journey test reloads the demo campaign.
    for who, paths in PAGES.items():
        portal.page.context.clear_cookies()
        portal.page.set_viewport_size({"width": 1280, "height": 800})
        if who:
            portal.sign_in(who)
        for path in paths:
            for width, height in ((1280, 800), (375, 740)):
                portal.page.set_viewport_size({"width": width, "height": height})
                portal.open(path)
                portal.audit()
                portal.fits_the_screen()
