"""Fill a PostgreSQL database with a campaign of 1,000,000 contracts and
2,000,000 registrations for the dashboard benchmark, then roll it up.

    DATABASE_URL=postgres://…/ipfin_bench_dash python bench/generate_dashboards.py

Idempotent: a second run finds the campaign and only checks the rollups.
Rows go in through COPY, so the campaign takes minutes, not hours."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import time
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from common import setup_django

BENCH_CAMPAIGN = "bench-dashboards"
PROVINCES = (
    "110000",
    "310000",
    "320000",
    "330000",
    "370000",
    "420000",
    "430000",
    "440000",
    "500000",
    "510000",
)
STAMP = "2021-01-01 00:00:00+00"


def copy_rows(model: Any, rows: Iterable[dict[str, Any]], *, chunk: int = 200_000) -> int:
    """COPY rows into a model's table. Columns a row leaves out take the
    field's default, '' when blank, NULL when nullable; timestamps a fixed stamp."""
    from django.db import connection
    from django.db.models import NOT_PROVIDED

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    fallback: dict[str, Any] = {}
    for f in fields:
        if f.default is not NOT_PROVIDED and not callable(f.default):
            fallback[f.attname] = f.default
        elif f.null:
            fallback[f.attname] = None
        elif f.get_internal_type() == "DateTimeField":
            fallback[f.attname] = STAMP
        elif f.blank:
            fallback[f.attname] = ""
    columns = [f.attname for f in fields]

    def text(value: Any) -> str:
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")

    count = 0
    buffer = io.StringIO()
    with connection.cursor() as cursor:

        def flush() -> None:
            buffer.seek(0)
            cursor.copy_expert(
                f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN", buffer
            )
            buffer.seek(0)
            buffer.truncate()

        for row in rows:
            values = {**fallback, **row}
            buffer.write("\t".join(text(values[c]) for c in columns) + "\n")
            count += 1
            if count % chunk == 0:
                flush()
        flush()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--registrations", type=int, default=2_000_000)
    parser.add_argument("--events", type=int, default=400)
    parser.add_argument("--enterprises", type=int, default=300_000)
    parser.add_argument("--institutions", type=int, default=1_000)
    args = parser.parse_args()

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    assert connection.vendor == "postgresql", "the benchmark runs on PostgreSQL (DATABASE_URL)"
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("seed_campaign", verbosity=0)
    print(f"migrated and seeded in {time.monotonic() - started:.1f} s")

    from dashboards.rollups import rebuild_all
    from enterprises.models import Enterprise
    from events.models import Campaign, Event, Meeting, Registration
    from financing.models import Contract
    from parks.models import Park
    from products.models import Institution, Product

    if Campaign.objects.filter(slug=BENCH_CAMPAIGN).exists():
        print("bench campaign already there")
        return
    rng = random.Random(2020)
    t = time.monotonic()
    campaign = Campaign.objects.create(
        slug=BENCH_CAMPAIGN,
        name_zh="基准测试活动",
        name_en="Benchmark campaign",
        starts_on=dt.date(2021, 1, 1),
        ends_on=dt.date(2021, 6, 30),
    )
    tag = f"b{campaign.pk}"
    copy_rows(
        Park,
        (
            {
                "name_zh": f"基准园区{n}",
                "name_en": f"Bench park {n}",
                "slug": f"{tag}-park-{n}",
                "province_id": PROVINCES[n % len(PROVINCES)],
                "city_zh": "测试市",
                "kind": "national_hitech_zone",
            }
            for n in range(200)
        ),
    )
    parks: dict[str, list[int]] = {p: [] for p in PROVINCES}
    for pk, province in Park.objects.filter(slug__startswith=f"{tag}-").values_list(
        "pk", "province_id"
    ):
        parks[province].append(pk)
    copy_rows(
        Institution,
        (
            {
                "name_zh": f"基准银行{n}",
                "code": f"{tag}-bank-{n}",
                "province_id": PROVINCES[n % len(PROVINCES)],
            }
            for n in range(args.institutions)
        ),
    )
    institutions = list(
        Institution.objects.filter(code__startswith=f"{tag}-").values_list("pk", flat=True)
    )
    kinds = ["patent_pledge_loan", "trademark_pledge_loan", "mixed_ip_pledge_loan"]
    copy_rows(
        Product,
        (
            {
                "name_zh": f"基准贷{n}",
                "institution_id": institutions[n % len(institutions)],
                "code": f"{tag}-product-{n}",
                "kind": kinds[n % 3],
                "amount_min": "100000.00",
                "amount_max": "50000000.00",
                "rate_min": "3.50",
                "rate_max": "6.00",
                "term_min_months": 6,
                "term_max_months": 36,
                "max_pledge_ratio": "50.00",
                "status": "published",
            }
            for n in range(len(institutions) * 2)
        ),
    )
    products = list(
        Product.objects.filter(code__startswith=f"{tag}-").values_list("pk", "institution_id")
    )
    copy_rows(
        Enterprise,
        (
            {
                "name_zh": f"基准企业{n}",
                "credit_code": f"9B{campaign.pk:04d}{n:012d}",
                "province_id": PROVINCES[n % len(PROVINCES)],
            }
            for n in range(args.enterprises)
        ),
    )
    enterprises: dict[str, list[int]] = {p: [] for p in PROVINCES}
    for pk, province in Enterprise.objects.filter(
        credit_code__startswith=f"9B{campaign.pk:04d}"
    ).values_list("pk", "province_id"):
        enterprises[province].append(pk)
    print(f"parks, institutions, products, enterprises in {time.monotonic() - t:.1f} s")

    t = time.monotonic()
    start = dt.datetime(2021, 1, 4, 1, 0, tzinfo=dt.UTC)
    copy_rows(
        Event,
        (
            {
                "campaign_id": campaign.pk,
                "slug": f"{tag}-event-{n}",
                "title_zh": f"基准站{n}",
                "host_province_id": PROVINCES[n % len(PROVINCES)],
                "starts_at": (start + dt.timedelta(hours=10 * n)).isoformat(),
                "ends_at": (start + dt.timedelta(hours=10 * n + 4)).isoformat(),
                "participants_online": rng.randrange(0, 20_000),
                "participants_offline": rng.randrange(0, 2_000),
                "status": "published",
            }
            for n in range(args.events)
        ),
    )
    events = list(Event.objects.filter(campaign=campaign).values_list("pk", "host_province_id"))
    with connection.cursor() as cursor:
        for pk, province in events:
            for park in rng.sample(parks[province], rng.randint(1, 3)):
                cursor.execute(
                    "INSERT INTO events_event_parks (event_id, park_id) VALUES (%s, %s)", [pk, park]
                )
            for product, _ in rng.sample(products, 12):
                cursor.execute(
                    "INSERT INTO events_event_featured_products (event_id, product_id)"
                    " VALUES (%s, %s)",
                    [pk, product],
                )
            for other in rng.sample(PROVINCES, 2):
                if other != province:
                    cursor.execute(
                        "INSERT INTO events_event_participating_provinces"
                        " (event_id, province_id) VALUES (%s, %s)",
                        [pk, other],
                    )

    per_event = args.registrations // len(events)
    # Forty institutions take part in each event: they hold its meetings and sign its contracts.
    institution_share = 40
    registered: dict[int, list[int]] = {}
    lenders: dict[int, list[int]] = {}
    offers: dict[int, list[int]] = {}
    for product, institution in products:
        offers.setdefault(institution, []).append(product)

    def registrations() -> Iterable[dict[str, Any]]:
        n = 0
        statuses = ["registered", "confirmed", "checked_in", "checked_in", "cancelled"]
        for pk, province in events:
            pool = enterprises[province]
            chosen = rng.sample(pool, min(len(pool), per_event - institution_share))
            registered[pk] = chosen
            for enterprise in chosen:
                n += 1
                yield {
                    "event_id": pk,
                    "enterprise_id": enterprise,
                    "code": f"R{n:011d}",
                    "status": statuses[n % 5],
                }
            lenders[pk] = rng.sample(institutions, institution_share)
            for institution in lenders[pk]:
                n += 1
                yield {"event_id": pk, "institution_id": institution, "code": f"R{n:011d}"}

    count = copy_rows(Registration, registrations())
    print(f"{len(events)} events, {count} registrations in {time.monotonic() - t:.1f} s")

    t = time.monotonic()

    def meetings() -> Iterable[dict[str, Any]]:
        for pk, _ in events:
            pairs = set()
            for enterprise in rng.sample(registered[pk], min(500, len(registered[pk]))):
                institution = rng.choice(lenders[pk])
                if (enterprise, institution) in pairs:
                    continue
                pairs.add((enterprise, institution))
                yield {
                    "event_id": pk,
                    "enterprise_id": enterprise,
                    "institution_id": institution,
                    "status": rng.choice(["accepted", "held", "held", "declined"]),
                }

    count = copy_rows(Meeting, meetings())
    print(f"{count} meetings in {time.monotonic() - t:.1f} s")

    t = time.monotonic()
    per_contract_event = args.contracts // len(events)

    def contracts() -> Iterable[dict[str, Any]]:
        n = 0
        for pk, _ in events:
            for _ in range(per_contract_event):
                n += 1
                institution = rng.choice(lenders[pk])
                product = None if n % 7 == 0 else rng.choice(offers[institution])
                amount = Decimal(rng.randrange(10, 5000)) * 10000
                disbursed = amount if n % 2 else None
                yield {
                    "reference": f"BENCH-{n:08d}",
                    "kind": "intention" if n % 3 == 0 else "loan",
                    "amount": amount,
                    "signed_on": "2021-03-01",
                    "institution_id": institution,
                    "enterprise_id": rng.choice(registered[pk]),
                    "product_id": product,
                    "event_id": pk,
                    "disbursed_amount": disbursed,
                    "disbursed_on": "2021-04-01" if disbursed else None,
                }

    count = copy_rows(Contract, contracts())
    print(f"{count} contracts in {time.monotonic() - t:.1f} s")

    connection.ensure_connection()
    connection.connection.autocommit = True
    with connection.connection.cursor() as raw:
        for table in (
            "events_registration",
            "events_meeting",
            "financing_contract",
            "events_event",
            "enterprises_enterprise",
        ):
            raw.execute(f"VACUUM ANALYZE {table}")
    t = time.monotonic()
    built = rebuild_all()
    print(f"rollups rebuilt in {time.monotonic() - t:.1f} s: {built}")
    with connection.connection.cursor() as raw:
        for table in ("dashboards_cell", "dashboards_eventshare", "dashboards_eventparty"):
            raw.execute(f"VACUUM ANALYZE {table}")


if __name__ == "__main__":
    main()
