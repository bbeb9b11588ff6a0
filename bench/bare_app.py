"""The baseline: a bare WSGI app over psycopg2 answering the same JSON as the
portal's catalogue and application-queue endpoints, with no framework, no
authentication, no permission checks and no cache. The portal's API is
measured against it in the same run (bench/api_throughput.py).

It takes the filters the benchmark varies, with the portal's meaning: the
catalogue's `kind`, `ip_kind`, `rate_max` and `ordering`, the queue's
`status` (repeatable) and `q` (the enterprise's name or credit code), and
`page` on both."""

from __future__ import annotations

import json
import os
import threading
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import psycopg2

TZ = ZoneInfo("Asia/Shanghai")
PAGE = 25
DSN = os.environ["BENCH_DSN"]
STATUS_LABELS = {
    "draft": "Draft",
    "submitted": "Submitted",
    "under_review": "Under review",
    "info_requested": "Information requested",
    "approved": "Approved",
    "rejected": "Rejected",
    "withdrawn": "Withdrawn",
    "contract_signed": "Contract signed",
    "pledge_registered": "Pledge registered",
    "disbursed": "Disbursed",
    "closed": "Closed",
}
_local = threading.local()


def cursor() -> Any:
    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        connection = _local.connection = psycopg2.connect(DSN)
        connection.autocommit = True
    return connection.cursor()


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def stamp(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(TZ).isoformat()


def name(zh: str, en: str) -> str:
    return en or zh


def page_links(environ: dict[str, Any], page: int, count: int) -> tuple[str | None, str | None]:
    base = f"http://{environ['HTTP_HOST']}{environ['PATH_INFO']}"
    query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items() if k != "page"}
    prefix = "&".join(f"{k}={v}" for k, v in query.items())

    def link(number: int) -> str:
        if number == 1:
            return f"{base}?{prefix}" if prefix else base
        return f"{base}?{prefix + '&' if prefix else ''}page={number}"

    last = max(1, -(-count // PAGE))
    return (link(page + 1) if page < last else None, link(page - 1) if page > 1 else None)


CATALOGUE_ORDER = {
    "-published_at": "p.published_at DESC",
    "rate_min": "p.rate_min",
    "-amount_max": "p.amount_max DESC",
    "name_zh": "p.name_zh",
}


def catalogue_where(query: dict[str, list[str]]) -> tuple[str, list[Any]]:
    """The catalogue's filters (products.filters.ProductFilter) as SQL."""
    where: list[str] = ["p.status = 'published'"]
    params: list[Any] = []
    if kind := query.get("kind", [""])[0]:
        where.append("p.kind = %s")
        params.append(kind)
    if ip_kind := query.get("ip_kind", [""])[0]:
        where.append(
            "EXISTS (SELECT 1 FROM products_product_accepted_ip_kinds t"
            " WHERE t.product_id = p.id AND t.ipkind_id = %s)"
        )
        params.append(ip_kind)
    if rate_max := query.get("rate_max", [""])[0]:
        where.append("p.rate_min <= %s")
        params.append(Decimal(rate_max))
    return " WHERE " + " AND ".join(where), params


def catalogue(environ: dict[str, Any], page: int) -> dict[str, Any]:
    query = parse_qs(environ.get("QUERY_STRING", ""))
    where, params = catalogue_where(query)
    order = CATALOGUE_ORDER[query.get("ordering", ["-published_at"])[0]]
    with cursor() as c:
        c.execute("SELECT count(*) FROM products_product p" + where, params)
        count = c.fetchone()[0]
        c.execute(
            "SELECT p.id, p.code, p.name_zh, p.name_en, p.kind, i.id, i.code, i.name_zh,"
            " i.name_en, p.amount_min, p.amount_max, p.rate_min, p.rate_max,"
            " p.term_min_months, p.term_max_months, p.max_pledge_ratio, p.summary_zh,"
            " p.summary_en, p.requirements, p.status, p.published_at, p.updated_at"
            " FROM products_product p JOIN products_institution i ON i.id = p.institution_id"
            + where
            + f" ORDER BY {order}, p.code LIMIT %s OFFSET %s",
            [*params, PAGE, (page - 1) * PAGE],
        )
        rows = c.fetchall()
        ids = [row[0] for row in rows]
        kinds: dict[int, list[str]] = {i: [] for i in ids}
        provinces: dict[int, list[dict[str, str]]] = {i: [] for i in ids}
        industries: dict[int, list[str]] = {i: [] for i in ids}
        c.execute(
            "SELECT t.product_id, k.code FROM products_product_accepted_ip_kinds t"
            " JOIN core_ipkind k ON k.code = t.ipkind_id WHERE t.product_id = ANY(%s)"
            " ORDER BY k.sort",
            [ids],
        )
        for product_id, code in c.fetchall():
            kinds[product_id].append(code)
        c.execute(
            "SELECT t.product_id, v.code, v.name_zh, v.name_en"
            " FROM products_product_provinces_served t"
            " JOIN core_province v ON v.code = t.province_id WHERE t.product_id = ANY(%s)"
            " ORDER BY v.code",
            [ids],
        )
        for product_id, code, zh, en in c.fetchall():
            provinces[product_id].append({"code": code, "name_zh": zh, "name_en": en})
        c.execute(
            "SELECT t.product_id, d.code FROM products_product_target_industries t"
            " JOIN core_industry d ON d.code = t.industry_id WHERE t.product_id = ANY(%s)"
            " ORDER BY d.sort",
            [ids],
        )
        for product_id, code in c.fetchall():
            industries[product_id].append(code)
    results = [
        {
            "id": r[0],
            "code": r[1],
            "name_zh": r[2],
            "name_en": r[3],
            "kind": r[4],
            "institution": {"id": r[5], "code": r[6], "name_zh": r[7], "name_en": r[8]},
            "accepted_ip_kinds": kinds[r[0]],
            "amount_min": money(r[9]),
            "amount_max": money(r[10]),
            "rate_min": money(r[11]),
            "rate_max": money(r[12]),
            "term_min_months": r[13],
            "term_max_months": r[14],
            "max_pledge_ratio": money(r[15]),
            "provinces_served": provinces[r[0]],
            "nationwide": not provinces[r[0]],
            "target_industries": industries[r[0]],
            "summary_zh": r[16],
            "summary_en": r[17],
            "requirements": r[18],
            "status": r[19],
            "published_at": stamp(r[20]),
            "updated_at": stamp(r[21]),
        }
        for r in rows
    ]
    following, previous = page_links(environ, page, count)
    return {"count": count, "next": following, "previous": previous, "results": results}


def queue_where(query: dict[str, list[str]], institution: int) -> tuple[str, list[Any]]:
    """The queue's filters (financing.filters.ApplicationFilter) as SQL."""
    where: list[str] = ["a.institution_id = %s", "a.submitted_at IS NOT NULL"]
    params: list[Any] = [institution]
    if statuses := query.get("status"):
        where.append("a.status = ANY(%s)")
        params.append(statuses)
    if text := query.get("q", [""])[0].strip():
        where.append(
            "(UPPER(e.name_zh) LIKE UPPER(%s) OR UPPER(e.name_en) LIKE UPPER(%s)"
            " OR UPPER(e.credit_code) = UPPER(%s))"
        )
        params += [f"%{text}%", f"%{text}%", text]
    return " WHERE " + " AND ".join(where), params


def queue(environ: dict[str, Any], page: int, institution: int) -> dict[str, Any]:
    query = parse_qs(environ.get("QUERY_STRING", ""))
    where, params = queue_where(query, institution)
    # The enterprise is joined for the count only when its name is searched.
    counted = "JOIN enterprises_enterprise e ON e.id = a.enterprise_id" if "q" in query else ""
    with cursor() as c:
        c.execute(f"SELECT count(*) FROM financing_application a {counted}" + where, params)
        count = c.fetchone()[0]
        c.execute(
            "SELECT a.id, a.status, e.id, e.name_zh, e.name_en, e.province_id, p.code,"
            " p.name_zh, p.name_en, i.id, i.name_zh, i.name_en, a.amount_requested,"
            " a.term_months, a.amount_approved, a.submitted_at, a.decided_at, a.created_at"
            " FROM financing_application a JOIN products_product p ON p.id = a.product_id"
            " JOIN products_institution i ON i.id = a.institution_id"
            " JOIN enterprises_enterprise e ON e.id = a.enterprise_id"
            + where
            + " ORDER BY a.created_at DESC, a.id DESC LIMIT %s OFFSET %s",
            [*params, PAGE, (page - 1) * PAGE],
        )
        rows = c.fetchall()
    results = [
        {
            "id": r[0],
            "status": r[1],
            "status_display": STATUS_LABELS[r[1]],
            "enterprise": {"id": r[2], "name": name(r[3], r[4]), "province": r[5]},
            "product": {"code": r[6], "name": name(r[7], r[8])},
            "institution": {"id": r[9], "name": name(r[10], r[11])},
            "amount_requested": money(r[12]),
            "term_months": r[13],
            "amount_approved": money(r[14]),
            "submitted_at": stamp(r[15]),
            "decided_at": stamp(r[16]),
            "created_at": stamp(r[17]),
        }
        for r in rows
    ]
    following, previous = page_links(environ, page, count)
    return {"count": count, "next": following, "previous": previous, "results": results}


def application(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    query = parse_qs(environ.get("QUERY_STRING", ""))
    page = int(query.get("page", ["1"])[0])
    if environ["PATH_INFO"] == "/catalogue":
        body = catalogue(environ, page)
    elif environ["PATH_INFO"] == "/queue":
        body = queue(environ, page, int(query["institution"][0]))
    else:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    )
    return [payload]
