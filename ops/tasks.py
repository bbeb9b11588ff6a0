"""The workers' heartbeat, read by /readyz/ (ops.checks)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.signals import worker_ready

from ops import checks


@shared_task(name="ops.record_heartbeat", ignore_result=True)
def record_heartbeat() -> None:
    """Run by beat five times within the stale age (settings.HEARTBEAT_STALE_AFTER):
    a worker took a task from the broker just now."""
    checks.record_heartbeat()


@worker_ready.connect
def _heartbeat_on_start(**kwargs: Any) -> None:
    checks.record_heartbeat()
