"""Reading the page a destructive move asks first (templates/confirm_move.html)
as its reader would: what it says will happen, the button and the way back,
and the form the button posts."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.test import Client


@dataclass
class Asked:
    """What the confirmation page shows and posts."""

    heading: str = ""
    consequences: list[str] = field(default_factory=list)
    action: str = ""  # where the button posts
    fields: list[tuple[str, str]] = field(default_factory=list)
    button: str = ""
    back: str = ""

    def confirm(self, client: Client, **extra: Any) -> Any:
        """Press the button: post the page's form as it stands."""
        data: dict[str, list[str]] = {}
        for name, value in self.fields:
            data.setdefault(name, []).append(value)
        return client.post(self.action, data, **extra)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.asked = Asked()
        self._in: str | None = None
        self._text: list[str] = []
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "h1" or (tag == "li" and self._in == "list") or tag == "button":
            self._in, self._text = (tag if tag != "li" else "li"), []
        elif tag == "ul" and "data-consequences" in a:
            self._in = "list"
        elif tag == "form" and self.asked.heading:
            self._in_form, self.asked.action = True, a.get("action", "")
        elif tag == "input" and self._in_form and a.get("type") == "hidden":
            if a.get("name") != "csrfmiddlewaretoken":
                self.asked.fields.append((a["name"], a.get("value", "")))
        elif tag == "a" and self._in_form and "secondary" in a.get("class", ""):
            self.asked.back = a.get("href", "")

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self._text).split())
        if tag == "h1" and self._in == "h1":
            self.asked.heading, self._in = text, None
        elif tag == "li" and self._in == "li":
            self.asked.consequences.append(text)
            self._in = "list"
        elif tag == "ul" and self._in == "list":
            self._in = None
        elif tag == "button" and self._in == "button":
            self.asked.button, self._in = text, None
        elif tag == "form":
            self._in_form = False


def asked(response: Any) -> Asked:
    """The confirmation page's content; fails unless the response is that page."""
    assert response.status_code == 200, response.status_code
    names = [t.name for t in getattr(response, "templates", [])]
    assert "confirm_move.html" in names, f"not asked to confirm: {names[:3]}"
    reader = _Reader()
    reader.feed(response.content.decode())
    return reader.asked
