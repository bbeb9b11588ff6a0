"""What /readyz/ checks: the database, the cache, the default storage and the
Celery workers' heartbeat. Each check returns a short detail or raises; an
exception is reported by its class name only (the probe is public), and
logged whole for the operator.

Workers prove they run by recording a heartbeat in the cache: the beat task
`ops.record_heartbeat` every fifth of settings.HEARTBEAT_STALE_AFTER
(CELERY_BEAT_SCHEDULE), and each worker as it starts. A heartbeat older than
HEARTBEAT_STALE_AFTER seconds fails the check. With tasks run in-process
(CELERY_TASK_ALWAYS_EAGER) there is no worker to wait for: the check answers
"eager" and passes.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "ops:worker-heartbeat"
# Kept well beyond the stale age, so a stopped worker reads "stale", not "none".
HEARTBEAT_KEPT = 24 * 3600


class CheckFailed(Exception):
    """A check that ran but found the service not ready; the message is public."""


def database() -> str:
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
    return ""


def cache_round_trip() -> str:
    key = f"ops:readyz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=30)
    read = cache.get(key)
    cache.delete(key)
    if read != "ok":
        raise CheckFailed("the cache did not return what was written")
    return ""


def storage() -> str:
    name = default_storage.save(f"readyz-probe-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)
    return ""


def record_heartbeat() -> None:
    cache.set(HEARTBEAT_KEY, time.time(), timeout=HEARTBEAT_KEPT)


def heartbeat_age() -> float | None:
    beat = cache.get(HEARTBEAT_KEY)
    return None if beat is None else time.time() - float(beat)


def worker() -> str:
    if current_app.conf.task_always_eager:
        return "eager"
    age = heartbeat_age()
    if age is None:
        raise CheckFailed("no worker heartbeat")
    if age > settings.HEARTBEAT_STALE_AFTER:
        raise CheckFailed(f"stale: last heartbeat {age:.0f} s ago")
    return f"last heartbeat {age:.0f} s ago"


CHECKS: dict[str, Callable[[], str]] = {
    "database": database,
    "cache": cache_round_trip,
    "storage": storage,
    "worker": worker,
}


@dataclass(frozen=True)
class Result:
    name: str
    ok: bool
    ms: float
    detail: str

    def as_json(self) -> dict[str, object]:
        answer: dict[str, object] = {"status": "ok" if self.ok else "error", "ms": self.ms}
        if self.detail:
            answer["detail"] = self.detail
        return answer


def run(name: str) -> Result:
    started = time.perf_counter()
    try:
        detail, ok = CHECKS[name](), True
    except CheckFailed as failed:
        detail, ok = str(failed), False
        logger.warning("readiness check %s failed: %s", name, failed)
    except Exception as exc:
        detail, ok = type(exc).__name__, False
        logger.exception("readiness check %s failed", name)
    ms = round((time.perf_counter() - started) * 1000, 1)
    return Result(name=name, ok=ok, ms=ms, detail=detail)


def run_all() -> list[Result]:
    return [run(name) for name in CHECKS]
