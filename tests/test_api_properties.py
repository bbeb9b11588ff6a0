"""A schema-driven property test of the whole API (schemathesis): every
operation, called with inputs generated from /api/schema/ (valid and invalid
ones), as a visitor and as each role, answers only what the schema documents,
in the documented shape, and never 500. Any failure it finds is a bug in the
API or in its schema.

It runs in every `make test`, on SQLite and on PostgreSQL, so it is kept
short and certain: a few examples per operation, drawn from a fixed seed, so
that a run finds the same inputs every time and never flakes."""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from django.apps import apps
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.hooks import HookContext
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


# Every operation of the schema is tested: none is left out. The schema is
# read at collection, before pytest-django turns DEBUG off: reading it with
# DEBUG on would load the URLconf with the development-only media route, and
# every later test in the process would see it.
with override_settings(DEBUG=False):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)

# Where a path names an object, generated values (which name nothing, so
# answer 404) alternate with the demo campaign's own objects, so that the
# bodies of found objects and of moves on them are checked too.
OBJECTS = {
    "applications": ("financing.Application", "pk"),
    "assets": ("enterprises.IPAsset", "pk"),
    "enterprises": ("enterprises.Enterprise", "pk"),
    "products": ("products.Product", "pk"),
    "registrations": ("events.Registration", "pk"),
    "meetings": ("events.Meeting", "pk"),
    "policies": ("knowledge.Policy", "pk"),
    "campaigns": ("events.Campaign", "slug"),
    "events": ("events.Event", "slug"),
}


def _demo_objects(path: str) -> st.SearchStrategy[dict[str, object]] | None:
    # Only a path that names one object, right after its collection.
    found = re.fullmatch(r"/api/v1/(?:[a-z-]+/)*?([a-z-]+)/\{(\w+)\}/[a-z-/]*", path)
    if found is None or found[1] not in OBJECTS:
        return None
    label, field = OBJECTS[found[1]]
    name = "id" if field == "pk" else field
    if found[2] != name:
        return None

    def values() -> st.SearchStrategy[dict[str, object]]:
        # Read when an example is drawn, inside the test's transaction.
        model = apps.get_model(label)
        rows = list(model.objects.order_by("pk").values_list(field, flat=True)[:5])
        return st.sampled_from([{name: value} for value in rows]) if rows else st.nothing()

    return st.deferred(values)


@schema.hook
def before_generate_path_parameters(
    context: HookContext, strategy: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    demo = _demo_objects(context.operation.path) if context.operation else None
    return strategy if demo is None else st.one_of(demo, strategy)


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
