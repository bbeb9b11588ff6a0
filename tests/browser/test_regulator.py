"""The regulator: reads the campaign dashboard, narrows it to a province,
drills down to the contracts behind the figures and exports a table."""

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
    crumbs = portal.page.get_by_role("navigation", name=portal.say("Drill-down", "逐级查看"))
    expect(crumbs).to_contain_text(portal.say("Zhejiang", "浙江"))
    narrowed = portal.page.locator('[data-figure="provinces_participating"]')
    expect(narrowed).to_have_text("1")
    expect(portal.page.locator('[data-figure="contracts_signed"]')).to_have_text("15")
    portal.audit()

    with portal.page.expect_download() as download:
        portal.page.locator("#table-event").get_by_role("link", name="CSV").click()
    exported = download.value.path().read_text(encoding="utf-8-sig")
    assert len(exported.strip().splitlines()) == 1 + 8  # a heading and Zhejiang's 8 stations

    portal.page.get_by_role(
        "link", name=portal.say("The contracts behind these figures", "查看这些数据背后的合同")
    ).click()
    portal.page.wait_for_load_state()
    portal.heading("Contracts behind the figures", "数据背后的合同")
    expect(portal.page.locator("tr[data-contract]")).to_have_count(15)
    # The province the list is narrowed to is in sight, and can be taken off.
    province = portal.page.locator('[data-filters-applied] [data-filter="province"]')
    expect(province).to_contain_text(portal.say("Zhejiang", "浙江"))
    portal.audit()
    portal.shot("regulator", "contracts")
    province.get_by_role("link").click()
    portal.page.wait_for_load_state()
    expect(province).to_have_count(0)
    assert portal.page.locator("tr[data-contract]").count() > 15
    portal.page.go_back()

    portal.nav("Notifications", "通知")
    portal.heading("Notifications", "通知")
    portal.audit()
