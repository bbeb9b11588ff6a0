"""What every journey does with the browser: open a page in its language,
sign in, switch language, check the page is accessible, take a screenshot."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings

if TYPE_CHECKING:  # the journeys are skipped where Playwright is missing
    from playwright.sync_api import Locator, Page, Response

LANGUAGES = ("en", "zh-hans")
DEMO_PASSWORD = "ipfin-demo-2020"
# `make journeys` saves into docs/screenshots (the README's pictures); any
# other run into an ignored folder, so a test run leaves the work tree clean.
SCREENSHOTS = Path(
    os.environ.get("IPFIN_SCREENSHOTS") or Path(settings.BASE_DIR) / "test-screenshots"
)

# Every journey module: `pytestmark = JOURNEY`.
JOURNEY = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Run in the page: what an accessibility audit of the page finds wrong.
AUDIT = """
() => {
  const problems = [];
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)
    && getComputedStyle(el).visibility !== "hidden";
  if (!document.documentElement.lang) problems.push("the page has no lang");
  if (document.querySelectorAll("main").length !== 1) problems.push("not one main landmark");
  if (document.querySelectorAll("h1").length < 1) problems.push("no h1");
  if (!document.title.trim()) problems.push("no title");
  const controls = document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea");
  for (const el of controls) {
    if (!visible(el)) continue;
    const named = (el.labels && el.labels.length && [...el.labels].some(l => l.textContent.trim()))
      || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || el.title;
    if (!named) problems.push(`unlabelled ${el.tagName.toLowerCase()} name=${el.name}`);
  }
  for (const el of document.querySelectorAll("button, a[href]")) {
    if (visible(el) && !el.textContent.trim() && !el.getAttribute("aria-label"))
      problems.push(`${el.tagName.toLowerCase()} without a name: ${el.outerHTML.slice(0, 80)}`);
  }
  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) problems.push(`img without alt: ${img.src}`);
  }
  const ids = {};
  for (const el of document.querySelectorAll("[id]")) ids[el.id] = (ids[el.id] || 0) + 1;
  for (const [id, n] of Object.entries(ids)) if (n > 1) problems.push(`id "${id}" used ${n} times`);
  // Contrast of visible text against the first opaque background behind it.
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ground = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !el || seen.has(el) || !visible(el)) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    if (el.closest(".visually-hidden, .skip-link, option, [disabled]")) continue;
    const a = lum(rgb(style.color)), b = lum(ground(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const text = el.textContent.trim().slice(0, 30);
    if (ratio < 4.5) problems.push(`contrast ${ratio.toFixed(2)}:1 for "${text}"`);
  }
  return problems;
}
"""


@dataclass
class Portal:
    """One browser tab reading the portal in one language."""

    page: Page
    base_url: str
    lang: str

    @property
    def chinese(self) -> bool:
        return self.lang == "zh-hans"

    def say(self, english: str, chinese: str) -> str:
        """The text a reader of this journey's language expects."""
        return chinese if self.chinese else english

    def path(self, path: str) -> str:
        return f"/zh-hans{path}" if self.chinese else path

    def open(self, path: str, *, status: int = 200) -> Response:
        response = self.page.goto(self.base_url + self.path(path))
        assert response is not None, path
        assert response.status == status, (path, response.status)
        self.expect_language()
        return response

    def expect_language(self) -> None:
        assert self.page.locator("html").get_attribute("lang") == self.lang
        if self.chinese:
            assert "/zh-hans/" in self.page.url, self.page.url
        else:
            assert "/zh-hans/" not in self.page.url, self.page.url

    def heading(self, english: str, chinese: str) -> None:
        from playwright.sync_api import expect

        expect(self.page.get_by_role("heading", level=1)).to_contain_text(
            self.say(english, chinese)
        )

    def sees(self, english: str, chinese: str | None = None) -> None:
        """Text the reader can see on the page (chinese defaults to the English)."""
        from playwright.sync_api import expect

        text = self.say(english, chinese if chinese is not None else english)
        expect(self.page.get_by_text(text, exact=False).first).to_be_visible()

    def nav(self, english: str, chinese: str) -> None:
        """Follow a link of the header: the main navigation or the account's."""
        menu = self.page.locator("details.menu")
        if menu.get_attribute("open") is None:
            menu.locator("summary").click()
        self.page.get_by_role("banner").get_by_role(
            "link", name=self.say(english, chinese), exact=True
        ).click()
        self.page.wait_for_load_state()
        self.expect_language()

    def sign_in(self, email: str) -> None:
        """Sign in through the form as a demo user who reads the portal in this
        journey's language (their saved preference, applied at sign-in)."""
        from accounts.models import User

        User.objects.filter(email=email).update(language=self.lang)
        self.open("/accounts/sign-in/")
        self.page.get_by_label(self.say("Email address", "电子邮箱")).fill(email)
        self.page.get_by_label(self.say("Password", "密码")).fill(DEMO_PASSWORD)
        self.page.locator("main").get_by_role("button", name=self.say("Sign in", "登录")).click()
        self.page.wait_for_load_state()
        self.expect_language()
        from playwright.sync_api import expect

        sign_out = self.page.get_by_role("button", name=self.say("Sign out", "退出登录"))
        expect(sign_out).to_be_visible()

    def switch_language(self, to: str) -> None:
        """Use the language switch in the header; the page reloads in `to`."""
        with self.page.expect_navigation():
            self.page.get_by_label(self.say("Language", "语言")).select_option(to)
        self.lang = to
        self.expect_language()

    def audit(self) -> None:
        """Labels, names, landmarks, unique ids and text contrast of the open page."""
        problems = self.page.evaluate(AUDIT)
        assert problems == [], f"{self.page.url}: {problems}"

    def tab_to(self, locator: Locator, *, limit: int = 60) -> int:
        """Press Tab from the top of the page until `locator` has the focus;
        how many presses it took."""
        self.page.locator("body").focus()
        self.page.evaluate("() => document.activeElement && document.activeElement.blur()")
        target = locator.element_handle()
        for presses in range(1, limit + 1):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("(el) => document.activeElement === el", target):
                return presses
        raise AssertionError(f"Tab never reached {locator} in {limit} presses")

    def fits_the_screen(self) -> None:
        """Nothing makes the page scroll sideways."""
        overflow = self.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{self.page.url} is {overflow}px too wide"

    def shot(self, role: str, step: str, *, full_page: bool = False) -> Path:
        """Save <role>-<lang>-<step>.png in the screenshots folder."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{role}-{self.lang}-{step}.png"
        self.page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path
