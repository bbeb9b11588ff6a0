"""The catalogue's filters line up: the amount filter, whose input shows its
unit, is as tall as its neighbours at 1280 px, and its label does not say the
unit again."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.portal import JOURNEY, Portal

pytestmark = JOURNEY

# Each filter's height and top, by the field it holds.
BOXES = """() => Object.fromEntries(Array.from(
  document.querySelectorAll('.product-filters .filter')).map((f) => {
    const box = f.getBoundingClientRect();
    return [f.querySelector('label').htmlFor, [Math.round(box.height), Math.round(box.top)]];
  }))"""


def test_the_amount_filter_is_as_tall_as_its_neighbours(portal: Portal):
    for query in ("", "?amount=300万"):
        portal.open(f"/products/{query}")
        boxes = portal.page.evaluate(BOXES)

        # Amount sits between province and rate, both with a help line: the
        # same height and top, to the pixel a select's border rounds to.
        for neighbour in ("id_province", "id_rate_max"):
            height, top = boxes[neighbour]
            assert abs(boxes["id_amount"][0] - height) <= 1, boxes
            assert abs(boxes["id_amount"][1] - top) <= 1, boxes
        expect(portal.page.locator("label[for=id_amount]")).to_have_text(
            portal.say("Amount", "金额")
        )
        expect(portal.page.locator(".product-filters .amount-unit")).to_have_text(
            portal.say("yuan", "元")
        )
    expect(portal.page.locator("#id_amount_words")).to_have_text(
        portal.say("= ¥3,000,000", "= 300万元")
    )
    portal.audit()
    portal.shot("visitor", "catalogue-filters")


def test_the_amount_filter_reads_on_a_phone(phone: Portal):
    phone.open("/products/?amount=300万")

    words = phone.page.locator("#id_amount_words").bounding_box()
    amount = phone.page.locator("#id_amount").bounding_box()
    assert words is not None and amount is not None
    # The words sit above the input, inside the screen.
    assert words["y"] + words["height"] <= amount["y"] + 1
    assert words["x"] + words["width"] <= 375
    phone.page.locator("#id_province").scroll_into_view_if_needed()
    phone.shot("visitor", "catalogue-filters-phone")
