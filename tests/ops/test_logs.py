"""Every request has an id, sent back as X-Request-ID; with LOG_FORMAT=json
each line is a JSON object naming it, and a task the request queued logs
under the same id, in-process or on a worker."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery import shared_task
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from accounts.models import User
from ipfin.celery import app
from ops.logs import JsonFormatter, request_id

ROOT = Path(__file__).resolve().parents[2]
HEX_ID = re.compile(r"[0-9a-f]{32}")
task_log = logging.getLogger("tests.ops.task")


@shared_task(name="tests.ops.say")
def say(words: str) -> None:
    task_log.info("said %s", words)


def queue_a_task(request: HttpRequest) -> HttpResponse:
    say.delay("hello")
    return HttpResponse("queued")


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the view broke")


urlpatterns = [path("queue/", queue_a_task), path("fail/", fail)]


class JsonLines:
    """What the request's and the task's loggers write, formatted as
    LOG_FORMAT=json formats it, one parsed object a line."""

    def __init__(self) -> None:
        self.stream = io.StringIO()

    def read(self) -> list[dict]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]


@pytest.fixture
def json_lines() -> Iterator[JsonLines]:
    lines = JsonLines()
    handler = logging.StreamHandler(lines.stream)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(name) for name in ("ipfin.requests", "django.request")]
    loggers.append(task_log)
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


def test_every_answer_carries_a_request_id_the_proxy_may_give():
    given = "0f3c8a1e5b7d4c2a9e6f1b3d5a7c9e1f"
    assert Client().get("/healthz/", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    uuid_given = "6f1e0b2c-3d4a-4b5c-8d7e-9f0a1b2c3d4e"
    assert Client().get("/healthz/", HTTP_X_REQUEST_ID=uuid_given)["X-Request-ID"] == uuid_given
    made = Client().get("/healthz/")["X-Request-ID"]
    assert HEX_ID.fullmatch(made)
    assert Client().get("/healthz/")["X-Request-ID"] != made


@pytest.mark.parametrize(
    "malformed",
    ["short", "has spaces in it", "x" * 200, "id\u2028with-a-line-break", "<script>1</script>"],
)
def test_a_malformed_incoming_id_is_replaced(malformed):
    answered = Client().get("/healthz/", HTTP_X_REQUEST_ID=malformed)["X-Request-ID"]
    assert HEX_ID.fullmatch(answered)


@pytest.mark.django_db
def test_a_request_line_names_the_path_status_duration_and_user(json_lines):
    client = Client()
    user = User.objects.get(email="bank@example.com")
    client.force_login(user)
    response = client.get("/api/v1/products/?page=1", HTTP_X_REQUEST_ID="req-00000001")
    assert response.status_code == 200
    Client().get("/api/v1/no-such-endpoint/", HTTP_X_REQUEST_ID="req-00000002")
    signed_in, visitor = [line for line in json_lines.read() if line["logger"] == "ipfin.requests"]
    assert signed_in["logger"] == "ipfin.requests"
    assert signed_in["level"] == "INFO"
    assert signed_in["message"] == "GET /api/v1/products/ 200"
    assert (signed_in["path"], signed_in["status"], signed_in["request_id"]) == (
        "/api/v1/products/",
        200,
        "req-00000001",
    )
    assert signed_in["user_id"] == user.pk
    assert signed_in["duration_ms"] > 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", signed_in["time"])
    assert (visitor["status"], visitor["request_id"], visitor["user_id"]) == (
        404,
        "req-00000002",
        None,
    )


@pytest.mark.urls(__name__)
def test_a_task_run_in_process_logs_under_its_request_id(json_lines):
    response = Client().get("/queue/")
    assert response.status_code == 200
    task_line, request_line = json_lines.read()
    assert task_line["message"] == "said hello"
    assert request_line["path"] == "/queue/"
    assert task_line["request_id"] == request_line["request_id"] == response["X-Request-ID"]


@pytest.mark.urls(__name__)
def test_an_error_is_logged_with_its_request_id_and_traceback(json_lines):
    response = Client(raise_request_exception=False).get("/fail/")
    assert response.status_code == 500
    lines = {line["logger"]: line for line in json_lines.read()}
    error = lines["django.request"]
    assert error["level"] == "ERROR"
    assert "RuntimeError: the view broke" in error["exc_info"]
    assert error["request_id"] == lines["ipfin.requests"]["request_id"] == response["X-Request-ID"]
    assert lines["ipfin.requests"]["status"] == 500
    # Once the answer is sent, the id is forgotten: lines outside a request carry none.
    assert request_id.get() is None


@pytest.fixture
def worker(monkeypatch):
    """A Celery worker on Redis in a thread of its own (it configures the
    logging again as it starts: json_lines is asked for after it)."""
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        yield


@pytest.mark.celery_worker
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")
@pytest.mark.urls(__name__)
def test_a_task_on_a_worker_logs_under_the_request_id_that_queued_it(worker, json_lines):
    response = Client().get("/queue/")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(json_lines.read()) < 2:
        time.sleep(0.1)
    lines = {line["logger"]: line for line in json_lines.read()}
    assert lines["tests.ops.task"]["message"] == "said hello"
    assert lines["tests.ops.task"]["request_id"] == response["X-Request-ID"]
    assert lines["ipfin.requests"]["request_id"] == response["X-Request-ID"]


def _log_a_warning(**environ: str) -> str:
    code = "import logging; logging.getLogger('ipfin.test').warning('careful: %s', '注意')"
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**{k: v for k, v in os.environ.items() if k != "LOG_FORMAT"}, **environ},
    )
    return done.stderr.strip().splitlines()[-1]


def test_plain_text_stays_the_default_and_log_format_json_writes_json():
    assert _log_a_warning() == "careful: 注意"
    line = json.loads(_log_a_warning(LOG_FORMAT="json"))
    assert (line["level"], line["logger"], line["message"]) == (
        "WARNING",
        "ipfin.test",
        "careful: 注意",
    )
    assert line["request_id"] is None
