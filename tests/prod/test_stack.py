"""`make prod` as an operator runs it: the whole stack (nginx, gunicorn,
PgBouncer, the Celery workers and beat) on a fresh PostgreSQL database, used
through nginx as a user would, then the workers stopped and /readyz/ saying so.

It needs PostgreSQL and Redis, so it runs on .ci/run's PostgreSQL pass, which
sets IPFIN_PROD_STACK=1; anywhere else it is skipped with the reason. It
starts and stops the stack itself, and drops its database afterwards.
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import boto3
import pytest
import requests
from django.conf import settings

from core.limits import REQUEST_BODY_MAX_BYTES
from core.validators import make_patent_number

ROOT = Path(__file__).resolve().parent.parent.parent
BASE = "http://127.0.0.1:8080"
# The heartbeat goes stale this fast here, so the stopped workers show quickly;
# beat asks for one every fifth of it while they run.
STALE_AFTER = 10

pytestmark = [
    pytest.mark.prod,
    pytest.mark.skipif(
        os.environ.get("IPFIN_PROD_STACK") != "1",
        reason="the production stack runs on .ci/run's PostgreSQL pass (IPFIN_PROD_STACK=1)",
    ),
]


def _run(args: list[str], env: dict[str, str], timeout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def _stack_redis_url() -> str:
    """A Redis database of the stack's own: the tests empty this test worker's
    (tests/conftest.py) before each test, heartbeat and queues included."""
    url = urlsplit(settings.REDIS_URL)
    own = (int(url.path.strip("/") or 0) + 8) % 16
    return urlunsplit(url._replace(path=f"/{own}"))


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        pytest.skip("make prod needs PostgreSQL: set DATABASE_URL")
    name = f"ipfin_prod_{uuid.uuid4().hex[:10]}"
    server = urlsplit(database_url)
    env = {
        **os.environ,
        "DATABASE_URL": urlunsplit(server._replace(path=f"/{name}")),
        "REDIS_URL": os.environ.get("IPFIN_PROD_REDIS_URL") or _stack_redis_url(),
        "PROD_RUN_DIR": str(tmp_path_factory.mktemp("prod")),
        "HEARTBEAT_STALE_AFTER": str(STALE_AFTER),
        # The demo regulator signs in with its password only.
        "IPFIN_REQUIRE_MFA": "false",
    }
    for variable in ("DEBUG", "SECRET_KEY", "CELERY_TASK_ALWAYS_EAGER", "ALLOWED_HOSTS"):
        env.pop(variable, None)
    started = _run(["make", "prod"], env, timeout=900)
    try:
        assert started.returncode == 0, started.stdout[-3000:] + started.stderr[-3000:]
        env["STARTED"] = started.stdout
        yield env
    finally:
        stopped = _run(["make", "prod-stop"], env, timeout=300)
        host = server.hostname or "127.0.0.1"
        _run(
            [
                "dropdb",
                "-h",
                host,
                "-p",
                str(server.port or 5432),
                "-U",
                server.username or "postgres",
                "--if-exists",
                name,
            ],
            env,
            timeout=120,
        )
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr


def sign_in(email: str) -> Any:
    """A browser's session, signed in through the sign-in form and its CSRF token."""
    session = requests.Session()
    form = session.get(f"{BASE}/accounts/sign-in/")
    assert form.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token, "the sign-in form carries a CSRF token"
    answer = session.post(
        form.url,
        data={
            "csrfmiddlewaretoken": token.group(1),
            "login": email,
            "password": settings.IPFIN_DEMO_PASSWORD,
        },
        headers={"Referer": form.url},
    )
    assert answer.status_code == 200
    assert "sessionid" in session.cookies
    return session


def csrf_of(session: Any, url: str) -> str:
    page = session.get(url)
    assert page.status_code == 200, url
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, url
    return token.group(1)


def readyz() -> tuple[int, dict[str, Any]]:
    answer = requests.get(f"{BASE}/readyz/", timeout=30)
    return answer.status_code, answer.json()


