"""Reading which database a request's queries went to (the optional read
replica, core.db). The session's "replica" alias mirrors the test database on
a connection of its own (tests/conftest.py): it sees what is committed, such
as the demo campaign, and not what a test writes inside its transaction."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

# Tests that read the replica name both aliases.
BOTH = pytest.mark.django_db(databases=["default", "replica"])


@dataclass
class Tables:
    """The tables each connection read or wrote during the block."""

    default: set[str] = field(default_factory=set)
    replica: set[str] = field(default_factory=set)


def tables(context: CaptureQueriesContext) -> set[str]:
    found: set[str] = set()
    for query in context.captured_queries:
        found.update(re.findall(r'(?:FROM|JOIN|INTO|UPDATE)\s+"?(\w+)"?', query["sql"]))
    return found


@contextmanager
def tables_used() -> Iterator[Tables]:
    used = Tables()
    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(connections["replica"]) as on_replica,
    ):
        yield used
    used.default = tables(on_default)
    used.replica = tables(on_replica)
