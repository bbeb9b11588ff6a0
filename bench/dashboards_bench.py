"""Time every dashboard answer against the same aggregate as raw SQL over the
base tables, in the same run, and check that both give the same numbers.

    DATABASE_URL=postgres://…/ipfin_bench_dash python bench/dashboards_bench.py

Run bench/generate_dashboards.py first (make bench-dashboards does both).
Prints, per answer: the dashboard's median time, the raw GROUP BY's median
time, their ratio (the target is ≤ 0.25) and whether the numbers are equal."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from common import setup_django
from generate_dashboards import BENCH_CAMPAIGN

T = TypeVar("T")

TARGET = 0.25

SUMMARY = """
WITH ev AS (
    SELECT e.id, e.host_province_id, e.participants_online, e.participants_offline
    FROM events_event e WHERE e.status = 'published' AND e.campaign_id = %(c)s {extra}
)
SELECT
    (SELECT count(*) FROM ev),
    (SELECT count(DISTINCT park_id) FROM events_event_parks WHERE event_id IN (SELECT id FROM ev)),
    r.enterprises, r.institutions,
    (SELECT coalesce(sum(participants_online), 0) FROM ev),
    (SELECT coalesce(sum(participants_offline), 0) FROM ev),
    (SELECT count(DISTINCT product_id) FROM events_event_featured_products
        WHERE event_id IN (SELECT id FROM ev)),
    (SELECT count(DISTINCT p.institution_id) FROM events_event_featured_products f
        JOIN products_product p ON p.id = f.product_id WHERE f.event_id IN (SELECT id FROM ev)),
    k.contracts, k.financed, k.amount, k.intention_amount,
    (SELECT count(*) FROM (
        SELECT host_province_id FROM ev
        UNION SELECT province_id FROM events_event_participating_provinces
            WHERE event_id IN (SELECT id FROM ev)) x),
    r.registrations,
    (SELECT count(*) FROM events_meeting m
        WHERE m.event_id IN (SELECT id FROM ev) AND m.status IN ('accepted', 'held')),
    k.intentions, k.loans, k.disbursed, k.disbursed_amount
FROM
    (SELECT count(DISTINCT enterprise_id) AS enterprises,
            count(DISTINCT institution_id) AS institutions,
            count(*) FILTER (WHERE enterprise_id IS NOT NULL) AS registrations
     FROM events_registration
     WHERE event_id IN (SELECT id FROM ev) AND status <> 'cancelled') r,
    (SELECT count(*) AS contracts, count(DISTINCT enterprise_id) AS financed,
            coalesce(sum(amount), 0) AS amount,
            coalesce(sum(amount) FILTER (WHERE kind = 'intention'), 0) AS intention_amount,
            count(*) FILTER (WHERE kind = 'intention') AS intentions,
            count(*) FILTER (WHERE kind = 'loan') AS loans,
            count(*) FILTER (WHERE disbursed_amount IS NOT NULL) AS disbursed,
            coalesce(sum(disbursed_amount), 0) AS disbursed_amount
     FROM financing_contract WHERE event_id IN (SELECT id FROM ev)) k
"""
SUMMARY_KEYS = (
    "activities",
    "parks_covered",
    "enterprises_involved",
    "institutions_involved",
    "participants_online",
    "participants_offline",
    "products_released",
    "releasing_institutions",
    "contracts_signed",
    "financed_enterprises",
    "contract_amount",
    "intention_amount",
    "provinces_participating",
    "registrations",
    "meetings",
    "intentions",
    "loans",
    "disbursed",
    "disbursed_amount",
)

BY_EVENTS = """
WITH ev AS (
    SELECT e.id, {key} AS key, e.participants_online, e.participants_offline
    FROM events_event e {join}
    WHERE e.status = 'published' AND e.campaign_id = %(c)s {extra}
),
a AS (SELECT key, count(*) AS activities,
             sum(participants_online) + sum(participants_offline) AS participants
      FROM ev GROUP BY key),
r AS (SELECT ev.key, count(DISTINCT r.enterprise_id) AS enterprises,
             count(DISTINCT r.institution_id) AS institutions
      FROM events_registration r JOIN ev ON ev.id = r.event_id
      WHERE r.status <> 'cancelled' GROUP BY ev.key),
k AS (SELECT ev.key, count(*) AS contracts, count(DISTINCT k.enterprise_id) AS financed,
             sum(k.amount) AS amount,
             coalesce(sum(k.amount) FILTER (WHERE k.kind = 'intention'), 0) AS intention,
             coalesce(sum(k.disbursed_amount), 0) AS disbursed
      FROM financing_contract k JOIN ev ON ev.id = k.event_id GROUP BY ev.key)
