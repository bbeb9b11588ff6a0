"""The dashboards' answers to what lower apps announce (connected in apps.py)."""

from __future__ import annotations

from typing import Any

from dashboards.tasks import refresh_event_rollups


def recount_event(*, event_id: int, **_: Any) -> None:
    """An event's figures changed: recount its rollups on a worker."""
    refresh_event_rollups.delay(event_id)
