"""An amount is shown back in words as it is typed, the same way the server
reads it (the shared cases of tests/core/amount_cases.json), and the search
runs for the amount the words said."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.portal import JOURNEY, Portal

pytestmark = JOURNEY

CASES = json.loads(
    (Path(__file__).parents[1] / "core" / "amount_cases.json").read_text(encoding="utf-8")
)


def test_the_amount_is_read_back_in_words_as_it_is_typed(portal: Portal):
    portal.open("/products/")
    amount = portal.page.locator("input[name=amount]")
    words = portal.page.locator("#id_amount_words")
    expect(portal.page.locator(".product-filters .amount-unit")).to_have_text(
        portal.say("yuan", "元")
    )

    for case in CASES["read"]:
        amount.fill(case["typed"])
        expect(words).to_have_text("= " + case["zh" if portal.chinese else "en"])
    for case in CASES["refused"]:
        amount.fill(case["typed"])
        expect(words).to_have_text(portal.say("Not an amount yet", "还不是有效金额"))
    amount.fill("")
    expect(words).to_have_text("")

    amount.fill("300万")
    expect(words).to_have_text(portal.say("= ¥3,000,000", "= 300万元"))
    portal.audit()
    portal.shot("visitor", "amount-typed")
    portal.page.get_by_role("button", name=portal.say("Show products", "查询")).click()
    portal.page.wait_for_load_state()
    expect(amount).to_have_value("300万")
    expect(words).to_have_text(portal.say("= ¥3,000,000", "= 300万元"))
