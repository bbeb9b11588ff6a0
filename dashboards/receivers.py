"""The dashboards' answers to what lower apps announce (connected in apps.py)."""

from __future__ import annotations

from typing import Any

from dashboards.rollups import refresh_event_soon


def recount_event(*, event_id: int, **_: Any) -> None:
    """An event's figures changed (announced after commit): recount its
    rollups on a worker, once for the writes of the next few seconds."""
    refresh_event_soon(event_id=event_id)
