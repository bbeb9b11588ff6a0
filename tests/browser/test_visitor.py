"""The visitor: reads the campaign's figures, browses and compares products,
switches language (and the choice sticks), and finds the way on a phone.
Events and the knowledge base: test_visitor_events.py."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.portal import JOURNEY, Portal

pytestmark = JOURNEY

SMART_LOAN = "hzbank-sci-tech-smart-loan"


def test_the_visitor_reads_the_figures_browses_products_and_switches_language(portal: Portal):
    portal.open("/")
    portal.heading("Turn intellectual property into financing", "让知识产权变成融资")
    # The campaign's headline figures, formatted for the reader.
    contract_amount = portal.page.locator('[data-figure="contract_amount"]')
    expect(contract_amount).to_have_text(portal.say("¥710,000,000", "7.1亿元"))
    participants = portal.page.locator('[data-figure="participants_total"]')
    expect(participants).to_have_text(portal.say("470,000", "47万"))
    portal.audit()
    portal.shot("visitor", "home")

    portal.nav("Products", "产品")
    portal.heading("Financing products", "融资产品")
    cards = portal.page.locator(".product-card")
    assert cards.count() >= 2
    portal.audit()

    # Pick two products and compare them side by side.
    first_two = [cards.nth(0), cards.nth(1)]
    names = [card.locator("h2").inner_text() for card in first_two]
    for card in first_two:
        card.get_by_label(portal.say("Compare", "对比")).check()
    portal.page.get_by_role("button", name=portal.say("Compare selected", "对比所选产品")).click()
    portal.page.wait_for_load_state()
    portal.heading("Compare products", "产品对比")
    table = portal.page.locator("table.compare")
    for name in names:
        expect(table).to_contain_text(name)
    portal.audit()

    # A product's page names its bank in the reader's language.
    portal.open(f"/products/{SMART_LOAN}/")
    portal.heading("Smart Loan", "智慧贷")
    portal.sees("Bank of Hangzhou Sci-tech Sub-branch", "杭州银行股份有限公司科技支行")
    portal.sees("¥1,000,000", "100万元")
    portal.audit()
    portal.shot("visitor", "product")

    # The keyboard: the skip link comes first, the main action soon after,
    # and the focus can be seen.
    skip = portal.page.get_by_role("link", name=portal.say("Skip to content", "跳至正文"))
    assert portal.tab_to(skip) == 1
    expect(skip).to_be_visible()
    apply = portal.page.get_by_role("link", name=portal.say("Sign in to apply", "登录后申请"))
    assert portal.tab_to(apply) < 25
    assert apply.evaluate("(el) => getComputedStyle(el).outlineStyle") != "none"
    apply.press("Enter")
    portal.page.wait_for_load_state()
    portal.heading("Sign in", "登录")
    portal.audit()

    # An address that leads nowhere is a page of the site, in the language.
    portal.open("/no-such-page/", status=404)
    portal.heading("Page not found", "页面不存在")
    portal.page.get_by_role("link", name=portal.say("Back to the home page", "返回首页")).click()
    portal.heading("Turn intellectual property into financing", "让知识产权变成融资")

    # The language switch, and the choice sticks.
    other = "en" if portal.chinese else "zh-hans"
    start = portal.lang
    portal.open("/products/")

    portal.switch_language(other)
    portal.heading("Financing products", "融资产品")
    # An address without the language in it opens in the chosen language.
    portal.page.goto(portal.base_url + "/")
    portal.expect_language()
    portal.heading("Turn intellectual property into financing", "让知识产权变成融资")

    portal.switch_language(start)
    portal.page.goto(portal.base_url + "/products/")
    portal.expect_language()
    portal.heading("Financing products", "融资产品")


def test_on_a_phone_the_menu_folds_away_and_nothing_scrolls_sideways(phone: Portal):
    phone.open("/")
    nav_link = phone.page.get_by_role("link", name=phone.say("Products", "产品"), exact=True)
    expect(nav_link).to_be_hidden()
    phone.fits_the_screen()

    phone.page.locator("details.menu > summary").click()
    expect(nav_link).to_be_visible()
    phone.shot("visitor", "phone-menu")
    nav_link.click()
    phone.page.wait_for_load_state()
    phone.heading("Financing products", "融资产品")
    phone.fits_the_screen()
    phone.audit()
