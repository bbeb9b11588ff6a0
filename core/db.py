"""Which database a read goes to: the optional read replica
(DATABASE_REPLICA_URL, the "replica" alias) or "default".

Only the selectors that ask (`reading()`) read the replica, and only while a
request that has written nothing is served: a request whose method is not
safe, or one that has sent a write to "default" (the wrapper below sees every
statement), reads "default" from then on, so nobody reads past their own
write. Outside a request (tasks, commands) everything reads "default". There
is deliberately no database router: a read reaches the replica only where a
selector names it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# A statement that changes rows, or locks them to change them next.
_WRITE = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|CREATE|ALTER|DROP|TRUNCATE)\b|\bFOR\s+UPDATE\b",
    re.IGNORECASE,
)


@dataclass
class _Request:
    wrote: bool

    def note(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if not self.wrote and _WRITE.search(sql):
            self.wrote = True
        return execute(sql, params, many, context)


_request: ContextVar[_Request | None] = ContextVar("ipfin_replica_request", default=None)


def replica_configured() -> bool:
    return bool(settings.DATABASE_REPLICA_URL) and REPLICA in connections.settings


def reading() -> str:
    """The alias a selector reads from now: the replica in a request that has
    written nothing (when one is configured), else "default"."""
    request = _request.get()
    if request is None or request.wrote or not replica_configured():
        return DEFAULT_DB_ALIAS
    return REPLICA


@contextmanager
def request_reads(*, method: str) -> Iterator[None]:
    """The scope of one request for `reading()`: the replica is allowed for a
    safe method until the first write on "default"."""
    if not replica_configured():
        yield
        return
    state = _Request(wrote=method not in SAFE_METHODS)
    token = _request.set(state)
    try:
        with connections[DEFAULT_DB_ALIAS].execute_wrapper(state.note):
            yield
    finally:
        _request.reset(token)
