"""/healthz/ says the process lives; /readyz/ says whether it can serve,
naming each check with its time, and answers 503 naming the one that fails."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db.utils import ConnectionHandler
from django.test import Client

from accounts.models import User
from ipfin.celery import app
from ops import checks
from ops.tasks import record_heartbeat

# /readyz/ checks every database, the read replica's alias included (a mirror in tests).
pytestmark = pytest.mark.django_db(databases=["default", "replica"])

CHECK_NAMES = ["database", "cache", "storage", "worker"]


@pytest.fixture(autouse=True)
def _probe_writes_in_a_scratch_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def real_workers(monkeypatch):
    """Tasks go to workers instead of running in-process."""
    monkeypatch.setitem(app.conf, "task_always_eager", False)


def test_healthz_answers_without_a_query_even_for_a_signed_in_browser(
    django_assert_num_queries,
):
    client = Client()
    client.force_login(User.objects.get(email="bank@example.com"))
    with django_assert_num_queries(0):
        response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    # No session, language or CSRF work: nothing set, nothing varied on.
    assert not response.cookies
    assert "Vary" not in response


def test_probes_answer_a_probe_that_dials_an_address_over_plain_http(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client(HTTP_HOST="10.0.0.7:8000")
    assert client.get("/healthz/").status_code == 200
    assert client.get("/readyz/").status_code == 200
    # Any other address still refuses an unknown host and redirects to HTTPS.
    assert Client().get("/").status_code == 301
    assert client.get("/").status_code == 400


def test_probes_answer_get_and_head_only():
    for path in ("/healthz/", "/readyz/"):
        assert Client().head(path).status_code == 200
        assert Client().post(path).status_code == 405


def test_readyz_names_every_check_with_its_time():
    response = Client().get("/readyz/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert list(body["checks"]) == CHECK_NAMES
    for answer in body["checks"].values():
        assert answer["status"] == "ok"
        assert isinstance(answer["ms"], int | float) and answer["ms"] >= 0
    # Tasks run in-process: no worker to wait for.
    assert body["checks"]["worker"]["detail"] == "eager"


def test_the_storage_probe_leaves_nothing_behind(tmp_path):
    assert Client().get("/readyz/").status_code == 200
    assert list(tmp_path.iterdir()) == []


def _broken_database(monkeypatch):
    # An alias whose database cannot be opened.
    broken = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "/no/such/folder/db"}}
    )
    monkeypatch.setattr(checks, "connections", broken)
    return "OperationalError"


def _broken_cache(monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("cache.example.com:6379 refused the connection")

    monkeypatch.setattr(cache, "set", refuse)
    return "ConnectionError"


def _broken_storage(monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("/srv/ipfin/media is read-only")

    monkeypatch.setattr(default_storage, "save", refuse)
    return "PermissionError"


def _no_worker(monkeypatch):
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    return "no worker heartbeat"


@pytest.mark.parametrize(
    ("name", "break_it"),
    [
        ("database", _broken_database),
        ("cache", _broken_cache),
        ("storage", _broken_storage),
        ("worker", _no_worker),
    ],
)
def test_a_failing_check_turns_readyz_into_503_naming_it(monkeypatch, name, break_it):
    detail = break_it(monkeypatch)
    response = Client().get("/readyz/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["failing"] == [name]
    assert body["checks"][name]["status"] == "error"
    # The public answer names the failure, never the hosts or paths behind it.
    assert body["checks"][name]["detail"] == detail
    others = [check for check in CHECK_NAMES if check != name]
    assert [body["checks"][other]["status"] for other in others] == ["ok"] * len(others)
    # The liveness probe does not care.
    assert Client().get("/healthz/").status_code == 200


def test_a_worker_heartbeat_keeps_readyz_ready_until_it_goes_stale(real_workers, settings):
    record_heartbeat()
    worker = Client().get("/readyz/").json()["checks"]["worker"]
    assert worker == {"status": "ok", "ms": worker["ms"], "detail": "last heartbeat 0 s ago"}

    cache.set(checks.HEARTBEAT_KEY, time.time() - settings.HEARTBEAT_STALE_AFTER - 5)
    response = Client().get("/readyz/")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["detail"] == (
        f"stale: last heartbeat {settings.HEARTBEAT_STALE_AFTER + 5} s ago"
    )


def test_beat_asks_for_a_heartbeat_well_within_the_stale_age(settings):
    (entry,) = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == record_heartbeat.name
    ]
    assert entry["schedule"] * 3 <= settings.HEARTBEAT_STALE_AFTER
    assert entry["options"]["expires"] <= entry["schedule"]


def test_the_stale_age_is_a_setting(real_workers, settings):
    settings.HEARTBEAT_STALE_AFTER = 10
    cache.set(checks.HEARTBEAT_KEY, time.time() - 15)
    response = Client().get("/readyz/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]

    cache.set(checks.HEARTBEAT_KEY, time.time() - 5)
    assert Client().get("/readyz/").status_code == 200
