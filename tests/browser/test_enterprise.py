"""The enterprise: signs in, looks at its workspace, applies for a product
pledging its patents, and follows the application."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from financing.models import Application
from tests.browser.portal import JOURNEY, Portal

pytestmark = JOURNEY

SMART_LOAN = "hzbank-sci-tech-smart-loan"
PATENTS = ("201410593946.3", "201511245687.6")


def test_the_enterprise_applies_and_follows_its_application(portal: Portal):
    portal.sign_in("enterprise@example.com")

    portal.nav("Enterprise workspace", "企业工作台")
    # The enterprise's name in the reader's language.
    portal.heading("Hangzhou Derun Graphene Technology Co., Ltd.", "杭州德润石墨烯科技有限公司")
    portal.audit()
    portal.shot("enterprise", "workspace")

    portal.nav("My applications", "我的申请")
    portal.heading("My applications", "我的申请")
    portal.sees(
        "No applications here yet. Find a product that fits your IP and apply from its page.",
        "暂无申请",
    )

    portal.open(f"/products/{SMART_LOAN}/")
    portal.page.get_by_role("link", name=portal.say("Apply for this product", "申请该产品")).click()
    portal.page.wait_for_load_state()
    portal.heading("Apply for Smart Loan", "智慧贷")
    portal.page.get_by_label(re.compile("^" + portal.say("Amount", "金额"))).fill("3000000")
    portal.page.get_by_label(portal.say("Term (months)", "期限（月）")).fill("24")
    capacity = portal.page.locator("#capacity")
    for number in PATENTS:
        portal.page.get_by_label(number).check()
    # The pledge capacity of the ticked patents, worked out in the page.
    # 60% of the appraised 8,670,000 and 7,710,000, written as amounts are.
    expect(capacity).to_have_text(portal.say("¥9,828,000", "982.8万元"))
    portal.page.get_by_label(portal.say("Purpose of the loan", "贷款用途")).fill(
        portal.say("Working capital for a new coating line", "新涂布生产线的流动资金")
    )
    portal.audit()
    submit_label = portal.say("Submit the application", "提交申请")
    submit = portal.page.get_by_role("button", name=submit_label)
    assert portal.tab_to(submit) < 60  # every field and the button are reached by Tab
    submit.press("Enter")
    portal.page.wait_for_load_state()

    # The application's page: what was asked, its status and its timeline.
    application = Application.objects.get(enterprise__name_en__startswith="Hangzhou Derun")
    assert application.status == Application.Status.SUBMITTED
    assert sorted(application.pledges.values_list("asset__number", flat=True)) == sorted(PATENTS)
    portal.heading(f"Application #{application.pk}", f"#{application.pk}")
    expect(portal.page.locator("[data-status]")).to_have_text(portal.say("Submitted", "已提交"))
    portal.sees("¥3,000,000", "300万元")
    portal.sees("Timeline", "办理进度")
    portal.audit()
    portal.shot("enterprise", "application")

    portal.nav("My applications", "我的申请")
    row = portal.page.locator(f'[data-application="{application.pk}"]')
    expect(row).to_contain_text(portal.say("Smart Loan", "智慧贷"))
    expect(row).to_contain_text(portal.say("Submitted", "已提交"))

    # The same pages on a phone: nothing makes the page scroll sideways.
    portal.page.set_viewport_size({"width": 375, "height": 740})
    for path in ("/applications/", f"/applications/{application.pk}/", "/enterprise/"):
        portal.open(path)
        portal.fits_the_screen()
