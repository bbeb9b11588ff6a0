"""Settings come from the environment: safe defaults for a newcomer, and
production values that pass Django's deployment checks."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV_KEYS = ("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ENV_KEYS}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks():
    result = run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="ipfin.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_development_defaults_fail_the_deployment_checks():
    # The insecure default key and DEBUG must never pass as production.
    result = run(["check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode != 0


def test_a_newcomer_gets_sqlite_and_in_process_tasks():
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE']); "
        "print(settings.CELERY_TASK_ALWAYS_EAGER)"
    )
    result = run(["shell", "-c", code])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["django.db.backends.sqlite3", "True"]


def test_database_and_redis_urls_switch_to_postgresql_and_a_real_broker():
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE']); "
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL)"
    )
    result = run(
        ["shell", "-c", code],
        DATABASE_URL="postgres://ipfin@db.example.com:5432/ipfin",
        REDIS_URL="redis://cache.example.com:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == [
        "django.db.backends.postgresql",
        "False",
        "redis://cache.example.com:6379/0",
    ]


def test_uploads_are_not_served_from_their_storage_address_even_in_development():
    # Application documents, licences and reports are private: under DEBUG too,
    # only the views that check who asks hand them out.
    probe = (
        "from django.conf import settings; from django.urls import Resolver404, resolve\n"
        "try:\n"
        "    resolve(settings.MEDIA_URL + 'applications/1/statement.pdf')\n"
        "    print('served')\n"
        "except Resolver404:\n"
        "    print('not served', settings.DEBUG)\n"
    )
    result = run(["shell", "-c", probe], DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "not served True"


def test_a_pooled_database_keeps_no_cursor_or_connection_across_transactions():
    code = (
        "from django.conf import settings; "
        "db = settings.DATABASES['default']; "
        "print(db.get('DISABLE_SERVER_SIDE_CURSORS', False), db['CONN_MAX_AGE'])"
    )
    url = "postgres://postgres@127.0.0.1:6432/ipfin"
    pooled = run(["shell", "-c", code], DATABASE_URL=url, DATABASE_POOLED="true", DEBUG="false")
    assert pooled.returncode == 0, pooled.stderr
    assert pooled.stdout.split()[-2:] == ["True", "0"]
    direct = run(["shell", "-c", code], DATABASE_URL=url, DEBUG="false")
    assert direct.stdout.split()[-2:] == ["False", "60"]


def test_the_loopback_stack_may_send_its_cookies_over_plain_http():
    code = (
        "from django.conf import settings; "
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
    )
    production = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50)}
    assert run(["shell", "-c", code], **production).stdout.split()[-2:] == ["True", "True"]
    loopback = run(["shell", "-c", code], SECURE_COOKIES="false", **production)
    assert loopback.stdout.split()[-2:] == ["False", "False"]
