"""Writes that move an event's campaign figures (docs/figures.md) say so here.

The dashboards keep per-event rollups of those figures (registrations,
meetings, contracts, reported participants, parks and products). The
dashboards app sits above this one, so this app only announces the change:
after commit it sends `events.signals.event_figures_changed`, and the
dashboards connect their recount to it (README, "How lower apps tell higher
ones"). A rolled-back write announces nothing, and the recount reads only
committed rows. The recount is idempotent, so announcing twice in one
transaction costs time, never correctness.
"""

from __future__ import annotations

from django.db import transaction

from events.signals import event_figures_changed as figures_changed


def event_figures_changed(*, event_id: int | None) -> None:
    if event_id is None:
        return
    transaction.on_commit(lambda: figures_changed.send(sender=None, event_id=event_id))
