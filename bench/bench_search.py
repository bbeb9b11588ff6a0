"""Search benchmark (issue 15): the search box at 10,000 products and
100,000 enterprises.

    python bench/bench_search.py                     # SQLite (a file in the temp folder)
    DATABASE_URL=postgres://…/ipfin_bench_search python bench/bench_search.py

The first run fills the database (bulk_create) and builds the index
(`search.services.index_rebuild`); later runs reuse both. Each Chinese
query is then answered as the search page answers it
(`search.selectors.search_overview`: counts per kind and the best five of
each) for a visitor and for a national regulator, who may see every
enterprise, next to a baseline measured in the same run: the query's
space-separated parts looked for with icontains in the source tables'
names and summaries, as a plain search over products and enterprises
would. Target: p50 under 50 ms.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'ipfin_bench_search.sqlite3'}"
)
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

from common import setup_django  # noqa: E402

PREFIX = "sbench-"
PRODUCTS = 10_000
ENTERPRISES = 100_000
INSTITUTIONS = 300
RUNS = 40
QUERIES = [
    "知识产权 杭州",
    "杭州 专利贷",
    "科技专利贷",
    "深圳 商标质押",
    "生物医药 企业",
    "成都软件",
]
CITIES = [
    ("杭州", "330000"), ("宁波", "330000"), ("温州", "330000"), ("北京", "110000"),
    ("长沙", "430000"), ("株洲", "430000"), ("广州", "440000"), ("深圳", "440000"),
    ("重庆", "500000"), ("南京", "320000"), ("苏州", "320000"), ("成都", "510000"),
]  # fmt: skip
BANKS = ["工商银行", "建设银行", "农业银行", "中国银行", "交通银行", "招商银行", "兴业银行"]
PRODUCT_WORDS = ["科技", "知识产权", "专利", "商标", "版权", "科创", "智慧", "人才", "成长"]
PRODUCT_ENDS = ["贷", "质押贷", "融资", "快贷", "通"]
FIELDS = ["生物医药", "新材料", "软件", "智能制造", "电子信息", "新能源", "环保", "精密仪器"]


def fill() -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from enterprises.models import Enterprise
    from products.models import Institution, Product
    from search.services import index_rebuild

    call_command("migrate", verbosity=0)
    if Institution.objects.filter(code__startswith=PREFIX).exists():
        return
    rng = random.Random(15)
    now = timezone.now()
    started = time.monotonic()
    institutions = Institution.objects.bulk_create(
        [
            Institution(
                code=f"{PREFIX}{n}",
                name_zh=f"{rng.choice(BANKS)}{city}分行{n}",
                name_en=f"Bench Bank {n}",
                province_id=province,
                city_zh=city,
            )
            for n in range(INSTITUTIONS)
            for city, province in [rng.choice(CITIES)]
        ]
    )
    products = []
    for n in range(PRODUCTS):
        institution = institutions[n % INSTITUTIONS]
        name = rng.choice(PRODUCT_WORDS) + rng.choice(PRODUCT_WORDS) + rng.choice(PRODUCT_ENDS)
        products.append(
            Product(
                code=f"{PREFIX}{n}",
                institution=institution,
                name_zh=f"{name}{n}",
                name_en=f"Bench Loan {n}",
                kind="patent_pledge_loan",
                amount_min=100_000,
                amount_max=10_000_000,
                rate_min="3.45",
                rate_max="5.45",
                term_min_months=6,
                term_max_months=36,
                max_pledge_ratio="50.00",
                summary_zh=f"面向{institution.city_zh}{rng.choice(FIELDS)}企业，以专利、商标作质押。",
                status=Product.Status.PUBLISHED,
                published_at=now,
            )
        )
    Product.objects.bulk_create(products, batch_size=2_000)
    enterprises = []
    for n in range(ENTERPRISES):
        city, province = rng.choice(CITIES)
        field = rng.choice(FIELDS)
        enterprises.append(
            Enterprise(
                name_zh=f"{city}{rng.choice(['华', '中', '新', '瑞', '博'])}{n}{field}有限公司",
                name_en=f"Bench Enterprise {n}",
                credit_code=f"SB{n:016d}",
                province_id=province,
                city_zh=city,
                description=f"从事{field}研发，拥有发明专利{rng.randint(1, 40)}件。",
            )
        )
    Enterprise.objects.bulk_create(enterprises, batch_size=5_000)
    print(f"filled: {PRODUCTS:,} products, {ENTERPRISES:,} enterprises in "
          f"{time.monotonic() - started:.1f} s")  # fmt: skip
    started = time.monotonic()
    index_rebuild()
    print(f"indexed in {time.monotonic() - started:.1f} s")


def regulator() -> Any:
    from accounts.models import OfficeMembership, RegulatorOffice, User

    user, _ = User.objects.get_or_create(email="bench.regulator@example.com")
    office, _ = RegulatorOffice.objects.get_or_create(
        code=f"{PREFIX}office",
        defaults={"name_zh": "基准国家局", "kind": "ip_office", "level": "national"},
    )
    OfficeMembership.objects.get_or_create(user=user, office=office)
    return user


def baseline(query: str) -> int:
    """The query's parts with icontains in names and summaries, every part
    required: counts and the first five rows of products and enterprises."""
    from django.db.models import Q

    from enterprises.models import Enterprise
    from products.models import Product

    products = Product.objects.filter(status=Product.Status.PUBLISHED)
    enterprises = Enterprise.objects.all()
    for part in query.split():
        products = products.filter(
            Q(name_zh__icontains=part)
            | Q(summary_zh__icontains=part)
            | Q(institution__name_zh__icontains=part)
        )
        enterprises = enterprises.filter(
            Q(name_zh__icontains=part) | Q(description__icontains=part)
        )
    found = products.count() + enterprises.count()
    list(products.order_by("name_zh")[:5])
    list(enterprises.order_by("name_zh")[:5])
    return found


def timed(run: Callable[[], object]) -> list[float]:
    run()  # warm
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    return times


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    setup_django()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from search.models import SearchEntry
    from search.selectors import search_overview

    fill()
    national = regulator()
    print(
        f"database: {connection.vendor}, {SearchEntry.objects.count():,} index rows, "
        f"{RUNS} runs per query"
    )
    print(f"{'query':<16} {'reader':<10} {'found':>7} {'p50 ms':>8} {'p95 ms':>8}   "
          f"{'baseline found':>14} {'p50 ms':>8} {'p95 ms':>8}")  # fmt: skip
    medians = []
    for query in QUERIES:
        base = timed(partial(baseline, query))
        base_found = baseline(query)
        readers: list[tuple[str, Any]] = [("visitor", AnonymousUser()), ("national", national)]
        for label, user in readers:
            _terms, groups = search_overview(query=query, user=user)
            hits = sum(group.count for group in groups)
            times = timed(partial(search_overview, query=query, user=user))
            medians.append(p(times, 50))
            print(
                f"{query:<16} {label:<10} {hits:>7,} {p(times, 50):>8.1f} {p(times, 95):>8.1f}   "
                f"{base_found:>14,} {p(base, 50):>8.1f} {p(base, 95):>8.1f}"
            )
    worst = max(medians)
    verdict = "met" if worst < 50 else "missed"
    print(f"target p50 < 50 ms: {verdict} (worst p50 {worst:.1f} ms)")
    sys.exit(0)


if __name__ == "__main__":
    main()
