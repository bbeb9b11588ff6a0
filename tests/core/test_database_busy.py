"""The embedded default (SQLite) holds a few concurrent writers, and a
database still locked after the busy timeout answers 503, not 500."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import Client

from accounts.models import User
from ipfin.settings import SQLITE_OPTIONS

WRITERS = 20


@pytest.fixture
def own_files(tmp_path, django_db_blocker):
    """SQLite files of the test's own, outside the test database."""
    with django_db_blocker.unblock():
        yield tmp_path


def _twenty_writers_at_once(
    path: Path, options: dict[str, Any], *, read_together: bool = False
) -> list[BaseException]:
    """Each writer does what a service does, in one transaction: read a row,
    then write it back changed; all twenty start together, each on its own
    connection, as twenty requests would. `read_together`: every writer has
    read before any writes, the overlap that busy moments bring (without it
    the threads may happen to run one after another)."""
    settings_dict = {
        **settings.DATABASES["default"],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": options,
        "CONN_MAX_AGE": 0,
        "TEST": {},
    }
    setup = DatabaseWrapper(settings_dict, "sqlite_setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE seats (id INTEGER PRIMARY KEY, taken INTEGER)")
        cursor.execute("INSERT INTO seats VALUES (1, 0)")
    setup.close()
    start = threading.Barrier(WRITERS)
    read = threading.Barrier(WRITERS, timeout=30)
    errors: list[BaseException] = []

    def write() -> None:
        # connections is per thread: this thread's "busy_sqlite" is its own.
        connections["busy_sqlite"] = connection = DatabaseWrapper(settings_dict, "busy_sqlite")
        start.wait()
        try:
            with transaction.atomic(using="busy_sqlite"), connection.cursor() as cursor:
                cursor.execute("SELECT taken FROM seats WHERE id = 1")
                (taken,) = cursor.fetchone()
                if read_together:
                    read.wait()
                cursor.execute("UPDATE seats SET taken = %s WHERE id = 1", [taken + 1])
        except OperationalError as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check = DatabaseWrapper(settings_dict, "sqlite_check")
    with check.cursor() as cursor:
        cursor.execute("SELECT taken FROM seats WHERE id = 1")
        (taken,) = cursor.fetchone()
    check.close()
    assert taken == WRITERS - len(errors)
    return errors


def test_twenty_simultaneous_writes_all_succeed_on_the_settings_sqlite(own_files):
    assert _twenty_writers_at_once(own_files / "demo.sqlite3", SQLITE_OPTIONS) == []


def test_without_those_settings_simultaneous_writes_fail_as_locked(own_files):
    # What the settings are for: SQLite's defaults lose writers.
    errors = _twenty_writers_at_once(own_files / "bare.sqlite3", {}, read_together=True)
    assert errors
    assert all("locked" in str(error) for error in errors)


def test_the_settings_put_sqlite_in_wal_mode(own_files):
    connection = DatabaseWrapper(
        {
            **settings.DATABASES["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(own_files / "wal.sqlite3"),
            "OPTIONS": SQLITE_OPTIONS,
            "TEST": {},
        },
        "sqlite_wal",
    )
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone() == (20_000,)
    connection.close()


LOCKED = OperationalError("database is locked")


@pytest.mark.django_db
def test_an_api_request_meeting_a_locked_database_answers_503_in_the_error_shape():
    client = Client()
    response = _locked(client, "/api/v1/policies/")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    body = response.json()
    assert body["code"] == "busy"
    assert body["detail"]


@pytest.mark.django_db
def test_a_page_meeting_a_locked_database_answers_a_503_page_in_the_language():
    client = Client()
    client.force_login(User.objects.get(email="enterprise@example.com"))
    response = _locked(client, "/zh-hans/knowledge/")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "系统繁忙" in response.content.decode()


def _locked(client: Client, url: str):
    """Every query the page or endpoint makes meets SQLite's lock error."""
    with mock.patch("django.db.models.sql.compiler.SQLCompiler.execute_sql", side_effect=LOCKED):
        return client.get(url)
