"""API throughput: the catalogue and an institution's application queue served
by the portal through gunicorn, next to a bare WSGI + psycopg2 app answering the
same JSON, on the same PostgreSQL data, in the same run; directly and through
nginx (a throwaway one in front of the same gunicorn, bench/front_proxy.py).

    make bench-api          # or: python bench/api_throughput.py

Data: 10,000 products and 1,000,000 applications (bench/generate_financing.py
tops the database up on first use). Redis is the cache (REDIS_URL), as in
production. Each endpoint is driven by 4 concurrent clients on keep-alive
connections in two ways:

- varied (the headline): every request picks its filters and page from every
  combination the benchmark varies (bench/api_load.py), while a writer moves
  applications and the catalogue at a set rate, so cached pages and counts go
  stale as they would in use: these requests miss the caches;
- same address: one address asked again and again, nothing written: the
  cached figures.

It prints requests per second, p50 and p99 latency, then the ratios:
portal/bare, varied/same address, through nginx/direct. Target, on the
varied requests served directly: portal/bare ≥ 0.5 and p99 < 50 ms.

`--target URL` adds rows for a portal already running over the same database
and Redis (e.g. `make prod`'s nginx, http://127.0.0.1:8080); `--no-nginx`
leaves the throwaway nginx out."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from api_load import Query, Writer, address, catalogue_queries, queue_queries
from common import DEFAULT_BENCH_DB, ROOT, LoadResult, drive, setup_django
from front_proxy import front_proxy

PORTAL_PORT, BARE_PORT = 8101, 8102
NGINX_PORTAL_PORT, NGINX_BARE_PORT = 8111, 8112
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
VENV_BIN = Path(sys.executable).parent
SETTINGS = {
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-" + "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "API_THROTTLE_ANON": "10000000/minute",
    "API_THROTTLE_USER": "10000000/minute",
    "LOG_LEVEL": "WARNING",
    # The writer's notices are sent in its own process, not queued for a worker.
    "CELERY_TASK_ALWAYS_EAGER": "true",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


def start(
    app: str, port: int, env: dict[str, str], server: argparse.Namespace, cwd: Path
) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(server.workers),
            "--worker-class",
            server.worker_class,
            "--threads",
            str(server.threads),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=cwd,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=1)
            break
        except urllib.error.HTTPError:
            break  # it answers: a 404 is fine
        except OSError:
            time.sleep(0.2)
    return process


def fetch(port: int, path: str, headers: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        answer: dict[str, Any] = json.loads(response.read())
    return answer


def without_links(body: dict) -> dict:
    return {k: v for k, v in body.items() if k not in ("next", "previous")}


@dataclass(frozen=True)
class Route:
    """Where the clients send their requests: the portal's host and port and
    the bare app's (None for a portal the benchmark did not start)."""

    name: str
    host: str
    portal_port: int
    bare_port: int | None
    prefix: str = ""


@dataclass(frozen=True)
class Endpoint:
    label: str
    portal_path: str
    portal_base: Query  # what the portal's address always carries
    bare_path: str
    bare_base: Query  # and the bare app's
    headers: dict[str, str]
    varied: list[Query]  # the queries of the varied rows; the same address has none


@dataclass(frozen=True)
class Row:
    endpoint: str
    requests: str
    route: str
    side: str
    result: LoadResult


def target_route(url: str) -> Route:
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise SystemExit(f"--target takes an http:// address, not {url!r}")
    return Route("target", parts.hostname, parts.port or 80, None, parts.path.rstrip("/"))


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0, help="per row")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    parser.add_argument("--threads", type=int, default=2, help="per worker (gthread only)")
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument(
        "--writes-per-second", type=float, default=6.0, help="the writer's rate (varied rows)"
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL") or DEFAULT_REDIS,
        help=f"the cache (default REDIS_URL, else {DEFAULT_REDIS})",
    )
    parser.add_argument("--no-nginx", action="store_true", help="no rows through nginx")
    parser.add_argument(
        "--target",
        help="also drive a portal already serving this database and Redis, e.g. "
        "http://127.0.0.1:8080 (make prod)",
    )
    return parser.parse_args()


