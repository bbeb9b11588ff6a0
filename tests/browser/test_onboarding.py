"""Onboarding a bank, in Chinese: a provincial regulator adds the bank and
invites its first administrator, who opens the mailed link, sets a password
and a second factor, invites an officer; the officer accepts, sets up a
second factor too and publishes a product. The second factor is required, as
it is in production (IPFIN_REQUIRE_MFA)."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from playwright.sync_api import expect

from core.models import Membership
from products.models import Institution, Product
from tests.accounts.totp import current_code
from tests.browser.portal import JOURNEY, Portal

pytestmark = JOURNEY

PASSWORD = "Qiao-2020-zhiya"


def mailed_link(portal: Portal, to: str) -> str:
    """The invitation link of the last mail to `to`, on the live server."""
    sent = [message for message in mail.outbox if message.to == [to]]
    assert sent, f"no mail to {to}"
    found = re.search(r"https?://[^/\s]+(/\S*/organisations/join/\S+/)", str(sent[-1].body))
    assert found, sent[-1].body
    return portal.base_url + found.group(1)


def sign_out(portal: Portal) -> None:
    portal.page.get_by_role("button", name="退出登录").click()
    portal.page.wait_for_load_state()


def set_up_second_factor(portal: Portal) -> None:
    """Required of a bank's people: the portal sends them to set up an
    authenticator (after their password once more), read here as the app would."""
    page = portal.page
    expect(page).to_have_url(re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/"))
    if "/reauthenticate/" in page.url:
        page.locator("main [name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("main [name=code]").fill(current_code(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def join(portal: Portal, link: str, name: str) -> None:
    """Open the mailed link with no account, set a name, a password and a second factor."""
    portal.page.goto(link)
    portal.expect_language()
    portal.heading("", "加入")
    portal.page.get_by_label("姓名").fill(name)
    portal.page.locator("main [name=password]").fill(PASSWORD)
    portal.page.get_by_label("再次输入密码").fill(PASSWORD)
    portal.audit()
    portal.page.get_by_role("button", name="开通账号并加入").click()
    portal.page.wait_for_load_state()
    set_up_second_factor(portal)


@pytest.mark.parametrize("lang", ["zh-hans"])
def test_a_regulator_brings_in_a_bank_whose_officer_publishes_a_product(portal: Portal, settings):
    portal.sign_in("zhejiang.regulator@example.com")
    portal.nav("My organisations", "我的组织")
    portal.audit()
    portal.page.get_by_role("link", name="添加金融机构").click()
    portal.page.wait_for_load_state()
    portal.heading("", "添加金融机构")
    form = portal.page.locator("main form")
    form.get_by_label("名称（中文）").fill("绍兴知识产权银行")
    form.get_by_label("金融许可证号").fill("B0001H233060001")
    form.get_by_label("省份").select_option("330000")
    form.get_by_label("管理员邮箱").fill("admin@sxbank.example.com")
    portal.audit()
    form.get_by_role("button", name="添加并发送邀请").click()
    portal.page.wait_for_load_state()
    portal.sees("", "已添加绍兴知识产权银行")
    bank = Institution.objects.get(licence_number="B0001H233060001")
    expect(portal.page.locator("main")).to_contain_text("admin@sxbank.example.com")
    portal.shot("regulator", "institution-invited")
    sign_out(portal)

    # From here on, as in production, a bank's people need a second factor.
    settings.IPFIN_REQUIRE_MFA = True
    # The administrator opens the mail's link, sets a password and a second factor.
    join(portal, mailed_link(portal, "admin@sxbank.example.com"), "钱管理")
    portal.open(f"/organisations/institution/{bank.pk}/")
    portal.heading("", "绍兴知识产权银行的成员")
    assert bank.memberships.get(user__email="admin@sxbank.example.com").role == (
        Membership.Role.ADMIN
    )

    # ... and invites an officer.
    invite = portal.page.locator("main form.card")
    invite.get_by_label("电子邮箱").fill("officer@sxbank.example.com")
    invite.get_by_label("角色").select_option("member")
    invite.get_by_role("button", name="发送邀请").click()
    portal.page.wait_for_load_state()
    portal.sees("", "已向 officer@sxbank.example.com 发送邀请")
    portal.audit()
    portal.shot("bank-admin", "members")
    sign_out(portal)

    # The officer accepts and publishes a product.
    join(portal, mailed_link(portal, "officer@sxbank.example.com"), "孙专员")
    portal.open("/products/manage/new/")
    form = portal.page.locator("form.product-form")
    form.locator("[name=name_zh]").fill("绍兴专利快贷")
    form.locator("[name=kind]").select_option(index=1)
    form.locator("[name=amount_min]").fill("300000")
    form.locator("[name=amount_max]").fill("5000000")
    form.locator("[name=rate_min]").fill("3.8")
    form.locator("[name=rate_max]").fill("4.9")
    form.locator("[name=term_min_months]").fill("6")
    form.locator("[name=term_max_months]").fill("24")
    form.locator("[name=max_pledge_ratio]").fill("50")
    form.get_by_label("发明专利").check()
    form.get_by_role("button", name="保存草稿").click()
    portal.page.wait_for_load_state()
    row = portal.page.locator("tr", has_text="绍兴专利快贷")
    row.get_by_role("button", name="发布").click()
    portal.page.wait_for_load_state()
    expect(portal.page.locator("tr", has_text="绍兴专利快贷")).to_contain_text("已发布")
    product = Product.objects.get(name_zh="绍兴专利快贷")
    with_second_factor = Authenticator.objects.filter(type=Authenticator.Type.TOTP)
    assert set(with_second_factor.values_list("user__email", flat=True)) >= {
        "admin@sxbank.example.com",
        "officer@sxbank.example.com",
    }
    assert product.institution == bank
    assert product.status == Product.Status.PUBLISHED
