"""Every page reads in Chinese under /zh-hans/: no English word is left on it.

The walk takes each page the permission tables open (tests/*/test_permissions*.py:
their addresses are built from the demo campaign and the shared world) and
reads it as each role that may open it, in Chinese. It keeps the text a
reader sees (text, and the title, placeholder, aria-label and alt attributes,
and the value of a button) and fails on any Latin word in it, except:

- what comes from the database (names, titles, codes, addresses people
  typed in), since data is shown as it was entered;
- the short allow-list below: codes and formats (IPC, PDF, CSV…), units,
  and names that are the same in every language;
- text inside <code>, <kbd> and <samp>: what a script or a terminal takes.

Addresses that answer no page (downloads, the API, redirects) are listed in
NOT_PAGES with the reason; a test fails when a GET address is neither walked
nor listed.
"""

from __future__ import annotations

import importlib
import re
from collections import defaultdict
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import URLResolver, get_resolver

# The objects the permission tables' addresses name, made the way their own
# modules make them (imported fixtures are this module's fixtures too).
from tests.enterprises.test_permissions_joining import _private_media  # noqa: F401
from tests.events.meetings.test_permissions import _meeting_objects  # noqa: F401
from tests.events.test_permissions import events_world  # noqa: F401
from tests.financing.test_permissions import hunan_world  # noqa: F401
from tests.knowledge.conftest import kb_world  # noqa: F401
from tests.knowledge.test_permissions import policy_with_file  # noqa: F401
from tests.matching.test_permissions import schedule_objects  # noqa: F401
from tests.permissions import ROLES, Route
from tests.reports.test_permissions import report_world  # noqa: F401

TESTS = Path(__file__).parent

# GET addresses that answer something other than a page, with the reason.
NOT_PAGES: dict[str, str] = {
    "healthz": "a probe's plain answer",
    "readyz": "a probe's plain answer",
    "metrics": "Prometheus's text for the scraper",
    "api-schema": "the API's OpenAPI document (the API speaks English to scripts)",
    "api-docs": "Swagger UI, the API's own documentation",
    "api-not-found": "the API's JSON 404",
    "events:calendar": "a calendar file download",
    "events:export": "a CSV/XLSX download of the registrations",
    "dashboards:export": "a CSV/XLSX download of a dashboard table",
    "knowledge:download": "a collection's file download",
    "knowledge:policy-file": "a policy's attached file",
    "reports:job-download": "the finished report or import log, a download",
    "reports:template": "an import template, a workbook download",
    "enterprises:licence": "the business licence file",
    "financing:document": "a document sent with an application, a download",
    "matching:schedule-status": "an htmx fragment polled for the schedule's progress",
    "reports:job-progress": "an htmx fragment polled for a job's progress",
}

# Latin words a Chinese page may show: codes and formats, units, and names
# that are the same in every language.
ALLOWED = {
    # codes and formats
    "API", "CSV", "XLSX", "PDF", "JPEG", "PNG", "IPC", "QR", "ID", "URL", "TOTP", "SVG",
    # "IP 地址", as Chinese says it; patent numbers' prefixes (CN…, ZL…)
    "IP", "CN", "ZL",
    # units
    "MB", "KB",
    # names the same in every language: the portal, Excel, the language switch's English
    "ipfin", "Excel", "English",
}  # fmt: skip
# A code, a file name or an address rather than a word: a run with a digit,
# an underscore or a dot before letters (zj-hangzhou-2020-11, filed_on,
# report.pdf, .xlsx).
CODE = re.compile(r"[A-Za-z0-9_.@/-]*(?:\d|_|\.[A-Za-z]{2,})[A-Za-z0-9_.@/-]*")
LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
UNREAD_ELEMENTS = {"script", "style", "code", "kbd", "samp", "template"}


def _tabled_routes() -> list[Route]:
    routes: list[Route] = []
    for path in sorted(TESTS.rglob("test_permissions*.py")):
        module_name = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        routes += importlib.import_module(module_name).ROUTES
    return routes


def _patterns(
    resolver: URLResolver, namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str]]:
    """(name, address pattern) of every named address but the admin's."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner, prefix + str(pattern.pattern))
        elif pattern.name:
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


# The API answers scripts in JSON, in English by default (README, API).
API = {
    name for name, address in _patterns(get_resolver()) if address.lstrip("^").startswith("api/")
}


def _is_api(route: Route) -> bool:
    return route.url_name in API


def _page_cases() -> Iterator[tuple[Route, str]]:
    seen: set[tuple[str, str]] = set()
    for route in _tabled_routes():
        if route.method != "GET" or route.url_name in NOT_PAGES or _is_api(route):
            continue
        for role in ROLES:
            key = (route.id, role)
            if route.expected[role] == 200 and key not in seen:
                seen.add(key)
                yield route, role


CASES = list(_page_cases())


class _ShownText(HTMLParser):
    """The text of a page a reader sees, one piece per node or attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._unread = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNREAD_ELEMENTS:
            self._unread += 1
        values = dict(attrs)
        for name in SHOWN_ATTRIBUTES:
            if values.get(name):
                self.pieces.append(str(values[name]))
        if tag == "input" and values.get("type") in ("submit", "button", "reset"):
            self.pieces.append(str(values.get("value") or ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in UNREAD_ELEMENTS:
            self._unread -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in UNREAD_ELEMENTS and self._unread:
            self._unread -= 1

    def handle_data(self, data: str) -> None:
        if not self._unread and data.strip():
            self.pieces.append(data.strip())


def shown_text(html: str) -> list[str]:
    parser = _ShownText()
    parser.feed(html)
    parser.close()
    return parser.pieces


def _data_values() -> dict[str, set[str]]:
    """Every text the database holds that has a Latin word in it, by word:
    free text fields of the portal's models (not choice codes, whose labels
    a page must translate, nor JSON, which the portal writes itself)."""
    by_word: dict[str, set[str]] = defaultdict(set)
    for model in apps.get_models():
        if model._meta.app_label not in settings.PORTAL_APPS:
            continue
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField) and not field.choices
        ]
        if not names:
            continue
        for row in model._default_manager.values_list(*names):
            for value in row:
                if not value:
                    continue
                text = str(value)
                for word in set(LATIN_WORD.findall(text)):
                    by_word[word].add(text)
    return by_word


