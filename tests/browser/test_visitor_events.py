"""The visitor: browses the campaign's events (the past ones, a station's
agenda and the products released there) and the knowledge base (a typical
case, and Guangdong's collection with its first-day downloads)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.portal import JOURNEY, Portal

pytestmark = JOURNEY

HANGZHOU_STATION = (
    "IP Pledge Financing Entering the Park: Hangzhou Hi-tech Zone Station",
    "知识产权质押融资入园惠企活动（杭州高新区站）",
)
GUANGDONG_COLLECTION = (
    "Guangdong Compilation of Typical Cases, Policies and Financial Products",
    "广东省知识产权质押融资及保险典型案例、政策及金融产品汇编",
)


def test_the_visitor_browses_the_past_events_and_a_stations_agenda(portal: Portal):
    portal.open("/")
    portal.nav("Events", "活动")
    portal.heading("Events", "活动")
    portal.audit()

    # The campaign's stations took place in 2020: the past ones list them.
    filters = portal.page.locator("form.filters")
    expect(filters).to_contain_text(portal.say("When", "时间"))
    filters.locator("select[name=when]").select_option("past")
    filters.get_by_role("button", name=portal.say("Show", "查询")).click()
    portal.page.wait_for_load_state()
    assert "when=past" in portal.page.url
    cards = portal.page.locator(".event-card")
    expect(cards.first).to_contain_text(portal.say("Past", "已举行"))
    station = portal.page.get_by_role("link", name=portal.say(*HANGZHOU_STATION), exact=True)
    expect(station).to_be_visible()
    portal.audit()
    portal.shot("visitor", "events")

    station.click()
    portal.page.wait_for_load_state()
    portal.heading(*HANGZHOU_STATION)
    agenda = portal.page.locator("ol.agenda > li")
    expect(agenda.first).to_contain_text("09:30")
    assert agenda.count() == 5
    released = portal.page.locator(
        "section",
        has=portal.page.get_by_role("heading", name=portal.say("Products released", "发布产品")),
    )
    expect(released).to_contain_text(portal.say("Smart Loan", "智慧贷"))
    # It took place in 2020: no more registrations.
    portal.sees("Registration for this event has closed.", "本活动报名已截止。")
    portal.audit()


def test_the_visitor_reads_a_typical_case_and_guangdongs_collection(portal: Portal):
    portal.open("/")
    portal.nav("Knowledge", "知识库")
    portal.heading("Knowledge base", "知识库")
    portal.audit()

    portal.page.locator("main").get_by_role(
        "link", name=portal.say("Typical cases", "典型案例"), exact=True
    ).click()
    portal.page.wait_for_load_state()
    portal.heading("Typical cases", "典型案例")
    rows = portal.page.locator("table.items tbody tr")
    assert rows.count() >= 3
    portal.audit()
    portal.shot("visitor", "cases")

    first = rows.first.get_by_role("link")
    title = first.inner_text()
    first.click()
    portal.page.wait_for_load_state()
    portal.heading(title, title)
    portal.audit()

    # Guangdong's collection: 677 downloads on the day it went online.
    portal.open("/knowledge/collections/")
    portal.page.get_by_role("link", name=portal.say(*GUANGDONG_COLLECTION)).click()
    portal.page.wait_for_load_state()
    portal.heading(*GUANGDONG_COLLECTION)
    first_day = portal.page.locator(
        "dl.figures > div", has_text=portal.say("On the first day", "首日下载")
    )
    expect(first_day.locator("dd")).to_have_text("677")
    portal.audit()
