from __future__ import annotations

from celery import shared_task

from dashboards.rollups import refresh_for_event


@shared_task(name="dashboards.refresh_event_rollups")
def refresh_event_rollups(event_id: int) -> None:
    """Bring the dashboard's rollups up to date with one event's rows.
    Idempotent: it recomputes the event's share, so a repeat changes nothing.
    Apps below dashboards enqueue it by name, after commit:
    `app.signature("dashboards.refresh_event_rollups", args=[event_id]).apply_async()`."""
    refresh_for_event(event_id=event_id)
