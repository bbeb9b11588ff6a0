"""The park manager sets up an event: the kinds are small boxes beside their
names, the park is ticked already, a long list narrows as one types, and an
error at the top leads straight to its field far down the form."""

from __future__ import annotations

from playwright.sync_api import expect

from events.models import Event
from tests.browser.portal import JOURNEY, Portal

pytestmark = JOURNEY

# Where a label's words are drawn (not the box the label fills).
TEXT_BOX = """(label) => {
  const range = document.createRange();
  const words = [...label.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim());
  range.setStart(words[0], 0);
  range.setEnd(words[words.length - 1], words[words.length - 1].length);
  const r = range.getBoundingClientRect();
  return { left: r.left, top: r.top };
}"""


def new_event_form(portal: Portal) -> None:
    portal.sign_in("park@example.com")
    portal.nav("Events you organise", "我主办的活动")
    portal.page.locator("main").get_by_role(
        "link", name=portal.say("New event", "新建活动"), exact=True
    ).first.click()
    portal.page.wait_for_load_state()
    portal.heading("New event", "新建活动")


def test_the_new_event_form_ticks_filters_and_leads_to_each_error(portal: Portal):
    new_event_form(portal)
    page = portal.page

    # Each kind is a small box with its name right beside it.
    roadshow = page.get_by_label(portal.say("Enterprise roadshow", "企业路演"))
    box = roadshow.bounding_box()
    assert box is not None and box["width"] < 30 and box["height"] < 30, box
    name = page.locator("label", has=roadshow).evaluate(TEXT_BOX)
    gap = name["left"] - (box["x"] + box["width"])
    assert 0 <= gap < 20 and abs(name["top"] - box["y"]) < 20, (box, name)

    # The park manager's own park is ticked; nothing needs Ctrl-click.
    expect(page.locator("input[name=parks]:checked")).to_have_count(1)
    assert page.locator("select[multiple]").count() == 0

    # Typing narrows the provinces; what is ticked stays.
    provinces = page.locator("fieldset", has=page.locator("#id_participating_provinces"))
    filter_box = provinces.get_by_role("searchbox")
    filter_box.fill(portal.say("zhe", "浙"))
    shown = provinces.locator(".choice:visible")
    expect(shown).to_have_count(1)
    provinces.get_by_label(portal.say("Zhejiang", "浙江省")).check()
    filter_box.fill(portal.say("Hunan", "湖南"))
    expect(shown).to_have_count(2)  # Hunan, and Zhejiang ticked before
    provinces.get_by_label(portal.say("Hunan", "湖南省")).check()
    filter_box.press("Enter")  # narrows, does not send the form
    expect(page).to_have_url(portal.base_url + portal.path("/events/manage/new/"))
    portal.audit()
    portal.shot("park", "new-event", full_page=True)

    # Sent without a title or dates: the summary at the top links to each.
    page.get_by_role("button", name=portal.say("Save draft", "保存草稿")).click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    starts = summary.get_by_role("link", name=portal.say("Starts", "开始时间"))
    starts.click()
    expect(page.locator("#id_starts_at")).to_be_focused()
    expect(page.locator("#id_starts_at")).to_be_in_viewport()
    expect(page.locator("#id_starts_at_error")).to_be_in_viewport()
    # What was ticked came back ticked.
    expect(page.locator("input[name=participating_provinces]:checked")).to_have_count(2)
    portal.audit()
    portal.shot("park", "new-event-errors")
    assert not Event.objects.filter(title_zh="").exists()

    # The same form on a 375 px phone: nothing scrolls sideways.
    page.set_viewport_size({"width": 375, "height": 740})
    portal.open("/events/manage/new/")
    portal.fits_the_screen()
    expect(page.locator("input[name=parks]:checked")).to_have_count(1)
    portal.audit()
    portal.shot("park", "new-event-phone", full_page=True)


# Each figure wider than its card, as (figure, how much wider in px).
OVERFLOWING_FIGURES = """() => [...document.querySelectorAll("[data-figure]")].map((dd) => {
  const card = dd.parentElement.getBoundingClientRect();
  const text = document.createRange();
  text.selectNodeContents(dd);
  const drawn = text.getBoundingClientRect();
  return [dd.dataset.figure, Math.max(dd.scrollWidth - dd.clientWidth, drawn.right - card.right)];
}).filter(([, over]) => over > 0)"""


def test_the_home_pages_figures_fit_their_cards(portal: Portal):
    for width in (1280, 1024, 375):
        portal.page.set_viewport_size({"width": width, "height": 800})
        portal.open("/")
        assert portal.page.locator("[data-figure=contract_amount]").count() == 1
        assert portal.page.evaluate(OVERFLOWING_FIGURES) == [], width
        portal.fits_the_screen()
