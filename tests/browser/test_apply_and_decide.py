"""Applying and deciding without the phone: the enterprise goes from the
products ranked for its need to the application form with the need filled in
and the pledge capacity in sight; the bank reads the enterprise behind the
application on the application's own page."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import expect

from accounts.models import User
from financing.services import application_create
from products.models import Product
from tests.browser.portal import JOURNEY, Portal
from tests.browser.test_bank import submitted_application

pytestmark = JOURNEY

SMART_LOAN = "hzbank-sci-tech-smart-loan"
# Takes trademarks only: the demo enterprise's trademark secures 2,080,000 there.
TRADEMARK_LOAN = "zjtlcb-hangzhou-trademark-loan"
CREDIT_CODE = "913301003003U1GEMM"
PATENT = "201410593946.3"
OTHER_BANK_LOAN = "icbc-hz-hitech-ip-pledge-loan"


def test_the_enterprise_applies_from_the_ranking_with_its_need_filled_in(portal: Portal):
    portal.sign_in("enterprise@example.com")
    portal.open("/matching/")
    portal.heading("Products for you", "适合您的产品")
    portal.page.get_by_label(portal.say("Amount", "金额")).fill("300万")
    portal.page.get_by_label(portal.say("Term (months)", "期限（月）")).fill("12")
    portal.page.get_by_role("button", name=portal.say("Rank", "排名")).click()
    portal.page.wait_for_load_state()

    # A product that lends it all: the form opens with 300万 and 12 months, no warning.
    card = portal.page.locator(f'[data-product="{SMART_LOAN}"]')
    card.get_by_role("link", name=portal.say("Apply for this product", "申请该产品")).click()
    portal.page.wait_for_load_state()
    amount = portal.page.get_by_label(portal.say("Amount", "金额"))
    term = portal.page.get_by_label(portal.say("Term (months)", "期限（月）"))
    expect(amount).to_have_value(portal.say("3,000,000", "300万"))
    expect(term).to_have_value("12")
    expect(portal.page.locator("[data-pledge-capacity]")).to_be_visible()
    expect(portal.page.locator("[data-above-capacity]")).to_have_count(0)

    # A product whose pledge ratio leaves the capacity short of 300万: applying
    # is offered all the same, and the form says by how much and why.
    portal.page.go_back()
    portal.page.wait_for_load_state()
    card = portal.page.locator(f'[data-product="{TRADEMARK_LOAN}"]')
    expect(card).to_have_attribute("data-eligible", "no")
    card.get_by_role("link", name=portal.say("Apply all the same", "仍然申请")).click()
    portal.page.wait_for_load_state()
    expect(amount).to_have_value(portal.say("3,000,000", "300万"))
    expect(term).to_have_value("12")
    capacity = portal.page.locator("[data-pledge-capacity]")
    expect(capacity).to_contain_text(
        portal.say(
            "Your pledge capacity for this product: ¥2,080,000",
            "您在本产品下的可质押额度：208万元",
        )
    )
    expect(portal.page.locator("[data-above-capacity]")).to_contain_text(
        portal.say(
            "You ask for ¥3,000,000, more than the pledge capacity of ¥2,080,000.",
            "申请金额300万元超过可质押额度208万元。",
        )
    )
    portal.audit()
    portal.shot("enterprise", "apply-above-capacity", full_page=True)
    portal.page.set_viewport_size({"width": 375, "height": 740})
    portal.fits_the_screen()
    portal.shot("enterprise", "apply-above-capacity-phone", full_page=True)


def test_the_bank_reads_the_enterprise_behind_the_application(portal: Portal):
    application = submitted_application(applicant_language=portal.lang)
    # The enterprise also applied to another bank: that bank's business.
    elsewhere = application_create(
        enterprise=application.enterprise,
        product=Product.objects.get(code=OTHER_BANK_LOAN),
        actor=User.objects.get(email="enterprise@example.com"),
        amount_requested=Decimal("2000000"),
        term_months=12,
        asset_ids=application.enterprise.ip_assets.filter(number="201511245687.6").values_list(
            "pk", flat=True
        ),
        submit=True,
    )
    portal.sign_in("bank@example.com")
    portal.open(f"/applications/{application.pk}/")

    company = portal.page.locator("[data-company]")
    expect(company.get_by_role("heading", level=2)).to_have_text(
        portal.say("The enterprise", "企业概况")
    )
    expect(company).to_contain_text(portal.say("Unified social credit code", "统一社会信用代码"))
    expect(company.locator("[data-credit-code]")).to_have_text(CREDIT_CODE)
    expect(company).to_contain_text(portal.say("New materials", "新材料"))
    # The pledged patent: its latest appraisal, by whom, and when the right expires.
    row = company.locator(f'[data-asset="{PATENT}"]')
    expect(row).to_contain_text(portal.say("¥8,670,000", "867万元"))
    expect(row.locator("td").nth(2)).not_to_have_text("—")
    expect(row.locator("td").nth(3)).not_to_have_text("—")
    # Dealings with other banks are counted, never named.
    counts = company.locator("[data-elsewhere]")
    expect(counts).to_contain_text(portal.say("Only counts are shown", "仅显示数量"))
    expect(counts.locator('[data-outcome="in_progress"]')).to_have_text("1")
    assert elsewhere.institution.name_zh not in portal.page.content()
    assert elsewhere.institution.name_en not in portal.page.content()
    portal.audit()
    company.scroll_into_view_if_needed()
    portal.shot("bank", "application-company")
    portal.page.set_viewport_size({"width": 375, "height": 740})
    portal.fits_the_screen()
    company.scroll_into_view_if_needed()
    portal.shot("bank", "application-company-phone")
