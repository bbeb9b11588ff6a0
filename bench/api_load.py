"""What the API benchmark asks and writes when its requests are to miss the
caches: catalogue searches and pages of a bank's queue varied from request to
request, and a writer that keeps moving the data the cached lists show.

- `catalogue_queries` and `queue_queries` list every filter combination the
  benchmark varies, each with the pages it has (at most MAX_PAGES of them).
- `Writer` is an enterprise applying and its bank taking the application for
  review, and the bank withdrawing and re-publishing one of its products, at a
  set rate, through the portal's services (as the pages and the API do): each
  write moves the version the cached catalogue pages or application counts
  live under, so the next read of any of them misses. What it writes stays
  (a few hundred applications of the demo enterprise a run)."""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

Query = list[tuple[str, str]]
MAX_PAGES = 20
PAGE = 25

CATALOGUE_FILTERS: dict[str, list[str]] = {
    "kind": ["", "patent_pledge_loan", "trademark_pledge_loan", "mixed_ip_pledge_loan"],
    "ip_kind": ["", "invention_patent", "trademark"],
    "rate_max": ["", "3.90", "4.20"],
    "ordering": ["", "rate_min", "-amount_max", "name_zh"],
}
QUEUE_STATUSES: list[list[str]] = [
    [],
    ["submitted"],
    ["under_review"],
    ["submitted", "under_review"],
    ["approved"],
    ["rejected", "closed"],
]
QUEUE_SEARCHES = ["科技", "东莞", "新材料", "股份"]


def address(path: str, query: Query) -> str:
    return f"{path}?{urlencode(query)}" if query else path


def paged(filters: Query, count: int) -> list[Query]:
    pages = min(MAX_PAGES, -(-count // PAGE))
    return [filters + ([("page", str(n))] if n > 1 else []) for n in range(1, pages + 1)]


def catalogue_queries(count: Callable[[Query], int]) -> list[Query]:
    """Every combination of the catalogue's varied filters, each page of it;
    `count` says how many products a combination finds (ordering aside)."""
    queries: list[Query] = []
    names = list(CATALOGUE_FILTERS)
    for values in itertools.product(*CATALOGUE_FILTERS.values()):
        filters = [(name, value) for name, value in zip(names, values, strict=True) if value]
        found = count([(k, v) for k, v in filters if k != "ordering"])
        queries += paged(filters, found)
    return queries


def queue_queries(count: Callable[[Query], int]) -> list[Query]:
    """The queue's status tabs, each page of them, and searches for an
    enterprise in the first two tabs, their first page only (a bank's officer
    pages through a tab more often than searching it)."""
    queries: list[Query] = []
    for statuses in QUEUE_STATUSES:
        filters = [("status", s) for s in statuses]
        queries += paged(filters, count(filters))
    for statuses, text in itertools.product(QUEUE_STATUSES[:2], QUEUE_SEARCHES):
        queries.append([("status", s) for s in statuses] + [("q", text)])
    return queries


class Writer(threading.Thread):
    """Writes at `per_second` until stopped, in turn: the demo enterprise
    applies to one of the demo bank's products (submitting at once), the bank
    takes that application for review, the bank withdraws or re-publishes its
    benchmark product. Counts what it did and what was refused."""

    def __init__(self, *, per_second: float) -> None:
        super().__init__(daemon=True)
        self.interval = 1 / per_second
        self.done: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()
        self._stop_asked = threading.Event()
        self.started = self.seconds = 0.0
        self._steps = itertools.cycle(["apply", "take-for-review", "catalogue"])
        self._setup()

    def _setup(self) -> None:
        from accounts.models import User
        from financing.selectors import eligible_assets
        from products.models import Institution, Product
        from products.services import product_create, product_publish

        self.bank_user = User.objects.get(email="bank@example.com")
        self.enterprise_user = User.objects.get(email="enterprise@example.com")
        self.enterprise = self.enterprise_user.enterprise_memberships.get().enterprise
        bank = Institution.objects.get(memberships__user=self.bank_user)
        published = Product.objects.filter(institution=bank, status=Product.Status.PUBLISHED)
        for product in published.exclude(code="writer-bench").order_by("code"):
            assets = eligible_assets(enterprise_id=self.enterprise.pk, product=product)
            self.asset_ids = list(assets.values_list("pk", flat=True)[:1])
            if self.asset_ids:
                self.product = product
                break
        else:
            raise SystemExit("The demo enterprise has no asset the demo bank's products take.")
        toggled = Product.objects.filter(code="writer-bench").first()
        if toggled is None:
            toggled = product_create(
                institution=bank,
                actor=self.bank_user,
                code="writer-bench",
                name_zh="基准测试写入产品",
                name_en="Benchmark writer product",
                kind=self.product.kind,
                amount_min=self.product.amount_min,
                amount_max=self.product.amount_max,
                rate_min=self.product.rate_min,
                rate_max=self.product.rate_max,
                term_min_months=self.product.term_min_months,
                term_max_months=self.product.term_max_months,
                max_pledge_ratio=self.product.max_pledge_ratio,
                accepted_ip_kinds=list(self.product.accepted_ip_kinds.all()),
            )
            product_publish(product=toggled, actor=self.bank_user)
        self.toggled = toggled
        self.applied: Any = None

    def warm_up(self) -> None:
        """Each write once, in the calling thread (the first of each is slower)."""
        for step in ("apply", "take-for-review", "catalogue"):
            self._write(step)

    def stop(self) -> None:
        self._stop_asked.set()
        self.join()

    def run(self) -> None:
        from django.db import connection

        next_at = self.started = time.monotonic()
        try:
            while not self._stop_asked.is_set():
                step = next(self._steps)
                try:
                    self._write(step)
                    self.done[step] += 1
                except Exception as refused:  # counted and shown; the run goes on
                    self.refused[f"{step}: {refused}"[:120]] += 1
                next_at += self.interval
                self._stop_asked.wait(max(0.0, next_at - time.monotonic()))
        finally:
            self.seconds = time.monotonic() - self.started
            connection.close()

    def _write(self, step: str) -> None:
        from financing.services import application_create, application_take_for_review
        from products.models import Product
        from products.services import product_publish, product_withdraw

        if step == "apply":
            self.applied = application_create(
                enterprise=self.enterprise,
                product=self.product,
                actor=self.enterprise_user,
                amount_requested=max(self.product.amount_min, Decimal("1000000.00")),
                term_months=max(self.product.term_min_months, 12),
                asset_ids=self.asset_ids,
                submit=True,
            )
        elif step == "take-for-review":
            if self.applied is not None:
                application_take_for_review(application=self.applied, actor=self.bank_user)
                self.applied = None
        else:
            self.toggled.refresh_from_db()
            if self.toggled.status == Product.Status.PUBLISHED:
                product_withdraw(product=self.toggled, actor=self.bank_user)
            else:
                product_publish(product=self.toggled, actor=self.bank_user)

    def summary(self) -> str:
        done = ", ".join(f"{step} {n}" for step, n in self.done.items()) or "none"
        refused = sum(self.refused.values())
        rate = sum(self.done.values()) / self.seconds if self.seconds else 0.0
        text = f"writes: {done} ({rate:.1f}/s, slower when writes take longer); refused {refused}"
        if self.refused:
            text += " (" + "; ".join(self.refused) + ")"
        return text
