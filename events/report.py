"""An event's report: the campaign figures of PRODUCT.md §5 for that one event."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from events.models import Event, Registration


def event_figures(*, event: Event) -> dict[str, Any]:
    """The §5 figures for the event. They count contracts, which live in
    `financing` above this app, so the one selector that computes them
    (`dashboards.selectors.campaign_figures`) is imported when a report is
    asked for, not when this app loads."""
    from dashboards.selectors import Scope, campaign_figures

    return campaign_figures(scope=Scope(event=event)).as_dict()


def attendance(*, event: Event) -> dict[str, int]:
    """Registrations by status, for the organiser's report and check-in screen."""
    counts = dict.fromkeys(Registration.Status.values, 0)
    for status, n in (
        Registration.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[status] = n
    return counts