def main() -> None:
    args = arguments()
    database_url = os.environ.setdefault("DATABASE_URL", DEFAULT_BENCH_DB)
    subprocess.run(
        [
            sys.executable,
            str(Path(__file__).parent / "generate_financing.py"),
            "--products",
            str(args.products),
            "--applications",
            str(args.applications),
        ],
        check=True,
        env={k: v for k, v in os.environ.items() if k != "REDIS_URL"},
    )
    # This process writes during the run through the same database and cache.
    os.environ.update(SETTINGS, REDIS_URL=args.redis_url)
    setup_django()
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from products.models import Institution

    bank_user = User.objects.get(email="bank@example.com")
    token, _ = Token.objects.get_or_create(user=bank_user)
    institution = Institution.objects.get(memberships__user=bank_user).pk
    params = connection.get_connection_params()
    dsn = " ".join(
        f"{k}={v}"
        for k, v in params.items()
        if k in ("dbname", "user", "host", "port", "password") and v
    )
    # Creates the product it toggles before anything is counted.
    Writer(per_second=1).warm_up()
    connection.close()

    env = {**os.environ, "DATABASE_URL": database_url, "BENCH_DSN": dsn}
    routes = [Route("direct", "127.0.0.1", PORTAL_PORT, BARE_PORT)]
    with ExitStack() as stack:
        # Both sides run under the same server settings.
        for app, port, cwd in (
            ("ipfin.wsgi:application", PORTAL_PORT, ROOT),
            ("bare_app:application", BARE_PORT, Path(__file__).parent),
        ):
            process = start(app, port, env, args, cwd)
            stack.callback(stop, process)
        if not args.no_nginx:
            stack.enter_context(
                front_proxy({NGINX_PORTAL_PORT: PORTAL_PORT, NGINX_BARE_PORT: BARE_PORT})
            )
            routes.append(Route("nginx", "127.0.0.1", NGINX_PORTAL_PORT, NGINX_BARE_PORT))
        if args.target:
            routes.append(target_route(args.target))
        endpoints = plan(institution, {"Authorization": f"Token {token.key}"})
        rows = run(args, endpoints, routes)
    report(args, rows, routes)


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def plan(institution: int, auth: dict[str, str]) -> list[Endpoint]:
    """The two endpoints, their varied queries (every page counted on the bare
    app), and whether portal and bare answer a sample of them alike."""

    def counter(bare_path: str, base: Query) -> Any:
        return lambda query: fetch(BARE_PORT, address(bare_path, base + query), {})["count"]

    queue_base: Query = [("institution", str(institution))]
    endpoints = [
        Endpoint(
            label="catalogue",
            portal_path="/api/v1/products/",
            portal_base=[],
            bare_path="/catalogue",
            bare_base=[],
            headers={},
            varied=catalogue_queries(counter("/catalogue", [])),
        ),
        Endpoint(
            label="application queue",
            portal_path="/api/v1/applications/",
            portal_base=[("side", "institution")],
            bare_path="/queue",
            bare_base=queue_base,
            headers=auth,
            varied=queue_queries(counter("/queue", queue_base)),
        ),
    ]
    for endpoint in endpoints:
        queries = endpoint.varied
        sample = [[], *queries[:: max(1, len(queries) // 6)]]
        for query in sample:
            portal = fetch(PORTAL_PORT, portal_address(endpoint, query), endpoint.headers)
            bare = fetch(BARE_PORT, bare_address(endpoint, query), {})
            if without_links(portal) != without_links(bare):
                raise SystemExit(
                    f"{endpoint.label}: the portal and the bare app answer "
                    f"{address('', query)} differently"
                )
        print(
            f"{endpoint.label}: {len(queries):,} varied addresses; the portal's and the bare "
            f"app's answers to {len(sample)} of them are the same"
        )
    return endpoints


def portal_address(endpoint: Endpoint, query: Query, prefix: str = "") -> str:
    return prefix + address(endpoint.portal_path, endpoint.portal_base + query)


def bare_address(endpoint: Endpoint, query: Query) -> str:
    return address(endpoint.bare_path, endpoint.bare_base + query)


def run(args: argparse.Namespace, endpoints: list[Endpoint], routes: list[Route]) -> list[Row]:
    rows: list[Row] = []
    print(
        f"\n{args.clients} clients, {args.seconds:.0f} s a row, gunicorn {args.workers} "
        f"{args.worker_class} workers"
        f"{f' × {args.threads} threads' if args.worker_class == 'gthread' else ''}, "
        f"PostgreSQL, Redis as the cache; varied rows with {args.writes_per_second:g} "
        "writes/s\n"
    )
    for endpoint in endpoints:
        for requests in ("varied", "same address"):
            queries = endpoint.varied if requests == "varied" else [[]]
            for route in routes:
                sides: list[tuple[str, int, list[str], dict[str, str]]] = [
                    (
                        "portal",
                        route.portal_port,
                        [portal_address(endpoint, q, route.prefix) for q in queries],
                        endpoint.headers,
                    )
                ]
                if route.bare_port is not None:
                    sides.append(
                        (
                            "bare WSGI",
                            route.bare_port,
                            [bare_address(endpoint, q) for q in queries],
                            {},
                        )
                    )
                for side, port, paths, headers in sides:
                    writer = None
                    if requests == "varied":
                        writer = Writer(per_second=args.writes_per_second)
                        writer.start()
                    result = drive(
                        label=f"{endpoint.label}: {requests}, {route.name}, {side}",
                        host=route.host,
                        port=port,
                        path=paths,
                        headers=headers,
                        clients=args.clients,
                        seconds=args.seconds,
                    )
                    if writer is not None:
                        writer.stop()
                    rows.append(Row(endpoint.label, requests, route.name, side, result))
                    print(result.line() + (f"  ({writer.summary()})" if writer else ""))
    return rows


def report(args: argparse.Namespace, rows: list[Row], routes: list[Route]) -> None:
    """The table, then the ratios of requests per second and the verdict."""
    print(
        f"\n{'endpoint':<18} {'requests':<13} {'route':<7} {'side':<10} {'req/s':>8} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'addresses':>10}"
    )
    for row in rows:
        r = row.result
        print(
            f"{row.endpoint:<18} {row.requests:<13} {row.route:<7} {row.side:<10} "
            f"{r.rps:8.1f} {r.percentile(50):8.1f} {r.percentile(99):8.1f} {r.errors:7d} "
            f"{r.addresses:10,d}"
        )
    found = {(r.endpoint, r.requests, r.route, r.side): r.result for r in rows}

    def ratio(top: tuple[str, str, str], bottom: tuple[str, str, str], endpoint: str) -> str:
        """Requests per second of one row over another's (requests, route, side)."""
        a, b = found.get((endpoint, *top)), found.get((endpoint, *bottom))
        return f"{a.rps / b.rps:.2f}" if a and b and b.rps else "—"

    print("\nratios of requests per second")
    endpoints = list(dict.fromkeys(r.endpoint for r in rows))
    for endpoint in endpoints:
        for route in routes:
            name = route.name
            parts = [
                "portal varied/same address "
                + ratio(("varied", name, "portal"), ("same address", name, "portal"), endpoint)
            ]
            if route.bare_port is not None:
                parts += [
                    f"portal/bare, {requests} "
                    + ratio((requests, name, "portal"), (requests, name, "bare WSGI"), endpoint)
                    for requests in ("varied", "same address")
                ]
            print(f"  {endpoint}, {name}: " + "; ".join(parts))
        for route in routes[1:]:
            parts = [
                f"{requests} "
                + ratio((requests, route.name, "portal"), (requests, "direct", "portal"), endpoint)
                for requests in ("varied", "same address")
            ]
            print(f"  {endpoint}, portal {route.name}/direct: " + "; ".join(parts))
    verdicts = []
    print("\ntarget, varied requests served directly: portal/bare ≥ 0.50 and portal p99 < 50 ms")
    for endpoint in endpoints:
        portal = found[(endpoint, "varied", "direct", "portal")]
        bare = found[(endpoint, "varied", "direct", "bare WSGI")]
        share = portal.rps / bare.rps if bare.rps else 0.0
        ok = share >= 0.5 and portal.percentile(99) < 50 and not portal.errors
        verdicts.append(ok)
        print(
            f"  {endpoint}: portal/bare {share:.2f}, p99 {portal.percentile(99):.1f} ms, "
            f"errors {portal.errors} → {'met' if ok else 'NOT met'}"
        )
    print("all targets met" if all(verdicts) else "some targets not met")


if __name__ == "__main__":
    main()
