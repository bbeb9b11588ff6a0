"""An event's registrations by status, for its organisers' pages. (The event's
report with its figures (docs/figures.md) lives in `dashboards`, which counts contracts.)"""

from __future__ import annotations

from django.db.models import Count

from events.models import Event, Registration


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
