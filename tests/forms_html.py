"""A form page read as its reader's browser sees it: its controls and links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


@dataclass
class _Reader(HTMLParser):
    elements: list[Element] = field(default_factory=list)
    _open: list[Element] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag not in {"input", "br", "img", "meta", "link", "hr"}:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data


def elements(html: str) -> list[Element]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.elements


def by_id(html: str) -> dict[str, Element]:
    return {e.attrs["id"]: e for e in elements(html) if "id" in e.attrs}


def checkboxes(html: str, name: str) -> dict[str, bool]:
    """The checkboxes named `name`: value → ticked."""
    return {
        e.attrs["value"]: "checked" in e.attrs
        for e in elements(html)
        if e.tag == "input" and e.attrs.get("type") == "checkbox" and e.attrs.get("name") == name
    }


def multiple_selects(html: str) -> list[str]:
    """The names of the lists that need Ctrl-click to choose several."""
    return [
        e.attrs.get("name", "")
        for e in elements(html)
        if e.tag == "select" and "multiple" in e.attrs
    ]


def error_summary_links(html: str) -> list[Element] | None:
    """The links of the form's error summary, in order (None: no summary)."""
    summary = re.search(r"<div[^>]*data-error-summary[^>]*>(.*?)</div>", html, re.S)
    if summary is None:
        return None
    return [e for e in elements(summary[1]) if e.tag == "a"]


def selected(html: str, name: str) -> list[str]:
    """The values chosen in the list named `name`."""
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, f"no list named {name}"
    return [
        e.attrs["value"] for e in elements(select[1]) if e.tag == "option" and "selected" in e.attrs
    ]


def label_for(html: str, control_id: str) -> str:
    return (
        next(
            e.text for e in elements(html) if e.tag == "label" and e.attrs.get("for") == control_id
        )
        .replace("*", "")
        .strip()
    )
