"""A schema-driven property test of the whole API (schemathesis): every
operation, called with inputs generated from /api/schema/ (valid and invalid
ones), as a visitor and as each role, answers only what the schema documents,
in the documented shape, and never 500. Any failure it finds is a bug in the
API or in its schema.

It runs in every `make test`, on SQLite and on PostgreSQL, so it is kept
short and certain: a few examples per operation, drawn from a fixed seed, so
that a run finds the same inputs every time and never flakes."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User
from ipfin.wsgi import application

# Examples generated per operation; each is sent by every actor below.
EXAMPLES = 3

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 2020,
        "generation": {"mode": "all", "deterministic": True, "database": "none"},
        "phases": {
            # The schema's own examples, then generated inputs. The coverage
            # phase (every boundary of every field) would take minutes.
            "examples": {"enabled": True},
            "coverage": {"enabled": False},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
    }
)

# Every operation of the schema is tested: none is left out.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)

ROLES = {
    "visitor": None,
    "enterprise": "enterprise@example.com",
    "bank": "bank@example.com",
    "park": "park@example.com",
    "regulator": "zhejiang.regulator@example.com",
}

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def no_background_work():
    """Reports, imports and schedules are queued, not run: their work is
    tested elsewhere, and here it would only slow every example down."""
    from ipfin.celery import app

    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


@pytest.fixture
def connection_kept_open():
    """Requests go through the real WSGI handler, which closes the database
    connection around each request: on PostgreSQL that would end the test's
    transaction. Django's test client holds these signals off the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def actors(db, no_background_work, connection_kept_open) -> dict[str, dict[str, str]]:
    """Each actor's headers: none for the visitor, a token for each role.
    Each operation starts with no request counted against the rate limits,
    so that it is the operation that answers, not the throttle."""
    from rest_framework.authtoken.models import Token

    cache.clear()
    headers: dict[str, dict[str, str]] = {}
    for role, email in ROLES.items():
        if email is None:
            headers[role] = {}
            continue
        token, _ = Token.objects.get_or_create(user=User.objects.get(email=email))
        headers[role] = {"Authorization": f"Token {token.key}"}
    return headers


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_the_api_answers_as_its_schema_says(case, actors):
    # What the schema promises: no 500, only documented statuses, content
    # types and bodies. (Whether generated input is accepted depends on the
    # portal's rules, which no schema states: not checked.)
    for headers in actors.values():
        case.call_and_validate(headers=headers, checks=CHECKS)