SELECT a.key::text, a.activities, coalesce(r.enterprises, 0), coalesce(r.institutions, 0),
       a.participants, coalesce(k.contracts, 0), coalesce(k.financed, 0),
       coalesce(k.amount, 0), coalesce(k.intention, 0), coalesce(k.disbursed, 0)
FROM a LEFT JOIN r USING (key) LEFT JOIN k USING (key)
"""
BY_EVENTS_KEYS = (
    "activities",
    "enterprises_involved",
    "institutions_involved",
    "participants_total",
    "contracts_signed",
    "financed_enterprises",
    "contract_amount",
    "intention_amount",
    "disbursed_amount",
)

BY_INSTITUTION = """
WITH ev AS (SELECT e.id FROM events_event e
            WHERE e.status = 'published' AND e.campaign_id = %(c)s {extra}),
k AS (SELECT institution_id AS key, count(*) AS contracts,
             count(DISTINCT enterprise_id) AS financed, sum(amount) AS amount,
             coalesce(sum(amount) FILTER (WHERE kind = 'intention'), 0) AS intention,
             coalesce(sum(disbursed_amount), 0) AS disbursed
      FROM financing_contract WHERE event_id IN (SELECT id FROM ev) GROUP BY institution_id),
m AS (SELECT institution_id AS key, count(*) AS meetings FROM events_meeting
      WHERE event_id IN (SELECT id FROM ev) AND status IN ('accepted', 'held')
      GROUP BY institution_id)
SELECT key::text, coalesce(m.meetings, 0), coalesce(k.contracts, 0), coalesce(k.financed, 0),
       coalesce(k.amount, 0), coalesce(k.intention, 0), coalesce(k.disbursed, 0)
FROM k FULL OUTER JOIN m USING (key)
"""
BY_INSTITUTION_KEYS = (
    "meetings",
    "contracts_signed",
    "financed_enterprises",
    "contract_amount",
    "intention_amount",
    "disbursed_amount",
)

BY_KIND = """
WITH ev AS (SELECT e.id FROM events_event e
            WHERE e.status = 'published' AND e.campaign_id = %(c)s {extra})
SELECT coalesce(p.kind, 'none'), count(*), sum(k.amount),
       coalesce(sum(k.amount) FILTER (WHERE k.kind = 'intention'), 0),
       coalesce(sum(k.disbursed_amount), 0)
