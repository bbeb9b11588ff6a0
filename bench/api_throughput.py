"""API throughput: the catalogue and an institution's application queue served
by the portal through gunicorn, next to a bare WSGI + psycopg2 app answering the
same JSON, on the same PostgreSQL data, in the same run.

    make bench-api          # or: python bench/api_throughput.py

Data: 10,000 products and 1,000,000 applications (bench/generate_financing.py
tops the database up on first use). Each endpoint is driven by 4 concurrent
clients on keep-alive connections; the run prints requests per second, p50 and
p99 latency, and the portal/bare ratio. Target: ratio ≥ 0.5 and p99 < 50 ms."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from common import DEFAULT_BENCH_DB, ROOT, LoadResult, drive, setup_django

PORTAL_PORT, BARE_PORT = 8101, 8102
VENV_BIN = Path(sys.executable).parent


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    parser.add_argument("--threads", type=int, default=2, help="per worker (gthread only)")
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--applications", type=int, default=1_000_000)
    args = parser.parse_args()

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
    )
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
    connection.close()

    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "API_THROTTLE_ANON": "10000000/minute",
        "API_THROTTLE_USER": "10000000/minute",
        "LOG_LEVEL": "WARNING",
        "BENCH_DSN": dsn,
    }
    env.pop("REDIS_URL", None)
    # Both sides run under the same server settings.
    portal = start("ipfin.wsgi:application", PORTAL_PORT, env, args, ROOT)
    bare = start("bare_app:application", BARE_PORT, env, args, Path(__file__).parent)
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
    try:
        print(
            f"\n{args.clients} clients, {args.seconds:.0f} s each, gunicorn "
            f"{args.workers} {args.worker_class} workers"
            f"{f' × {args.threads} threads' if args.worker_class == 'gthread' else ''}, "
            "PostgreSQL\n"
        )
        verdicts = []
        for label, portal_path, headers, bare_path in endpoints:
            same = without_links(fetch(PORTAL_PORT, portal_path, headers)) == without_links(
                fetch(BARE_PORT, bare_path, {})
            )
            results: list[LoadResult] = [
                drive(
                    label=f"{label}: portal",
                    host="127.0.0.1",
                    port=PORTAL_PORT,
                    path=portal_path,
                    headers=headers,
                    clients=args.clients,
                    seconds=args.seconds,
                ),
                drive(
                    label=f"{label}: bare WSGI",
                    host="127.0.0.1",
                    port=BARE_PORT,
                    path=bare_path,
                    clients=args.clients,
                    seconds=args.seconds,
                ),
            ]
            for result in results:
                print(result.line())
            ratio = results[0].rps / results[1].rps if results[1].rps else 0.0
            p99 = results[0].percentile(99)
            ok = ratio >= 0.5 and p99 < 50 and same
            verdicts.append(ok)
            print(
                f"{label}: portal/bare {ratio:.2f} (target ≥ 0.50), portal p99 {p99:.1f} ms "
                f"(target < 50), same JSON: {'yes' if same else 'NO'} → "
                f"{'met' if ok else 'NOT met'}\n"
            )
        print("all targets met" if all(verdicts) else "some targets not met")
    finally:
        for process in (portal, bare):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
