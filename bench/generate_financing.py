"""Fill a PostgreSQL database with products and applications for the API benchmark.

    DATABASE_URL=postgres://…/ipfin_bench python bench/generate_financing.py \
        --products 10000 --applications 1000000

Idempotent: tops the tables up to the asked counts. Rows go in through COPY,
so a million applications take seconds, not minutes."""

from __future__ import annotations

import argparse
import io
import random
import time

from common import setup_django

BENCH_PREFIX = "bench-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument(
        "--demo-bank-share",
        type=float,
        default=0.02,
        help="share of applications addressed to the demo bank's products",
    )
    args = parser.parse_args()

    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    assert connection.vendor == "postgresql", "the benchmark runs on PostgreSQL (DATABASE_URL)"
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("seed_campaign", verbosity=0)
    database = settings.DATABASES["default"]["NAME"]
    print(f"migrated and seeded {database} in {time.monotonic() - started:.1f} s")

    from enterprises.models import Enterprise
    from financing.models import Application
    from products.models import Institution, Product

    rng = random.Random(7)
    institutions = list(Institution.objects.values_list("pk", flat=True))
    demo_bank = Institution.objects.get(memberships__user__email="bank@example.com").pk

    have = Product.objects.filter(code__startswith=BENCH_PREFIX).count()
    missing = max(0, args.products - Product.objects.count())
    if missing:
        t = time.monotonic()
        buffer = io.StringIO()
        for n in range(have, have + missing):
            institution = demo_bank if n % 200 == 0 else rng.choice(institutions)
            low = rng.choice([500_000, 1_000_000, 2_000_000])
            rate = rng.choice([3.65, 3.85, 4.2, 4.5])
            buffer.write(
                "\t".join(
                    [
                        f"知识产权质押贷{n}",
                        f"IP Pledge Loan {n}",
                        str(institution),
                        f"{BENCH_PREFIX}{n}",
                        rng.choice(
                            ["patent_pledge_loan", "trademark_pledge_loan", "mixed_ip_pledge_loan"]
                        ),
                        f"{low}.00",
                        f"{low * rng.choice([5, 10, 20])}.00",
                        f"{rate:.2f}",
                        f"{rate + 2:.2f}",
                        "6",
                        "36",
                        "50.00",
                        "",
                        "",
                        "",
                        "published",
                        "2024-01-01 00:00:00+00",
                        "2024-01-01 00:00:00+00",
                        "2024-01-01 00:00:00+00",
                    ]
                )
                + "\n"
            )
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                "COPY products_product (name_zh, name_en, institution_id, code, kind, amount_min,"
                " amount_max, rate_min, rate_max, term_min_months, term_max_months,"
                " max_pledge_ratio, summary_zh, summary_en, requirements, status, published_at,"
                " created_at, updated_at) FROM STDIN",
                buffer,
            )
            cursor.execute(
                "INSERT INTO products_product_accepted_ip_kinds (product_id, ipkind_id)"
                " SELECT p.id, k.code FROM products_product p CROSS JOIN core_ipkind k"
                " WHERE p.code LIKE %s AND k.code IN ('invention_patent', 'utility_model')"
                " ON CONFLICT DO NOTHING",
                [f"{BENCH_PREFIX}%"],
            )
        print(f"{missing} products in {time.monotonic() - t:.1f} s")

    missing = max(0, args.applications - Application.objects.count())
    if missing:
        t = time.monotonic()
        enterprises = list(Enterprise.objects.values_list("pk", flat=True))
        owner = dict(Product.objects.values_list("pk", "institution_id"))
        bank_products = [pk for pk, institution in owner.items() if institution == demo_bank]
        other_products = [pk for pk, institution in owner.items() if institution != demo_bank]
        statuses = ["submitted", "under_review", "approved", "rejected", "disbursed", "closed"]
        with connection.cursor() as cursor:
            chunk = 100_000
            for offset in range(0, missing, chunk):
                buffer = io.StringIO()
                for n in range(offset, min(missing, offset + chunk)):
                    product = (
                        rng.choice(bank_products)
                        if rng.random() < args.demo_bank_share
                        else rng.choice(other_products)
                    )
                    day = 1 + n % 28
                    stamp = f"2025-{1 + n % 12:02d}-{day:02d} {n % 24:02d}:{n % 60:02d}:00+00"
                    amount = rng.randrange(5, 500) * 10000
                    buffer.write(
                        f"{rng.choice(enterprises)}\t{product}\t{owner[product]}\t{amount}.00\t"
                        f"{rng.choice([6, 12, 24, 36])}\t\t\\N\t\t{rng.choice(statuses)}\t"
                        f"{stamp}\t\\N\t{stamp}\t{stamp}\n"
                    )
                buffer.seek(0)
                cursor.copy_expert(
                    "COPY financing_application (enterprise_id, product_id, institution_id,"
                    " amount_requested,"
                    " term_months, purpose, amount_approved, rejection_reason, status,"
                    " submitted_at, decided_at, created_at, updated_at) FROM STDIN",
                    buffer,
                )
        print(f"{missing} applications in {time.monotonic() - t:.1f} s")
    # Index-only scans need the visibility map; VACUUM cannot run in a transaction.
    # The accepted kinds too: without statistics the planner takes the ten
    # thousand rows COPY added for a few dozen and joins them the slow way.
    connection.ensure_connection()
    connection.connection.autocommit = True
    with connection.connection.cursor() as raw:
        raw.execute("VACUUM ANALYZE financing_application")
        raw.execute("VACUUM ANALYZE products_product")
        raw.execute("VACUUM ANALYZE products_product_accepted_ip_kinds")
    print(
        f"products {Product.objects.count()}, applications {Application.objects.count()}, "
        f"demo bank's applications "
        f"{Application.objects.filter(product__institution_id=demo_bank).count()}"
    )


if __name__ == "__main__":
    main()
