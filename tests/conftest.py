from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test.utils import override_settings


def pytest_configure(config: pytest.Config) -> None:
    # Hashing passwords properly is slow by design; tests don't need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _own_redis_database_per_worker()
    _replica_mirrors_the_test_database()
    # Pages are tested in Chinese too, so the catalogues must be compiled.
    call_command("compile_translations", verbosity=0)


def _replica_mirrors_the_test_database() -> None:
    """The read replica's alias exists in every session, as Django's test
    mirror of the test database (a second connection to it: it sees what is
    committed, such as the demo campaign). Nothing reads it unless a test
    sets DATABASE_REPLICA_URL (tests/core/test_replica.py)."""
    if "replica" not in settings.DATABASES:
        default = settings.DATABASES["default"]
        settings.DATABASES["replica"] = {**default, "TEST": {"MIRROR": "default"}}


def _replica_reads_without_the_write_lock() -> None:
    """On SQLite the mirror shares the in-memory test database, and each test
    opens a transaction on it too: a deferred one, as the default connection
    already holds the write lock (IMMEDIATE). Its constraints are the default
    connection's, checked there when a test ends: checking them again through
    the mirror would read the tables the test is writing."""
    replica = connections["replica"]
    if replica.vendor == "sqlite":
        options = {**replica.settings_dict["OPTIONS"], "transaction_mode": "DEFERRED"}
        replica.settings_dict = {**replica.settings_dict, "OPTIONS": options}
        replica.features.can_defer_constraint_checks = False


def _own_redis_database_per_worker() -> None:
    """Under pytest-xdist (`-n 2`) each worker process takes its own Redis
    database, so one worker's `cache.clear()` or Celery queue never reaches
    another's: gw0 the next database after REDIS_URL's, gw1 the one after."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not settings.REDIS_URL or not worker.startswith("gw"):
        return
    parts = urlsplit(settings.REDIS_URL)
    database = int(parts.path.strip("/") or 0) + 1 + int(worker[2:])
    url = urlunsplit(parts._replace(path=f"/{database}"))
    cache = {**settings.CACHES["default"], "LOCATION": url}
    # override_settings tells Django's cache handler to forget its connections.
    override_settings(CACHES={**settings.CACHES, "default": cache}).enable()
    from ipfin.celery import app

    # Items, not attributes: the settings' attributes are read-only properties.
    app.conf["broker_url"] = url
    app.conf["result_backend"] = url


@contextmanager
def _tasks_in_process() -> Iterator[None]:
    """Tasks the session's shared data causes (the search index's refresh
    after each save) run as the data is written, as in every test: with
    Redis there is no worker to take them from the queue."""
    from ipfin.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the demo campaign, loaded once per session:
    its figures are the portal's acceptance test, and most tests build on it."""
    _replica_reads_without_the_write_lock()
    with django_db_blocker.unblock(), _tasks_in_process():
        call_command("seed_campaign", verbosity=0)
    yield
    # Django drops the test database once its own connection is closed; the
    # mirror's is a second one.
    connections["replica"].close()


def _load_reference_and_demo_data() -> None:
    """What a flush takes away: the rows data migrations load, and the demo campaign."""
    import importlib

    from django.apps import apps

    for module in ("core.migrations.0002_reference_data", "events.migrations.0002_event_kinds"):
        importlib.import_module(module).load(apps, None)
    call_command("seed_campaign", verbosity=0)


@pytest.fixture(autouse=True)
def _data_back_after_a_flush(request: pytest.FixtureRequest, django_db_blocker):
    """Transactional tests (run last) flush the database when they end; the
    next one finds the reference data and the demo campaign loaded again."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        from core.models import Province

        with django_db_blocker.unblock():
            if not Province.objects.exists():
                _load_reference_and_demo_data()
    yield


@pytest.fixture
def replica(settings):
    """The read replica turned on: the session's "replica" alias, a mirror of
    the test database, is read where a replica would be (core.db)."""
    settings.DATABASE_REPLICA_URL = "postgres://replica.example.com/ipfin"


@pytest.fixture(autouse=True)
def _eager_celery(request: pytest.FixtureRequest):
    """Tasks run in-process unless a test asks for the real worker."""
    from ipfin.celery import app

    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def pytest_report_header(config: pytest.Config) -> list[str]:
    from ipfin.celery import app

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = "eager" if app.conf.task_always_eager else app.conf.broker_url
    return [f"ipfin: database {engine}, celery {broker}"]


@pytest.fixture(scope="session")
def world(django_db_setup, django_db_blocker):
    """The permission table's objects, built once on top of the demo campaign."""
    from tests.permissions import build_world

    with django_db_blocker.unblock(), _tasks_in_process():
        return build_world()


@pytest.fixture(autouse=True, scope="session")
def _no_code_written_into_pages():
    """Every HTML page that any test renders through the test client is read
    for inline script and style, which the Content-Security-Policy refuses
    (tests/page_policy.py): a template's rarer branches are caught too."""
    from django.test.client import Client

    from tests.page_policy import inline_code, is_html_page

    original = Client.request

    def request(self: Client, **request: object):
        response = original(self, **request)
        if is_html_page(response):
            found = inline_code(response.content.decode())
            where = f"{request.get('REQUEST_METHOD')} {request.get('PATH_INFO')}"
            assert found == [], f"{where} writes code into the page, which the CSP refuses: {found}"
        return response

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "request", request)
        yield


@pytest.fixture(autouse=True, scope="session")
def _test_clients_ask_for_english():
    """A browser that names no language gets Chinese (accounts/middleware.py);
    the test client names none, so it asks for English unless a test says
    otherwise (HTTP_ACCEPT_LANGUAGE=… or headers={"accept-language": …})."""
    from django.test.client import RequestFactory

    original = RequestFactory._base_environ  # type: ignore[attr-defined]

    def _base_environ(self: RequestFactory, **request: object):
        if "HTTP_ACCEPT_LANGUAGE" not in request and "HTTP_ACCEPT_LANGUAGE" not in self.defaults:
            request["HTTP_ACCEPT_LANGUAGE"] = "en"
        return original(self, **request)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RequestFactory, "_base_environ", _base_environ)
        yield


@pytest.fixture(autouse=True)
def _default_language_between_tests():
    """A test that activates a language leaves the next one in the default."""
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttling and lock-out counters live in the cache: start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
