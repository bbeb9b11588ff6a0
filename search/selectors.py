"""Reads of the search index: what a user's query finds among what the user
may open.

Who may see a row is decided by the rules of the lists and pages the result
leads to, reused here: published products and those of the institutions the
user acts for (`products.selectors.products_visible_to`), public events and
those the user organises (`events.access.events_organised_by`), every
institution and knowledge item, and an enterprise only for its members, the
regulators of its province, the managers of its park
(`enterprises.selectors.enterprise_under_verification`) and the institutions
it applied to (`financing.selectors.application_queue`).

A query is cut into words like the indexed text (search.segment) and every
word must appear. On PostgreSQL the words meet a stored `tsvector` under a
GIN index (`to_tsquery('simple', …)`, a single character or a Latin word
also as the start of a longer one); elsewhere each word is looked for in
the document text. Results whose title holds more of the words come first,
then (PostgreSQL) by `ts_rank`, title words weighing most.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber, StrIndex
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from accounts.models import User
from accounts.selectors import Jurisdiction, regulator_jurisdiction
from enterprises.models import EnterpriseMembership
from events.access import events_organised_by
from financing.selectors import application_queue
from parks.models import ParkMembership
from products.models import InstitutionMembership
from search import segment
from search.models import Kind, SearchEntry

# The longest query the box takes, in characters.
QUERY_MAX_LENGTH = 100
# Results of each kind on the first page, before "all N".
PER_KIND = 5
KIND_ORDER = [kind.value for kind in Kind]
SNIPPET_LENGTH = 120


def uses_full_text() -> bool:
    """Whether the database searches the stored tsvector (PostgreSQL)."""
    return connection.vendor == "postgresql"


@dataclass
class Reader:
    """Who searches: what decides which rows they may see and where each
    result leads them."""

    user: User | None
    institutions: list[int] = field(default_factory=list)
    enterprises: set[int] = field(default_factory=set)
    parks: set[int] = field(default_factory=set)
    jurisdiction: Jurisdiction | None = None

    @classmethod
    def of(cls, user: User | AnonymousUser) -> Reader:
        if not isinstance(user, User) or not user.is_authenticated:
            return cls(user=None)
        return cls(
            user=user,
            institutions=sorted(
                InstitutionMembership.objects.filter(user=user).values_list(
                    "institution_id", flat=True
                )
            ),
            enterprises=set(
                EnterpriseMembership.objects.filter(user=user).values_list(
                    "enterprise_id", flat=True
                )
            ),
            parks=set(ParkMembership.objects.filter(user=user).values_list("park_id", flat=True)),
            jurisdiction=regulator_jurisdiction(user=user),
        )

    def opens_enterprise_page(
        self, *, object_id: int, province_id: str, park_id: int | None
    ) -> bool:
        """Whether the enterprise's verification page opens for the reader
        (`enterprises.selectors.enterprise_under_verification`)."""
        if object_id in self.enterprises or (park_id is not None and park_id in self.parks):
            return True
        return self.jurisdiction is not None and self.jurisdiction.covers(province_id)

    def visible(self) -> Q:
        rule = Q(public=True)
        if self.user is None:
            return rule
        if self.institutions:
            rule |= Q(kind=Kind.PRODUCT, institution_id__in=self.institutions)
        if self.jurisdiction is not None or self.parks:
            organised = events_organised_by(user=self.user).values("pk")
            rule |= Q(kind=Kind.EVENT, public=False, object_id__in=organised)
        enterprise = Q(object_id__in=self.enterprises) if self.enterprises else Q(pk__in=[])
        if self.parks:
            enterprise |= Q(park_id__in=self.parks)
        if self.jurisdiction is not None and self.jurisdiction.national:
            return rule | Q(kind=Kind.ENTERPRISE)
        if self.jurisdiction is not None:
            enterprise |= Q(province_id__in=sorted(self.jurisdiction.provinces))
        if self.institutions:
            applied = application_queue(user=self.user).order_by().values("enterprise_id")
            enterprise |= Q(object_id__in=applied)
        return rule | (Q(kind=Kind.ENTERPRISE) & enterprise)


def _tsquery(terms: list[str]) -> str:
    # The words hold letters and digits only (search.segment), so quoting
    # them is enough. A single character (贷) or a Latin word being typed
    # also finds the longer words it starts (贷款); a Chinese word of two or
    # more characters is found as itself, which the GIN index answers fastest.
    return " & ".join(
        f"'{term}':*" if len(term) == 1 or term.isascii() else f"'{term}'" for term in terms
    )


def matching(*, terms: list[str], reader: Reader, kind: str | None = None) -> QuerySet[SearchEntry]:
    """The rows the reader may see that hold every word, with their `rank`."""
    rows = SearchEntry.objects.filter(reader.visible())
    if kind:
        rows = rows.filter(kind=kind)
    if not terms:
        return rows.none()
    # Each word the title holds counts one: a title that names what was
    # asked for comes first, on every database.
    title_hits: Any = Value(0)
    for term in terms:
        title_hits = title_hits + Case(
            When(title_terms__contains=term, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    if uses_full_text():
        query = _tsquery(terms)
        rows = rows.filter(
            RawSQL(
                "search_searchentry.search_vector @@ to_tsquery('simple', %s)",
                [query],
                output_field=BooleanField(),
            )
        ).annotate(
            # ts_rank is below 1: it orders the rows with as many title words.
            rank=ExpressionWrapper(
                title_hits
                + RawSQL(
                    "ts_rank(search_searchentry.search_vector, to_tsquery('simple', %s))",
                    [query],
                    output_field=FloatField(),
                ),
                output_field=FloatField(),
            )
        )
    else:
        # The words and the query are lower-cased alike, so a plain byte
        # search (instr) does, faster than LIKE.
        for n, term in enumerate(terms):
            rows = rows.alias(**{f"at_{n}": StrIndex("document", Value(term))}).filter(
                **{f"at_{n}__gt": 0}
            )
        rows = rows.annotate(rank=title_hits)
    return rows


ORDER: list[Any] = [F("rank").desc(), "title_zh", "pk"]
DISPLAY_COLUMNS = (
    "pk",
    "kind",
    "source",
    "object_id",
    "key",
    "title_zh",
    "title_en",
    "summary_zh",
    "summary_en",
    "province_id",
    "park_id",
)


# --- what a result shows


@dataclass(frozen=True)
class Result:
    kind: str
    title: SafeString
    plain_title: str
    summary: SafeString
    plain_summary: str
    url: str


def highlight(text: str, terms: list[str]) -> SafeString:
    """The text, escaped, with each word of the query marked (<mark>)."""
    if not text or not terms:
        return mark_safe(escape(text))
    # Words found side by side are marked as one: <mark>专利贷</mark>.
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    pattern = re.compile(f"(?:{alternatives})+", re.IGNORECASE)
    pieces: list[str] = []
    at = 0
    for found in pattern.finditer(text):
        pieces.append(escape(text[at : found.start()]))
        pieces.append(f"<mark>{escape(found.group())}</mark>")
        at = found.end()
    pieces.append(escape(text[at:]))
    return mark_safe("".join(pieces))


def snippet(text: str, terms: list[str], length: int = SNIPPET_LENGTH) -> str:
    """At most `length` characters of the text, around the first word found."""
    if len(text) <= length:
        return text
    lowered = text.lower()
    starts = [lowered.find(term) for term in terms if term in lowered]
    start = max(0, min(starts) - length // 4) if starts else 0
    start = min(start, len(text) - length)
    piece = text[start : start + length]
    return ("…" if start else "") + piece + ("…" if start + length < len(text) else "")


def _url(row: dict[str, Any], reader: Reader) -> str:
    kind, key, object_id = row["kind"], row["key"], row["object_id"]
    if kind == Kind.PRODUCT:
        return reverse("products:detail", args=[key])
    if kind == Kind.EVENT:
        return reverse("events:detail", args=[key])
    if kind == Kind.INSTITUTION:
        return reverse("products:catalogue") + "?" + urlencode({"institution": object_id})
    if kind == Kind.KNOWLEDGE:
        return reverse("knowledge:detail", args=[key, object_id])
    if reader.opens_enterprise_page(
        object_id=object_id, province_id=row["province_id"], park_id=row["park_id"]
    ):
        return reverse("enterprises:verification", args=[object_id])
    # An institution sees the enterprises that applied to it in its queue.
    return reverse("financing:queue") + "?" + urlencode({"q": row["title_zh"]})


def results(rows: list[dict[str, Any]], *, terms: list[str], reader: Reader) -> list[Result]:
    chinese = (get_language() or "zh-hans").startswith("zh")
    shown = []
    for row in rows:
        zh_first = (row["title_zh"], row["title_en"])
        title = (zh_first if chinese else zh_first[::-1])[0] or row["title_zh"]
        summaries = (row["summary_zh"], row["summary_en"])
        summary = (summaries if chinese else summaries[::-1])[0] or summaries[0] or summaries[1]
        shown.append(
            Result(
                kind=row["kind"],
                title=highlight(title, terms),
                plain_title=title,
                summary=highlight(snippet(summary, terms), terms),
                plain_summary=snippet(summary, terms),
                url=_url(row, reader),
            )
        )
    return shown


# --- the two reads the page and the API make


@dataclass
class Group:
    kind: Kind
    count: int
    results: list[Result]


def search_overview(*, query: str, user: User | AnonymousUser) -> tuple[list[str], list[Group]]:
    """The query's words and, per kind with results, how many and the best
    PER_KIND: two queries besides the reader's own (counts, then the rows
    ranked within each kind by a window)."""
    terms = segment.query_terms(query)
    reader = Reader.of(user)
    rows = matching(terms=terms, reader=reader)
    counts = dict(rows.order_by().values_list("kind").annotate(n=Count("pk")))
    if not counts:
        return terms, []
    best = list(
        rows.annotate(
            place=Window(RowNumber(), partition_by=[F("kind")], order_by=ORDER),
        )
        .filter(place__lte=PER_KIND)
        .order_by(*ORDER)
        .values(*DISPLAY_COLUMNS)
    )
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for row in best:
        by_kind.setdefault(row["kind"], []).append(row)
    return terms, [
        Group(
            kind=Kind(kind),
            count=counts[kind],
            results=results(by_kind.get(kind, []), terms=terms, reader=reader),
        )
        for kind in KIND_ORDER
        if counts.get(kind)
    ]


class RankedResults:
    """The rows of one search, best first, read a slice at a time (for a
    paginator): the count and each page are one query each."""

    def __init__(self, *, query: str, user: User | AnonymousUser, kind: str | None) -> None:
        self.terms = segment.query_terms(query)
        self.reader = Reader.of(user)
        self.rows = matching(terms=self.terms, reader=self.reader, kind=kind)

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Result]:
        rows = list(self.rows.order_by(*ORDER).values(*DISPLAY_COLUMNS)[index])
        return results(rows, terms=self.terms, reader=self.reader)
