from __future__ import annotations

from celery import shared_task

from dashboards.rollups import rebuild_all, refresh_pending_event


@shared_task(name="dashboards.refresh_event_rollups")
def refresh_event_rollups(event_id: int) -> None:
    """Bring the dashboard's rollups up to date with one event's rows.
    Idempotent: it recomputes the event's share, so a repeat changes nothing.
    Queued, once for a burst of writes, when the events app announces
    `event_figures_changed` (dashboards.receivers, rollups.refresh_event_soon)."""
    refresh_pending_event(event_id=event_id)


@shared_task(name="dashboards.rebuild_rollups")
def rebuild_rollups() -> dict[str, int]:
    """Run nightly by Celery beat (settings.CELERY_BEAT_SCHEDULE): rebuilds every
    rollup from the rows, repairing what a lost refresh or a deleted event left
    behind. The same as `manage.py rebuild_rollups`."""
    return rebuild_all()
