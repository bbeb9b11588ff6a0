from __future__ import annotations

from celery import shared_task

from matching.services import schedule_compute


@shared_task(acks_late=True)
def compute_schedule(schedule_id: int) -> str:
    """Compute an event's meeting schedule. Idempotent: a schedule that is no
    longer queued (done, or taken by another worker) is left as it is."""
    return schedule_compute(schedule_id=schedule_id).status
