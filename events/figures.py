"""Writes that move an event's figures (docs/figures.md) say so here.

The dashboards keep per-event rollups of those figures (registrations,
meetings, contracts, reported participants, parks and products). The
dashboards app sits above this one, so the recount is asked for by its Celery
task's name, after commit: a rolled-back write asks for nothing, and the
recount reads only committed rows. The recount is idempotent, so asking twice
in one transaction costs time, never correctness.
"""

from __future__ import annotations

from celery import current_app
from django.db import transaction

REFRESH_TASK = "dashboards.refresh_event_rollups"


def event_figures_changed(*, event_id: int | None) -> None:
    if event_id is None:
        return
    transaction.on_commit(
        lambda: current_app.signature(REFRESH_TASK, args=[event_id]).apply_async()
    )
