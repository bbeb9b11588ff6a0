"""Accounts in the browser, in Chinese: a newcomer signs up and confirms
their email; a user who forgot their password resets it by the emailed link."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import SecurityEvent
from tests.browser.accounts import mailed_link, sign_up_and_confirm
from tests.browser.portal import JOURNEY, Portal

pytestmark = JOURNEY

NEW_PASSWORD = "桂花开了 2026 autumn"


def test_a_newcomer_signs_up_and_confirms_their_email(portal: Portal, live_server, mailoutbox):
    # Chinese, and once in English: other journeys sign up through this helper.
    user = sign_up_and_confirm(
        portal, live_server, "Chen.Jing@example.com", "一个足够长的密码 42", full_name="陈静"
    )
    assert user.email == "chen.jing@example.com"
    assert user.full_name == "陈静"
    assert user.language == portal.lang
    portal.expect_language()
    portal.audit()
    # The mail was in the page's language.
    assert portal.say("Email", "电子邮箱") in mailoutbox[0].subject


@pytest.mark.parametrize("lang", ["zh-hans"])
def test_a_user_resets_a_forgotten_password(portal: Portal, live_server, mailoutbox):
    page = portal.page
    portal.open("/accounts/sign-in/")
    page.get_by_role("link", name="忘记密码？").click()
    page.wait_for_load_state()
    portal.expect_language()
    portal.audit()
    page.get_by_label("电子邮箱").fill("enterprise@example.com")
    page.locator("main").get_by_role("button", name="发送链接").click()
    page.wait_for_load_state()
    portal.sees("", "我们已经给您发送了一封电子邮件")

    page.goto(mailed_link("enterprise@example.com", "/accounts/password/reset/key/"))
    portal.expect_language()
    page.locator('input[name="password1"]').fill(NEW_PASSWORD)
    page.locator('input[name="password2"]').fill(NEW_PASSWORD)
    page.locator("main").get_by_role("button", name="修改密码").click()
    page.wait_for_load_state()
    portal.sees("", "您的密码现已被修改")

    # The new password signs in; the reset is in the security log.
    portal.open("/accounts/sign-in/")
    page.get_by_label("电子邮箱").fill("enterprise@example.com")
    page.get_by_label("密码").fill(NEW_PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    portal.open("/accounts/security/")
    portal.sees("", "通过邮件重置密码")
    assert SecurityEvent.objects.filter(
        user__email="enterprise@example.com", kind="password_reset"
    ).exists()


ACCOUNT_PAGES = [
    "/accounts/profile/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/sessions/",
    "/accounts/tokens/",
    "/accounts/security/",
]


@pytest.mark.parametrize("lang", ["zh-hans"])
def test_the_account_pages_are_accessible_and_fit_a_phone(portal: Portal):
    for path in ("/accounts/signup/", "/accounts/password/reset/"):
        for width, height in ((1280, 800), (375, 740)):
            portal.page.set_viewport_size({"width": width, "height": height})
            portal.open(path)
            portal.audit()
            portal.fits_the_screen()
    portal.page.set_viewport_size({"width": 1280, "height": 800})
    portal.sign_in("enterprise@example.com")
    for path in ACCOUNT_PAGES:
        for width, height in ((1280, 800), (375, 740)):
            portal.page.set_viewport_size({"width": width, "height": height})
            portal.open(path)
            portal.audit()
            portal.fits_the_screen()
