"""The regulator's import page: the templates' example row is explained, and
the institution and park codes a bureau's sheets name are looked up on the
page, narrowed by province, on a desk and on a phone."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.portal import JOURNEY, Portal

pytestmark = JOURNEY


def _looks_up_a_park(portal: Portal) -> None:
    portal.sign_in("regulator@example.com")
    portal.open("/reports/imports/")
    portal.sees("example row", "示例行")
    portal.shot("regulator", "import-page", full_page=True)
    codes = portal.page.locator("#codes")
    codes.get_by_label(portal.say("Codes of", "代码类别")).select_option("parks")
    codes.get_by_label(portal.say("Province", "省份")).select_option("330000")
    codes.get_by_role("button", name=portal.say("Show", "查询")).click()
    portal.page.wait_for_load_state()
    expect(
        portal.page.locator("table.codes td code", has_text="hangzhou-hitech-binjiang")
    ).to_be_visible()
    expect(portal.page.locator('[data-filters-applied] [data-filter="province"]')).to_contain_text(
        portal.say("Zhejiang", "浙江省")
    )
    portal.audit()


def test_the_regulator_looks_up_a_park_code(portal: Portal):
    _looks_up_a_park(portal)
    portal.page.locator("#codes").scroll_into_view_if_needed()
    portal.shot("regulator", "import-codes")

    # The same on a phone: nothing makes the page scroll sideways.
    portal.page.set_viewport_size({"width": 375, "height": 740})
    portal.open("/reports/imports/")  # the institutions, with their long names
    portal.fits_the_screen()
    portal.page.go_back()
    portal.fits_the_screen()
    portal.page.locator("#codes").scroll_into_view_if_needed()
    portal.shot("regulator", "import-codes-phone")
