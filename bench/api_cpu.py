"""API cost per request: the catalogue and an institution's application queue
served in-process by the portal (the whole Django stack, through its WSGI
handler) and by the bare WSGI + psycopg2 app, measured in CPU time of this
process plus that of its PostgreSQL backends, in the same run.

    make bench-api          # runs this after api_throughput.py

Throughput on a shared machine swings with everyone else's load; CPU time per
request does not, so the ratio printed here is the steadier figure to compare
between runs. Run it after api_throughput.py (which fills the database)."""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from common import DEFAULT_BENCH_DB, setup_django

ENVIRONMENT = {
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-" + "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "API_THROTTLE_ANON": "10000000/minute",
    "API_THROTTLE_USER": "10000000/minute",
    "LOG_LEVEL": "WARNING",
}


def wsgi_get(app: Callable[..., Any], path: str, headers: dict[str, str]) -> str:
    """One GET through a WSGI app, as a server would make it; returns the status."""
    route, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": route,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8101",
        "HTTP_HOST": "127.0.0.1:8101",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()},
    }
    status: list[str] = []
    body = app(environ, lambda s, h: status.append(s))
    b"".join(body)
    return status[0]


def backend_seconds(pids: list[int]) -> float:
    """CPU seconds the PostgreSQL backends have used (the server runs on this machine)."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", DEFAULT_BENCH_DB)
    os.environ.update(ENVIRONMENT)
    os.environ.pop("REDIS_URL", None)
    setup_django()
    from django.core.cache import cache
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from ipfin.wsgi import application as portal
    from products.models import Institution

    bank_user = User.objects.get(email="bank@example.com")
    token, _ = Token.objects.get_or_create(user=bank_user)
    institution = Institution.objects.get(memberships__user=bank_user).pk
    params = connection.get_connection_params()
    os.environ["BENCH_DSN"] = " ".join(
        f"{k}={v}"
        for k, v in params.items()
        if k in ("dbname", "user", "host", "port", "password") and v
    )
    import bare_app

    def backends() -> list[int]:
        pids = []
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids.append(cursor.fetchone()[0])
        with bare_app.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids.append(cursor.fetchone()[0])
        return pids

    def cost(
        app: Callable[..., Any],
        path: str,
        headers: dict[str, str],
        before: Callable[[], Any] = lambda: None,
    ) -> tuple[float, float]:
        """Milliseconds of CPU per request: this process's, the database's."""
        for _ in range(20):
            before()
            assert wsgi_get(app, path, headers).startswith("200"), path
        pids = backends()
        cpu, db = time.process_time(), backend_seconds(pids)
        for _ in range(args.requests):
            before()
            wsgi_get(app, path, headers)
        app_ms = (time.process_time() - cpu) * 1000 / args.requests
        return app_ms, (backend_seconds(pids) - db) * 1000 / args.requests

    auth = {"Authorization": f"Token {token.key}"}
    endpoints = [
        ("catalogue", "/api/v1/products/", {}, "/catalogue"),
        (
            "application queue",
            "/api/v1/applications/?side=institution",
            auth,
            f"/queue?institution={institution}",
        ),
    ]
    print(f"\nCPU per request, in-process, {args.requests} requests each (app + PostgreSQL)\n")
    for label, portal_path, headers, bare_path in endpoints:
        costs = {
            "portal": cost(portal, portal_path, headers),
            "bare WSGI": cost(bare_app.application, bare_path, {}),
        }
        # The public catalogue page is cached (30 s, under the catalogue's
        # version): what a visitor costs when the page is not in the cache.
        missed = cost(portal, portal_path, headers, before=cache.clear)
        for side, (app_ms, db_ms) in {**costs, "portal, cache missed": missed}.items():
            print(
                f"{label + ': ' + side:<42} app {app_ms:6.2f} ms  database {db_ms:6.2f} ms  "
                f"total {app_ms + db_ms:6.2f} ms"
            )
        ratio = sum(costs["bare WSGI"]) / sum(costs["portal"])
        print(
            f"{label}: bare/portal CPU {ratio:.2f} (the portal/bare throughput ratio were CPU "
            "the only limit, before the server's and the clients' own share)\n"
        )


if __name__ == "__main__":
    main()
