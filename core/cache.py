"""Version numbers for cached reads: a cached page or count is stored under
the version of the data it shows, and a write moves the version on after its
transaction commits, so the next read misses and sees the change."""

from __future__ import annotations

import contextlib
import hashlib
import time

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.models import QuerySet


def cache_version(key: str) -> int:
    """The current version under `key`. One lost from the cache restarts from
    the clock, above any number used before, so no old entry comes back."""
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns() // 1000, timeout=None)
        version = cache.get(key, 0)
    return int(version)


def next_version_on_commit(key: str) -> None:
    """Move the version on once the current transaction commits. Not before:
    a reader in between would cache the old rows under the new version."""
    transaction.on_commit(lambda: _next_version(key))


def _next_version(key: str) -> None:
    # Not cached (ValueError): the next reader starts a version above every old one.
    with contextlib.suppress(ValueError):
        cache.incr(key)


def cached_count(
    queryset: QuerySet, *, version_key: str, timeout: int, key: str | None = None
) -> int:
    """How many rows the queryset holds, cached under the version at
    `version_key` and `key` (by default a digest of the count's SQL): counting
    tens of thousands of rows for a list costs more than reading its page."""
    if key is None:
        try:
            sql, params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            return 0
        key = hashlib.sha256(repr((sql, params)).encode()).hexdigest()
    versioned = f"count:{version_key}:{cache_version(version_key)}:{key}"
    count = cache.get(versioned)
    if not isinstance(count, int):  # not cached (or expired)
        count = queryset.count()
        cache.set(versioned, count, timeout)
    return count