def stored_objects(stack: dict[str, str], prefix: str) -> list[bytes]:
    """The bodies of the stack's stored files under `prefix`, read from its
    object store with the key pair deploy/seaweedfs.sh gave the portal."""
    lines = (Path(stack["PROD_RUN_DIR"]) / "seaweedfs" / "s3.env").read_text().splitlines()
    s3 = dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
    client = boto3.client(
        "s3",
        endpoint_url=s3["S3_ENDPOINT_URL"],
        aws_access_key_id=s3["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=s3["S3_SECRET_ACCESS_KEY"],
        region_name=s3.get("S3_REGION", "us-east-1"),
    )
    listed = client.list_objects_v2(Bucket=s3["S3_BUCKET"], Prefix=prefix).get("Contents", [])
    return [
        client.get_object(Bucket=s3["S3_BUCKET"], Key=item["Key"])["Body"].read()
        for item in listed
    ]


def test_the_stack_serves_the_portal_through_nginx_until_its_workers_stop(stack):
    assert f"The portal:      {BASE}/" in stack["STARTED"]

    # Ready: every check named, with its time.
    status, body = readyz()
    assert status == 200, body
    assert list(body["checks"]) == ["database", "cache", "storage", "worker"]
    assert all(check["status"] == "ok" for check in body["checks"].values())

    # Served by nginx: a request id on every answer, static files cached for a year.
    home = requests.get(f"{BASE}/zh-hans/", timeout=30)
    assert home.status_code == 200
    assert home.headers["Server"] == "nginx"
    assert re.fullmatch(r"[0-9a-f]{32}", home.headers["X-Request-ID"])
    assert "Content-Security-Policy" in home.headers
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', home.text)
    assert stylesheet, "pages link the hashed names of the collected static files"
    css = requests.get(f"{BASE}{stylesheet.group(1)}", timeout=30)
    assert css.status_code == 200
    assert css.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert css.headers["X-Content-Type-Options"] == "nosniff"
    # Larger than any upload: nginx refuses it on its length, before reading it.
    too_large = http.client.HTTPConnection("127.0.0.1", 8080, timeout=30)
    too_large.putrequest("POST", "/accounts/sign-in/")
    too_large.putheader("Content-Length", str(REQUEST_BODY_MAX_BYTES + 1))
    too_large.endheaders()
    assert too_large.getresponse().status == 413
    too_large.close()

    # An enterprise imports its IP list.
    enterprise = sign_in("enterprise@example.com")
    import_page = f"{BASE}/zh-hans/enterprise/assets/import/"
    number = make_patent_number(2021, 1, 654_321)
    listing = f"kind,number,title\r\ninvention_patent,{number},Stack-tested sensor\r\n"
    imported = enterprise.post(
        import_page,
        data={"csrfmiddlewaretoken": csrf_of(enterprise, import_page)},
        files={"file": ("assets.csv", listing.encode(), "text/csv")},
        headers={"Referer": import_page},
    )
    assert imported.status_code == 200
    assert imported.url.endswith("/enterprise/assets/")
    assert number in imported.text

    # The regulator asks for a PDF report, which the reports worker builds.
    regulator = sign_in("regulator@example.com")
    report_page = f"{BASE}/reports/pdf/"
    asked = regulator.post(
        report_page,
        data={
            "csrfmiddlewaretoken": csrf_of(regulator, report_page),
            "campaign": "park-campaign-2020",
        },
        headers={"Referer": report_page},
    )
    assert asked.status_code == 200
    job = re.search(r"/reports/jobs/(\d+)/$", asked.url)
    assert job, asked.url
    download = f"{BASE}/reports/jobs/{job.group(1)}/download/"
    deadline = time.monotonic() + 240
    while (pdf := regulator.get(download)).status_code == 404 and time.monotonic() < deadline:
        time.sleep(1)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["Content-Disposition"]

    # The PDF came from the object store, through nginx's internal location,
    # which nobody may ask for directly.
    assert requests.get(f"{BASE}/_files/ipfin/", timeout=30).status_code == 404
    assert pdf.content in stored_objects(stack, prefix="media/jobs/results/")

    # Prometheus scrapes from this machine: gunicorn's processes added up, the
    # worker's task outcomes, the queues.
    metrics = requests.get(f"{BASE}/metrics/", timeout=30)
    assert metrics.status_code == 200
    assert re.search(
        r'django_http_responses_total_by_status_view_method_total\{[^}]*status="200"[^}]*\} [1-9]',
        metrics.text,
    )
    assert re.search(
        r'ipfin_celery_tasks_total\{[^}]*outcome="success"[^}]*task="[^"]*run_job"[^}]*\} [1-9]',
        metrics.text,
    ), metrics.text[-3000:]
    assert 'ipfin_celery_queue_length{queue="reports"}' in metrics.text

    # Every worker stopped: once the heartbeat is stale, /readyz/ names the worker.
    for worker in ("worker", "worker-reports"):
        pid = int((Path(stack["PROD_RUN_DIR"]) / "pids" / f"{worker}.pid").read_text())
        os.kill(pid, 15)
    deadline = time.monotonic() + STALE_AFTER + 90
    while (answer := readyz())[0] == 200 and time.monotonic() < deadline:
        time.sleep(1)
    status, body = answer
    assert status == 503
    assert body["failing"] == ["worker"]
    assert body["checks"]["worker"]["detail"].startswith("stale: last heartbeat")
    assert body["checks"]["database"]["status"] == "ok"
