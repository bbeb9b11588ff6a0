"""Account steps other journeys build on: a brand-new user signs up in the
browser and confirms their email by the link in the test outbox."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.core import mail

if TYPE_CHECKING:  # the journeys are skipped where Playwright is missing
    from playwright.sync_api import Page

    from accounts.models import User
    from tests.browser.portal import Portal


def mailed_link(to: str, path_part: str) -> str:
    """The address in the newest mail to `to` that contains `path_part`."""
    for message in reversed(mail.outbox):
        if to.lower() in [address.lower() for address in message.to]:
            found = re.search(rf"https?://\S*{re.escape(path_part)}\S*", str(message.body))
            if found:
                return found.group(0)
    raise AssertionError(f"no mail to {to} with a link to {path_part}")


def sign_up_and_confirm(
    page: Page | Portal,
    live_server: Any,
    email: str,
    password: str,
    *,
    full_name: str = "",
    lang: str | None = None,
) -> User:
    """Sign up through the form, open the confirmation link from the outbox and
    confirm: the browser ends signed in as the new user, who is returned.
    `page` is a Playwright page or a journey's Portal (whose language is used);
    for a bare page the language is `lang` (Chinese unless told otherwise)."""
    from playwright.sync_api import expect

    from accounts.models import User
    from tests.browser.portal import Portal

    if isinstance(page, Portal):
        lang = lang or page.lang
        page = page.page
    lang = lang or "zh-hans"
    chinese = lang == "zh-hans"
    prefix = "/zh-hans" if chinese else ""

    page.goto(f"{live_server.url}{prefix}/accounts/signup/")
    page.get_by_label("电子邮箱" if chinese else "Email address", exact=True).fill(email)
    if full_name:
        page.get_by_label("姓名" if chinese else "Full name", exact=True).fill(full_name)
    page.locator('input[name="password1"]').fill(password)
    page.locator('input[name="password2"]').fill(password)
    page.locator("main").get_by_role(
        "button", name="注册账户" if chinese else "Create an account"
    ).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "验证您的电子邮箱" if chinese else "Verify Your Email Address"
    )

    page.goto(mailed_link(email, "/accounts/confirm-email/"))
    page.locator("main").get_by_role("button", name="确认" if chinese else "Confirm").click()
    page.wait_for_load_state()
    expect(page.get_by_role("button", name="退出登录" if chinese else "Sign out")).to_be_visible()
    return User.objects.get(email=email.lower())
