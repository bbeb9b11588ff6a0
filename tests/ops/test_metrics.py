"""/metrics/: Prometheus's text for the operator's scraper, 404 for anyone
else; requests by view and status, queries, Celery's tasks and queues, and
the portal's own counters, each counted where the thing happens."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
from celery import shared_task
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.parser import text_string_to_metric_families

from accounts.models import User
from financing.models import Application
from financing.services import application_submit
from ipfin.celery import app
from reports.models import Job
from reports.services import job_give_up
from tests.financing.workflow import make_parties

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def scrape(client: Client | None = None) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample /metrics/ answers, by name and labels."""
    response = (client or Client()).get("/metrics/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return parse(response.content.decode())


def parse(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


# --- who may read it


def test_the_scraper_on_the_machine_itself_reads_the_metrics():
    response = Client(REMOTE_ADDR="127.0.0.1").get("/metrics/")
    assert response.status_code == 200
    assert b"# TYPE django_http_requests_latency_seconds_by_view_method histogram" in (
        response.content
    )
    assert Client(REMOTE_ADDR="::1").get("/metrics/").status_code == 200


def test_anyone_else_finds_nothing_there(settings):
    response = Client(REMOTE_ADDR="203.0.113.9").get("/metrics/")
    assert response.status_code == 404
    assert b"django_" not in response.content
    # Behind the proxy, the client it names is asked about, not the proxy.
    settings.TRUSTED_PROXY_COUNT = 1
    behind = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert behind.get("/metrics/").status_code == 404


def test_an_allowed_address_or_a_public_setting_opens_it(settings):
    client = Client(REMOTE_ADDR="10.0.0.5")
    settings.IPFIN_METRICS_ALLOWED_IPS = ["10.0.0.0/24"]
    assert client.get("/metrics/").status_code == 200
    settings.IPFIN_METRICS_ALLOWED_IPS = []
    assert client.get("/metrics/").status_code == 404
    settings.IPFIN_METRICS_PUBLIC = True
    assert client.get("/metrics/").status_code == 200


# --- what it counts


def test_requests_are_counted_by_view_and_status():
    before = scrape()
    Client().get("/")
    Client().get("/api/v1/no-such-endpoint/")
    after = scrape()
    name = "django_http_responses_total_by_status_view_method_total"
    for view, status in (("home", "200"), ("api-not-found", "404")):
        labels = {"method": "GET", "status": status, "view": view}
        assert value(after, name, **labels) == value(before, name, **labels) + 1
    latency = "django_http_requests_latency_seconds_by_view_method_count"
    assert value(after, latency, method="GET", view="home") >= 1


def test_database_queries_are_counted():
    vendor = {"alias": "default", "vendor": connection.vendor}
    before = scrape()
    list(User.objects.all()[:1])
    list(User.objects.all()[:1])
    after = scrape()
    executed = "django_db_execute_total"
    assert value(after, executed, **vendor) == value(before, executed, **vendor) + 2


@pytest.mark.parametrize("server_side_cursors", [True, False])
def test_queries_are_counted_with_or_without_server_side_cursors(monkeypatch, server_side_cursors):
    # Behind PgBouncer (transaction pooling) the portal turns server-side
    # cursors off; .iterator() then reads through a plain cursor.
    monkeypatch.setitem(
        connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", not server_side_cursors
    )
    labels = {"alias": "default", "vendor": connection.vendor}
    before = value(scrape(), "django_db_execute_total", **labels)
    emails = [user.email for user in User.objects.order_by("pk").iterator(chunk_size=5)]
    assert emails == list(User.objects.order_by("pk").values_list("email", flat=True))
    assert value(scrape(), "django_db_execute_total", **labels) >= before + 2


def test_an_application_moved_is_counted_by_the_status_it_moved_to(
    django_capture_on_commit_callbacks,
):
    parties = make_parties()
    application = Application.objects.create(
        enterprise=parties.enterprise,
        product=parties.product,
        institution=parties.product.institution,
        amount_requested=1_000_000,
        term_months=12,
    )
    labels = {"workflow": "application", "to_status": "submitted"}
    before = value(scrape(), "ipfin_status_moves_total", **labels)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, actor=parties.applicant)
    assert value(scrape(), "ipfin_status_moves_total", **labels) == before + 1


def test_a_failed_job_and_the_mail_telling_its_owner_are_counted(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "core.mail.CountingEmailBackend"
    settings.IPFIN_EMAIL_TRANSPORT = "django.core.mail.backends.locmem.EmailBackend"
    owner = User.objects.get(email="regulator@example.com")
    job = Job.objects.create(owner=owner, kind=Job.Kind.REPORT)
    before = scrape()
    with django_capture_on_commit_callbacks(execute=True):
        assert job_give_up(job=job) is True
    after = scrape()
    assert len(mail.outbox) == 1
    assert value(after, "ipfin_mails_sent_total") == value(before, "ipfin_mails_sent_total") + 1
    failed = {"kind": "report"}
    assert value(after, "ipfin_jobs_failed_total", **failed) == (
        value(before, "ipfin_jobs_failed_total", **failed) + 1
    )
    moved = {"workflow": "job", "to_status": "failed"}
    assert value(after, "ipfin_status_moves_total", **moved) == (
        value(before, "ipfin_status_moves_total", **moved) + 1
    )


@shared_task(name="tests.ops.flaky", bind=True, max_retries=1)
def flaky(self, outcome: str) -> str:
    if outcome == "retry":
        raise self.retry(countdown=0, exc=ValueError("try again"))
    if outcome == "failure":
        raise ValueError("broken")
    return "done"


def test_celery_tasks_are_counted_by_name_and_outcome(monkeypatch):
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    before = scrape()
    flaky.delay("success")
    flaky.delay("failure")
    flaky.delay("retry")
    after = scrape()
    name = "ipfin_celery_tasks_total"
    for outcome, more in (("success", 1), ("failure", 2), ("retry", 1)):
        labels = {"task": "tests.ops.flaky", "outcome": outcome}
        # The retried task fails again on its last try: one more failure.
        assert value(after, name, **labels) == value(before, name, **labels) + more, outcome


def test_without_redis_there_is_no_queue_length(monkeypatch):
    monkeypatch.setitem(app.conf, "broker_url", "memory://")
    assert not any(name == "ipfin_celery_queue_length" for name, _ in scrape())


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")
def test_queue_lengths_are_read_from_redis_at_scrape_time(monkeypatch):
    monkeypatch.setitem(app.conf, "broker_url", app.conf.broker_url)
    broker = redis.Redis.from_url(app.conf.broker_url)
    routes = {"accounts.tasks.*": {"queue": "mail"}, "reports.*": {"queue": "reports"}}
    monkeypatch.setitem(app.conf, "task_routes", routes)
    broker.delete("celery", "mail", "reports", "mail\x06\x169")
    try:
        broker.rpush("mail", "a", "b")
        broker.rpush("mail\x06\x169", "urgent")  # a message sent with priority 9
        broker.rpush("celery", "c")
        samples = scrape()
    finally:
        broker.delete("celery", "mail", "reports", "mail\x06\x169")
    name = "ipfin_celery_queue_length"
    assert value(samples, name, queue="mail") == 3
    assert value(samples, name, queue="celery") == 1
    assert (name, frozenset({("queue", "reports")})) in samples


# --- several gunicorn workers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_under_gunicorn_one_scrape_adds_up_every_worker(tmp_path):
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    port = _free_port()
    environ = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            "python:ops.gunicorn_hooks",
            "--workers",
            "3",
            "--bind",
            f"127.0.0.1:{port}",
            "ipfin.wsgi",
        ],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if _get(f"{base}/healthz/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        requests = 30
        # Several at once, so that several workers answer.
        with ThreadPoolExecutor(max_workers=6) as pool:
            answers = list(pool.map(_get, [f"{base}/api/v1/no-such-endpoint/"] * requests))
        assert [status for status, _ in answers] == [404] * requests
        status, body = _get(f"{base}/metrics/")
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
    assert status == 200
    samples = parse(body.decode())
    name = "django_http_responses_total_by_status_view_method_total"
    labels = {"method": "GET", "status": "404", "view": "api-not-found"}
    # The answers came from several processes, and one scrape counts them all.
    answered = [
        path
        for path in metrics_dir.glob("counter_*.db")
        if any(
            name in key and "api-not-found" in key and count > 0
            for key, count, *_ in MmapedDict.read_all_values_from_file(str(path))
        )
    ]
    assert len(answered) >= 2
    assert value(samples, name, **labels) == requests