def english_words(pieces: list[str], data: dict[str, set[str]]) -> list[str]:
    """Each Latin word left once the data and the allowed words are taken out,
    with the text it stands in."""
    found: list[str] = []
    for piece in pieces:
        words = [w for w in LATIN_WORD.findall(piece) if w not in ALLOWED]
        if not words:
            continue
        rest = piece
        for value in sorted({v for w in words for v in data.get(w, ())}, key=len, reverse=True):
            # A value split by markup (a search result's <mark>) comes in pieces.
            rest = " " if piece in value else rest.replace(value, " ")
        rest = CODE.sub(" ", rest)
        if any(w not in ALLOWED for w in LATIN_WORD.findall(rest)):
            found.append(piece[:120])
    return found


@pytest.fixture(scope="module")
def walk_world(events_world, hunan_world, kb_world, report_world):  # noqa: F811
    """The world with every object the tables' addresses name, committed
    before any test's transaction begins."""
    return events_world


def _case_id(case: tuple[Route, str] | Route | str) -> str:
    return case.id if isinstance(case, Route) else str(case)


@pytest.mark.django_db
@pytest.mark.usefixtures("policy_with_file")
@pytest.mark.parametrize(("route", "role"), CASES, ids=_case_id)
def test_the_page_reads_in_chinese(walk_world, route, role):
    world = walk_world
    world.row = route.per_row(world) if route.per_row else {}
    path = "/zh-hans" + route.path(world)
    response = world.client(role).get(path)
    assert response.status_code == 200, f"{path} as {role}: {response.status_code}"
    assert response["Content-Type"].startswith("text/html"), (
        f"{path} is no page: list {route.url_name} in NOT_PAGES with the reason"
    )
    html = response.content.decode()
    assert '<html lang="zh-hans"' in html, f"{path} is not in Chinese"
    english = english_words(shown_text(html), _data_values())
    assert english == [], f"{path} as {role} shows English: {english}"


def test_every_get_address_is_walked_or_named_as_no_page():
    routes = _tabled_routes()
    names = {name for name, _address in _patterns(get_resolver())}
    answering_get = {r.url_name for r in routes if r.method == "GET"} & names
    walked = {route.url_name for route, _role in CASES}
    never_a_page = {
        r.url_name for r in routes if r.method == "GET" and 200 not in r.expected.values()
    } - walked
    missing = answering_get - walked - set(NOT_PAGES) - API - never_a_page
    assert missing == set(), f"walk these pages in Chinese or list them in NOT_PAGES: {missing}"
    assert set(NOT_PAGES) <= answering_get, "NOT_PAGES names an address that does not exist"


# Words the walk cannot tell are wrong: Chinese, but not what the page means.


def _page(world, role: str, path: str) -> str:
    response = world.client(role).get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return response.content.decode()


def _headers(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", html)]


@pytest.mark.django_db
def test_an_import_result_names_its_sheets_and_counts_in_chinese(world):
    from reports.models import Job

    job = Job.objects.create(
        owner=world.users["national_regulator"],
        kind=Job.Kind.IMPORT,
        status=Job.Status.DONE,
        progress=100,
        message="导入完成",
        summary={
            "events": {"created": 1, "updated": 0, "unchanged": 2},
            "contracts": {"created": 3, "updated": 1, "unchanged": 0},
        },
    )
    html = _page(world, "national_regulator", f"/zh-hans/reports/jobs/{job.pk}/")

    assert _headers(html) == ["工作表", "新增", "更新", "未变"]
    cells = re.findall(r'<tr data-sheet="(\w+)"><td>([^<]*)</td>', html)
    assert cells == [("events", "活动"), ("contracts", "签约")]
    assert english_words(shown_text(html), _data_values()) == []


@pytest.mark.django_db
def test_the_organisers_event_list_has_an_actions_column(world):
    html = _page(world, "park", "/zh-hans/events/manage/")
    assert _headers(html)[-1] == "操作"


@pytest.mark.django_db
def test_the_dashboard_counts_institutions_and_shows_values(world):
    html = _page(world, "national_regulator", "/zh-hans/dashboard/")
    headers = _headers(html)
    assert any("金融机构" in header for header in headers), headers
    assert "机构数" not in headers, headers
    assert "数值" in headers
    assert "价值" not in headers
