"""Calendar files (RFC 5545) for events, attached to confirmations and
offered for download."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.models import Event, Registration

PRODID = "-//ipfin//events//EN"


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def event_calendar(*, event: Event, registration: Registration | None = None) -> bytes:
    """One VEVENT for the event; with a registration, its check-in code and page.
    The UID stays the same for an event, so a calendar updates the entry it
    already holds when the file is opened again."""
    with translation.override(settings.LANGUAGE_CODE):
        page = _absolute(reverse("events:detail", args=[event.slug]))
        registration_page = (
            _absolute(reverse("events:registration", args=[registration.code]))
            if registration
            else ""
        )
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.pk}@ipfin")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.title)
    location = ", ".join(part for part in (event.venue, event.city) if part)
    if location:
        entry.add("location", location)
    lines = [event.description] if event.description else []
    if registration is not None:
        lines.append(_("Check-in code: %(code)s") % {"code": registration.code})
        lines.append(registration_page)
    lines.append(page)
    entry.add("description", "\n".join(lines))
    entry.add("url", page)
    entry.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    calendar.add_component(entry)
    ical: bytes = calendar.to_ical()
    return ical
