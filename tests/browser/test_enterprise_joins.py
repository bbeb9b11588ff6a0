"""A new enterprise joins the portal: its founder signs up, confirms the
email (read from the test outbox) and registers it, the park's manager
verifies it against its business licence, the founder adds two patents and
applies for a loan; a colleague asks to join and is approved."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from accounts.models import User
from core.validators import make_credit_code, make_patent_number
from enterprises.models import Enterprise, EnterpriseMembership
from financing.models import Application
from parks.models import Park
from tests.browser.accounts import sign_up_and_confirm
from tests.browser.portal import DEMO_PASSWORD, JOURNEY, Portal

pytestmark = JOURNEY

CODE = make_credit_code("91330108MA2JRNY01")
SMART_LOAN = "hzbank-sci-tech-smart-loan"
PATENTS = (make_patent_number(2021, 1, 7_654_321), make_patent_number(2022, 1, 7_654_322))
LICENCE = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def newcomer(email: str, name: str, lang: str) -> User:
    return User.objects.create_user(
        email=email, password=DEMO_PASSWORD, full_name=name, language=lang
    )


def sign_out(portal: Portal) -> None:
    menu = portal.page.locator("details.menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    portal.page.get_by_role("button", name=portal.say("Sign out", "退出登录")).click()
    portal.page.wait_for_load_state()


def test_a_new_enterprise_joins_is_verified_applies_and_takes_a_colleague_in(
    portal: Portal, live_server: Any
):
    park = Park.objects.get(memberships__user__email="park@example.com")

    # ------------------------------------------------ the founder signs up, registers the company
    founder = sign_up_and_confirm(
        portal, live_server, "sun@qiming.example.com", DEMO_PASSWORD, full_name="孙启明"
    )
    # With no organisation yet, the new account lands on the enterprise's start page.
    portal.expect_language()
    portal.heading("Register your enterprise", "注册企业")
    page = portal.page
    page.locator("[name=credit_code]").fill(CODE)
    page.locator("[name=name_zh]").fill("杭州启明光电科技有限公司")
    page.locator("[name=name_en]").fill("Hangzhou Qiming Photonics Co., Ltd.")
    page.locator("[name=province]").select_option("330000")
    page.locator("[name=city_zh]").fill("杭州市")
    page.locator("[name=park]").select_option(str(park.pk))
    page.locator("[name=industry]").select_option("next-gen-it")
    page.locator("[name=contact_name]").fill("孙启明")
    page.locator("[name=contact_phone]").fill("0571-86001234")
    page.locator("[name=licence]").set_input_files(
        {"name": "营业执照.pdf", "mimeType": "application/pdf", "buffer": LICENCE}
    )
    portal.audit()
    portal.shot("enterprise", "start")
    page.get_by_role("button", name=portal.say("Register the enterprise", "注册企业")).click()
    page.wait_for_load_state()
    portal.heading("Hangzhou Qiming Photonics Co., Ltd.", "杭州启明光电科技有限公司")
    portal.sees("Awaiting verification", "待认证")
    enterprise = Enterprise.objects.get(credit_code=CODE)
    assert enterprise.verification_status == Enterprise.Verification.AWAITING
    sign_out(portal)

    # ------------------------------------------------ the park's manager verifies it
    portal.sign_in("park@example.com")
    portal.nav("Enterprises to verify", "待认证企业")
    portal.heading("Enterprises to verify", "待认证企业")
    portal.audit()
    page.get_by_role(
        "link", name=enterprise.name_zh if portal.chinese else enterprise.name_en
    ).click()
    page.wait_for_load_state()
    licence = page.get_by_role("link", name=portal.say("Open the business licence", "查看营业执照"))
    expect(licence).to_be_visible()
    # Served to the park's manager, signed in, from the portal itself.
    href = licence.get_attribute("href") or ""
    assert page.request.get(portal.base_url + href).body() == LICENCE
    portal.audit()
    portal.shot("park", "verification")
    page.get_by_role("button", name=portal.say("Verify", "认证通过")).click()
    page.wait_for_load_state()
    enterprise.refresh_from_db()
    assert enterprise.is_verified
    sign_out(portal)

    # ------------------------------------------------ two patents, then an application
    portal.sign_in(founder.email)
    for number, filed in zip(PATENTS, ("2021-03-01", "2022-04-01"), strict=True):
        portal.open("/enterprise/assets/new/")
        page.locator("[name=kind]").select_option("invention_patent")
        page.locator("[name=number]").fill(number)
        page.locator("[name=title]").fill("一种光电转换薄膜及其制备方法")
        page.locator("[name=filed_on]").fill(filed)
        page.locator("[name=appraised_value]").fill("5000000")
        page.locator("[name=appraiser]").fill("浙江中联资产评估有限公司")
        page.locator("[name=appraised_on]").fill("2024-06-01")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        portal.sees(number)

    portal.open(f"/products/{SMART_LOAN}/")
    page.get_by_role("link", name=portal.say("Apply for this product", "申请该产品")).click()
    page.wait_for_load_state()
    page.get_by_label(re.compile("^" + portal.say("Amount", "金额"))).fill("3000000")
    page.get_by_label(portal.say("Term (months)", "期限（月）")).fill("24")
    for number in PATENTS:
        page.get_by_label(number).check()
    page.get_by_label(portal.say("Purpose of the loan", "贷款用途")).fill("扩大光电薄膜产能")
    page.get_by_role("button", name=portal.say("Submit the application", "提交申请")).click()
    page.wait_for_load_state()
    application = Application.objects.get(enterprise=enterprise)
    assert application.status == Application.Status.SUBMITTED
    expect(page.locator("[data-status]")).to_have_text(portal.say("Submitted", "已提交"))
    sign_out(portal)

    # ------------------------------------------------ a colleague asks to join
    colleague = newcomer("li@qiming.example.com", "李晓", portal.lang)
    portal.sign_in(colleague.email)
    portal.nav("Register your enterprise", "注册企业")
    page.locator("[name=credit_code]").fill(CODE)
    page.get_by_role("button", name=portal.say("Register the enterprise", "注册企业")).click()
    page.wait_for_load_state()
    portal.sees("is already on the portal", "已在平台注册")
    page.get_by_label(portal.say("Message to the administrators", "给管理员的留言")).fill(
        "我是研发部的李晓"
    )
    portal.audit()
    page.get_by_role("button", name=portal.say("Ask to join", "申请加入")).click()
    page.wait_for_load_state()
    portal.sees("Your requests to join", "我的加入申请")
    sign_out(portal)

    # ------------------------------------------------ and the founder approves
    portal.sign_in(founder.email)
    portal.open("/enterprise/join-requests/")
    portal.heading("Requests to join", "加入申请")
    portal.sees("我是研发部的李晓")
    portal.audit()
    portal.shot("enterprise", "join-requests")
    page.get_by_role("button", name=portal.say("Approve", "批准")).click()
    page.wait_for_load_state()
    assert EnterpriseMembership.objects.filter(enterprise=enterprise, user=colleague).exists()
    portal.sees("No request is waiting for an answer.", "暂无待处理的申请。")
