"""The regulator: reads the campaign dashboard and narrows it to a province.

TODO when those pages land: drill down from a figure to its rows, and export
the figures (with a progress bar while the export runs)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.portal import JOURNEY, Portal

pytestmark = JOURNEY


def test_the_regulator_reads_the_dashboard_and_narrows_it(portal: Portal):
    portal.sign_in("regulator@example.com")
    portal.nav("Dashboard", "数据看板")
    portal.heading("Campaign dashboard", "专项活动数据看板")
    amount = portal.page.locator('[data-figure="contract_amount"]')
    expect(amount).to_have_text(portal.say("¥710,000,000", "7.1亿元"))
    expect(portal.page.locator('[data-figure="participants_total"]')).to_have_text(
        portal.say("470,000", "47万")
    )
    expect(portal.page.locator('[data-figure="provinces_participating"]')).to_have_text("18")
    portal.audit()
    portal.shot("regulator", "dashboard")

    portal.page.get_by_label(portal.say("Host province", "举办省份")).select_option("330000")
    portal.page.get_by_role("button", name=portal.say("Show", "查询")).click()
    portal.page.wait_for_load_state()
    expect(portal.page.get_by_role("heading", level=2)).to_contain_text(
        portal.say("Zhejiang", "浙江")
    )
    narrowed = portal.page.locator('[data-figure="provinces_participating"]')
    expect(narrowed).to_have_text("1")
    portal.audit()

    portal.nav("Notifications", "通知")
    portal.heading("Notifications", "通知")
    portal.audit()