FROM financing_contract k LEFT JOIN products_product p ON p.id = k.product_id
WHERE k.event_id IN (SELECT id FROM ev) GROUP BY coalesce(p.kind, 'none')
"""
BY_KIND_KEYS = ("contracts_signed", "contract_amount", "intention_amount", "disbursed_amount")

LOCAL_MONTH = "to_char(e.starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"


def timed(
    ours: Callable[[], Any], theirs: Callable[[], Any], runs: int
) -> tuple[float, float, Any, Any]:
    """Median milliseconds of each side, the runs interleaved so both meet the
    same load on a shared machine; after one warm-up call each."""
    results = [ours(), theirs()]
    times: list[list[float]] = [[], []]
    for _ in range(runs):
        for side, fn in enumerate((ours, theirs)):
            started = time.perf_counter()
            results[side] = fn()
            times[side].append((time.perf_counter() - started) * 1000)
    return statistics.median(times[0]), statistics.median(times[1]), results[0], results[1]


def _found(row: T | None) -> T:
    if row is None:
        raise SystemExit("The benchmark campaign is incomplete: run generate_dashboards.py.")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from dashboards.cells import breakdown, dashboard_figures
    from dashboards.selectors import Scope
    from events.models import Campaign, Event
    from financing.models import Contract

    campaign = Campaign.objects.get(slug=BENCH_CAMPAIGN)
    c = campaign.pk
    province = _found(Event.objects.filter(campaign=campaign).first()).host_province
    event = _found(Event.objects.filter(campaign=campaign, host_province=province).first())
    park = _found(event.parks.first())
    month = "2021-02"
    print(
        f"campaign {campaign.slug}: {Event.objects.filter(campaign=campaign).count()} events, "
        f"{Contract.objects.filter(event__campaign=campaign).count():,} contracts, "
        f"{event.registrations.model.objects.filter(event__campaign=campaign).count():,}"
        " registrations"
    )

    def raw(sql: str, **params: Any) -> Callable[[], list[tuple]]:
        def run() -> list[tuple]:
            with connection.cursor() as cursor:
                cursor.execute(sql, {"c": c, **params})
                rows: list[tuple[Any, ...]] = cursor.fetchall()
                return rows

        return run

    in_province = " AND e.host_province_id = %(p)s"
    summaries = {
        "summary: campaign": (Scope(campaign=campaign), ""),
        "summary: province": (Scope(campaign=campaign, province=province), in_province),
        "summary: park": (
            Scope(campaign=campaign, province=province, park=park),
            in_province + " AND e.id IN (SELECT event_id FROM events_event_parks"
            " WHERE park_id = %(k)s)",
        ),
        "summary: event": (
            Scope(campaign=campaign, province=province, event=event),
            " AND e.id = %(e)s",
        ),
        "summary: month": (Scope(campaign=campaign, month=month), f" AND {LOCAL_MONTH} = %(m)s"),
    }
    params = {"p": province.pk, "k": park.pk, "e": event.pk, "m": month}
    answers: list[tuple[str, Callable[[], Any], Callable[[], Any], Callable[[Any, Any], bool]]] = []
    for label, (scope, extra) in summaries.items():

        def same_summary(ours: Any, theirs: list[tuple]) -> bool:
            figures = ours.as_dict()
            return tuple(figures[k] for k in SUMMARY_KEYS) == tuple(theirs[0])

        answers.append(
            (
                label,
                partial(dashboard_figures, scope=scope),
                raw(SUMMARY.format(extra=extra), **params),
                same_summary,
            )
        )

    def same_rows(keys: tuple[str, ...]) -> Callable[[Any, Any], bool]:
        def check(ours: Any, theirs: list[tuple]) -> bool:
            mine = {r.value: tuple(getattr(r.figures, k) for k in keys) for r in ours}
            return mine == {row[0]: tuple(row[1:]) for row in theirs}

        return check

    whole, within = Scope(campaign=campaign), Scope(campaign=campaign, province=province)
    park_join = "JOIN events_event_parks ep ON ep.event_id = e.id"
    breakdowns = [
        ("by province", whole, "province", BY_EVENTS, "e.host_province_id", "", ""),
        ("by park (province)", within, "park", BY_EVENTS, "ep.park_id", park_join, in_province),
        ("by event (province)", within, "event", BY_EVENTS, "e.id", "", in_province),
        ("by event (campaign)", whole, "event", BY_EVENTS, "e.id", "", ""),
        ("by month", whole, "month", BY_EVENTS, LOCAL_MONTH, "", ""),
        ("by month (province)", within, "month", BY_EVENTS, LOCAL_MONTH, "", in_province),
        ("by institution", whole, "institution", BY_INSTITUTION, "", "", ""),
        ("by institution (province)", within, "institution", BY_INSTITUTION, "", "", in_province),
        ("by IP kind", whole, "ip-kind", BY_KIND, "", "", ""),
    ]
    keys_of = {
        BY_EVENTS: BY_EVENTS_KEYS,
        BY_INSTITUTION: BY_INSTITUTION_KEYS,
        BY_KIND: BY_KIND_KEYS,
    }
    for label, scope, by, sql, key, join, extra in breakdowns:
        answers.append(
            (
                label,
                partial(breakdown, scope=scope, by=by),
                raw(sql.format(key=key, join=join, extra=extra), **params),
                same_rows(keys_of[sql]),
            )
        )

    def ping() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    trip, _, _, _ = timed(ping, ping, args.runs)
    print(f"one round trip to the database (SELECT 1): {trip:.2f} ms")
    print(f"\n{'answer':<28} {'dashboard':>11} {'raw SQL':>11} {'ratio':>8}  equal")
    worst, unequal = 0.0, 0
    for label, ours, theirs, same in answers:
        ours_ms, raw_ms, mine, rows = timed(ours, theirs, args.runs)
        ratio = ours_ms / raw_ms
        equal = same(mine, rows)
        worst, unequal = max(worst, ratio), unequal + (not equal)
        print(
            f"{label:<28} {ours_ms:9.2f}ms {raw_ms:9.2f}ms {ratio:8.4f}  {'yes' if equal else 'NO'}"
        )
    print(f"\nworst ratio {worst:.4f} (target ≤ {TARGET}); answers unequal to raw SQL: {unequal}")
    if worst > TARGET or unequal:
        sys.exit(1)


if __name__ == "__main__":
    main()
