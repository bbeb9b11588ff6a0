"""What every response must carry and what no page may contain.

The portal enforces a Content-Security-Policy that refuses script and style
written into a page (ipfin/settings.py): a page whose template still has an
inline <script>, a <style>, a style="…" attribute or an onclick=… handler
would be silently broken in the browser. `inline_code` finds them in a page's
HTML, `assert_page_policies` checks a response: the permission tables run it
on every route for every role (tests/permissions.py, `check`), and every page
any test renders through the test client is read by `inline_code` too
(tests/conftest.py).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.http import HttpResponseBase

CSP = "Content-Security-Policy"
PERMISSIONS_POLICY = "Permissions-Policy"
# Event handler attributes: onclick, onsubmit, onload…
_HANDLER = re.compile(r"on[a-z]+")


class _InlineCode(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append(f"an inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"a <style> element at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style":
                self.found.append(f'style="{value}" on <{tag}> at line {self.getpos()[0]}')
            elif _HANDLER.fullmatch(name):
                self.found.append(f"{name}= on <{tag}> at line {self.getpos()[0]}")
            elif name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"a javascript: URL on <{tag}> at line {self.getpos()[0]}")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    """Each script or style written into the page, which the CSP refuses."""
    parser = _InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def is_html_page(response: HttpResponseBase) -> bool:
    return response.get("Content-Type", "").startswith("text/html") and not getattr(
        response, "streaming", False
    )


def assert_page_policies(response: HttpResponseBase, *, where: str) -> None:
    """The response carries both policies; an HTML page writes no code into itself."""
    assert "script-src 'self'" in response.get(CSP, ""), f"{where}: no enforced CSP"
    assert "camera=" in response.get(PERMISSIONS_POLICY, ""), f"{where}: no Permissions-Policy"
    if is_html_page(response):
        found = inline_code(getattr(response, "content", b"").decode())
        assert found == [], f"{where} writes code into the page, which the CSP refuses: {found}"
