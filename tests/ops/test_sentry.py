"""Errors reach Sentry only when SENTRY_DSN is set: here a fake Sentry, an
HTTP server the test starts, receives what the SDK sends."""

from __future__ import annotations

import gzip
import importlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COOKIE = "zh-hans-secret-choice"

# A view that raises, asked through the WSGI application as gunicorn asks it:
# /readyz/ whose checks blow up; the request carries a
# cookie (given through the environment, so that it is not in the
# command line Sentry reports), which must not be sent.
FAILING_REQUEST = """
import os
from unittest import mock
from wsgiref.util import setup_testing_defaults
import sentry_sdk
from ipfin.wsgi import application
print("active", sentry_sdk.get_client().is_active())
environ = {"PATH_INFO": "/readyz/", "HTTP_COOKIE": os.environ["REQUEST_COOKIE"]}
setup_testing_defaults(environ)
answered = []
with mock.patch("ops.checks.run_all", side_effect=RuntimeError("readiness exploded")):
    application(environ, lambda status, headers, exc_info=None: answered.append(status))
print("status", answered[0])
sentry_sdk.flush(timeout=10)
"""


class FakeSentry(ThreadingHTTPServer):
    received: list[bytes]


class Handler(BaseHTTPRequestHandler):
    server: FakeSentry

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":  # the SDK's choice when brotli is installed
            body = importlib.import_module("brotli").decompress(body)
        self.server.received.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_sentry() -> Iterator[FakeSentry]:
    server = FakeSentry(("127.0.0.1", 0), Handler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def run_failing_request(**environ: str) -> str:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", FAILING_REQUEST],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**base, "REQUEST_COOKIE": f"django_language={COOKIE}", **environ},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_without_a_dsn_sentry_is_not_initialised_and_nothing_is_sent(fake_sentry):
    out = run_failing_request()
    assert "active False" in out
    assert "status 500" in out
    assert fake_sentry.received == []


def test_with_a_dsn_an_error_in_a_view_is_delivered_without_personal_data(fake_sentry):
    port = fake_sentry.server_address[1]
    out = run_failing_request(
        SENTRY_DSN=f"http://public-key@127.0.0.1:{port}/42",
        SENTRY_ENVIRONMENT="drill",
        SENTRY_RELEASE="ipfin@1.2.3",
    )
    assert "active True" in out
    assert "status 500" in out
    sent = b"\n".join(fake_sentry.received).decode()
    assert "RuntimeError" in sent
    assert "readiness exploded" in sent
    assert '"environment":"drill"' in sent.replace(" ", "")
    assert "ipfin@1.2.3" in sent
    assert '"url":"http://127.0.0.1/readyz/"' in sent.replace(" ", "")  # the request…

    assert COOKIE not in sent  # …without its cookies
