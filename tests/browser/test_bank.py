"""The bank: publishes a product, takes an application from its queue and
decides it; the enterprise is told in its own language."""

from __future__ import annotations

from decimal import Decimal

from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from financing.models import Application
from financing.services import application_create
from products.models import Product
from tests.browser.portal import JOURNEY, Portal

pytestmark = JOURNEY

SMART_LOAN = "hzbank-sci-tech-smart-loan"


def submitted_application(*, applicant_language: str) -> Application:
    """The demo enterprise applies to the demo bank's Smart Loan."""
    applicant = User.objects.get(email="enterprise@example.com")
    applicant.language = applicant_language
    applicant.save(update_fields=["language"])
    enterprise = applicant.enterprise_memberships.get().enterprise
    return application_create(
        enterprise=enterprise,
        product=Product.objects.get(code=SMART_LOAN),
        actor=applicant,
        amount_requested=Decimal("3000000"),
        term_months=24,
        asset_ids=enterprise.ip_assets.filter(number="201410593946.3").values_list("pk", flat=True),
        submit=True,
    )


def test_the_bank_publishes_a_product(portal: Portal):
    portal.sign_in("bank@example.com")
    portal.nav("Institution workspace", "金融机构工作台")
    portal.heading("Institution workspace", "金融机构工作台")
    portal.sees("Your institution's products", "本机构产品")
    portal.page.get_by_role("link", name=portal.say("New product", "新建产品")).click()
    portal.page.wait_for_load_state()
    portal.heading("New product", "新建产品")
    form = portal.page.locator("form.product-form")
    form.locator("[name=name_zh]").fill("石墨烯产线贷")
    form.locator("[name=name_en]").fill("Graphene Line Loan")
    form.locator("[name=kind]").select_option(index=1)
    form.locator("[name=amount_min]").fill("500000")
    form.locator("[name=amount_max]").fill("20000000")
    form.locator("[name=rate_min]").fill("3.9")
    form.locator("[name=rate_max]").fill("5.2")
    form.locator("[name=term_min_months]").fill("6")
    form.locator("[name=term_max_months]").fill("36")
    form.locator("[name=max_pledge_ratio]").fill("55")
    form.get_by_label(portal.say("Invention patent", "发明专利")).check()
    portal.audit()
    form.get_by_role("button", name=portal.say("Save draft", "保存草稿")).click()
    portal.page.wait_for_load_state()

    product = Product.objects.get(name_en="Graphene Line Loan")
    assert product.status == Product.Status.DRAFT
    portal.open("/products/manage/")
    row = portal.page.locator("tr", has_text=portal.say("Graphene Line Loan", "石墨烯产线贷"))
    expect(row).to_contain_text(portal.say("Draft", "草稿"))
    row.get_by_role("button", name=portal.say("Publish", "发布")).click()
    portal.page.wait_for_load_state()
    row = portal.page.locator("tr", has_text=portal.say("Graphene Line Loan", "石墨烯产线贷"))
    expect(row).to_contain_text(portal.say("Published", "已发布"))
    product.refresh_from_db()
    assert product.status == Product.Status.PUBLISHED
    portal.audit()
    portal.shot("bank", "products")

    # Published means in the public catalogue, amounts in the reader's format.
    portal.open(f"/products/{product.code}/")
    portal.heading("Graphene Line Loan", "石墨烯产线贷")
    portal.sees("¥20,000,000", "2000万元")


def test_the_bank_decides_an_application_from_its_queue(portal: Portal):
    other_language = "zh-hans" if portal.lang == "en" else "en"
    application = submitted_application(applicant_language=other_language)
    mail.outbox.clear()

    portal.sign_in("bank@example.com")
    portal.nav("Application queue", "申请受理")
    portal.heading("Incoming applications", "收到的融资申请")
    row = portal.page.locator(f'[data-application="{application.pk}"]')
    expect(row).to_contain_text(
        portal.say("Hangzhou Derun Graphene Technology Co., Ltd.", "杭州德润石墨烯科技有限公司")
    )
    expect(row).to_contain_text(portal.say("¥3,000,000", "300万元"))
    portal.audit()
    portal.shot("bank", "queue")

    row.get_by_role("link").first.click()
    portal.page.wait_for_load_state()
    portal.heading(f"Application #{application.pk}", f"#{application.pk}")
    portal.page.locator('form[data-action="take-for-review"]').get_by_role("button").click()
    portal.page.wait_for_load_state()
    expect(portal.page.locator("[data-status]")).to_have_text(portal.say("Under review", "审核中"))

    approve = portal.page.locator('form[data-action="approve"]')
    approve.get_by_label(portal.say("Approved amount", "批准金额")).fill("2500000")
    approve.get_by_label(portal.say("Annual interest rate (%)", "年利率（%）")).fill("4.35")
    approve.get_by_label(portal.say("Repayment method", "还款方式")).select_option(
        "interest_monthly"
    )
    portal.audit()
    portal.shot("bank", "decide", full_page=True)
    approve.get_by_role("button", name=portal.say("Approve", "批准")).click()
    portal.page.wait_for_load_state()
    expect(portal.page.locator("[data-status]")).to_have_text(portal.say("Approved", "已批准"))
    portal.sees("¥2,500,000", "250万元")

    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.amount_approved == Decimal("2500000")
    # The enterprise hears of it by email, in its own language.
    approved = [m for m in mail.outbox if m.to == ["enterprise@example.com"]]
    assert approved, [m.subject for m in mail.outbox]
    expected = "已获批准" if other_language == "zh-hans" else "approved"
    assert expected in approved[-1].subject

    # The queue and the application on a phone.
    portal.page.set_viewport_size({"width": 375, "height": 740})
    for path in ("/applications/queue/", f"/applications/{application.pk}/", "/products/manage/"):
        portal.open(path)
        portal.fits_the_screen()
