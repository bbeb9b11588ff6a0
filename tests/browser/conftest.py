"""Journeys in a real browser: Playwright driving the system's headless Chromium.

Each journey runs once per language against pytest-django's live server. The
live server needs committed rows, so journeys are transactional tests: they
start from the demo campaign (reloaded after the previous flush by the root
conftest) and must not use the session-wide `world`.

Nothing is downloaded: the browser is Debian's `chromium` (CHROMIUM names
another binary). Without it, or without Playwright, the journeys are skipped.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.db import connections

from tests.browser.portal import LANGUAGES, Portal

if TYPE_CHECKING:  # the journeys are skipped where Playwright is missing
    from playwright.sync_api import Browser, ViewportSize
    from pytest_django.live_server_helper import LiveServer

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"]
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 375, "height": 740}
# Run in every document before its own scripts: each thing the
# Content-Security-Policy refuses is written to the console, where the
# journey's fixture collects it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} refused ${event.blockedURI || "inline"}`
    + ` in ${event.sourceFile || event.documentURI}:${event.lineNumber} ${event.sample}`);
});
"""


def policy_complaint(text: str) -> bool:
    """A console message about the page's security policies: a refusal by the
    CSP (ours, or Chromium's own wording), or a Permissions-Policy it cannot read."""
    return (
        text.startswith("CSP violation:")
        or "Content Security Policy" in text
        or "Permissions-Policy" in text
    )


# Without Playwright the journey modules cannot even be imported.
if importlib.util.find_spec("playwright") is None:
    collect_ignore_glob = ["test_*.py"]


def _missing() -> str | None:
    """Why the journeys cannot run here, if they cannot."""
    if not Path(CHROMIUM).exists():
        return (
            f"no Chromium at {CHROMIUM}: install Debian's chromium and fonts-noto-cjk "
            "(.ci/run does) to run the browser journeys"
        )
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (requirements-dev.txt)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the journeys before they set up a database, with the reason."""
    reason = _missing()
    if reason is None:
        return
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    from playwright import sync_api

    # Playwright's sync API keeps an event loop in this thread; the tests'
    # own ORM calls are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # The test's own queries ran in Playwright's context, on connections of
        # their own: close them, or the test database cannot be dropped.
        connections.close_all()


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


def _portal(
    browser: Browser, live_server: LiveServer, lang: str, viewport: ViewportSize
) -> Iterator[Portal]:
    context = browser.new_context(
        viewport=viewport,
        locale="zh-CN" if lang == "zh-hans" else "en-GB",
        timezone_id="Asia/Shanghai",
        reduced_motion="reduce",
    )
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    complaints: list[str] = []
    page.on(
        "console",
        lambda message: (
            complaints.append(f"{page.url}: {message.text}")
            if policy_complaint(message.text)
            else None
        ),
    )
    portal = Portal(page=page, base_url=live_server.url, lang=lang)
    yield portal
    context.close()
    assert errors == [], f"script errors on the pages: {errors}"
    assert complaints == [], f"the pages broke their security policies: {complaints}"


@pytest.fixture
def portal(browser: Browser, live_server: LiveServer, lang: str) -> Iterator[Portal]:
    """A desktop browser window reading the portal in `lang`."""
    yield from _portal(browser, live_server, lang, DESKTOP)


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer, lang: str) -> Iterator[Portal]:
    """A 375 px wide phone reading the portal in `lang`."""
    yield from _portal(browser, live_server, lang, PHONE)
