"""Search: a visitor types Chinese without spaces into the header's box, on a
desktop and on a phone, and opens what it finds."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.portal import JOURNEY, Portal

pytestmark = JOURNEY


def _search_from_the_header(portal: Portal, query: str) -> None:
    box = portal.page.get_by_role("banner").get_by_role(
        "searchbox", name=portal.say("Search", "搜索")
    )
    expect(box).to_be_visible()
    box.fill(query)
    box.press("Enter")
    portal.page.wait_for_load_state()
    portal.expect_language()


def test_the_visitor_finds_a_hangzhou_patent_loan_from_the_header(portal: Portal):
    portal.open("/")
    _search_from_the_header(portal, "杭州专利贷")
    portal.heading("Results for “杭州专利贷”", "“杭州专利贷”的搜索结果")
    products = portal.page.locator("#kind-product")
    expect(products.get_by_role("heading", level=2)).to_contain_text(portal.say("Products", "产品"))
    # In Chinese the words found are marked; the bank's own 专利贷 is among
    # the first.
    if portal.chinese:
        expect(products.locator("mark", has_text="专利贷").first).to_be_visible()
    loan = products.get_by_role("link", name=portal.say("Patent Loan", "专利贷"), exact=True)
    expect(loan).to_be_visible()
    portal.audit()
    portal.shot("visitor", "search")

    loan.click()
    portal.page.wait_for_load_state()
    portal.heading("Patent Loan", "专利贷")


def test_on_a_phone_the_box_finds_the_hangzhou_stations(phone: Portal):
    phone.open("/")
    phone.fits_the_screen()
    _search_from_the_header(phone, "知识产权杭州")
    events = phone.page.locator("#kind-event")
    expect(events).to_contain_text(
        phone.say("Hangzhou Hi-tech Zone Station", "知识产权质押融资入园惠企活动（杭州高新区站）")
    )
    # Everything else of that kind is a page away.
    kinds = phone.page.get_by_role(
        "navigation", name=phone.say("Results by kind", "按类别查看结果")
    )
    expect(kinds.get_by_role("link").first).to_be_visible()
    phone.fits_the_screen()
    phone.audit()
    phone.shot("visitor", "search-phone")
