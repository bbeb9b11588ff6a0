from __future__ import annotations

import smtplib
from typing import TYPE_CHECKING

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.calendar import event_calendar
from events.models import Registration
from events.services import registrant_recipients

if TYPE_CHECKING:
    from celery import Task

    from accounts.models import User


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def send_registration_confirmation(self: Task[[int], bool], registration_id: int) -> bool:
    """Email the confirmation of a place, with the event's calendar file.
    Idempotent: the row is locked and stamped, so a retried or duplicated task
    sends nothing the second time; a registration cancelled meanwhile gets none."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event", "enterprise", "institution", "registered_by")
            .filter(pk=registration_id)
            .first()
        )
        if (
            registration is None
            or registration.confirmation_sent_at is not None
            or registration.status != Registration.Status.CONFIRMED
        ):
            return False
        promoted = registration.history.filter(from_status=Registration.Status.WAITLISTED).exists()
        for user in registrant_recipients(registration):
            _send(registration, user, promoted=promoted)
        registration.confirmation_sent_at = timezone.now()
        registration.save(update_fields=["confirmation_sent_at"])
    return True


def _send(registration: Registration, user: User, *, promoted: bool) -> None:
    event = registration.event
    with translation.override(user.language):
        if promoted:
            subject = _("A place came free: you are registered for %(event)s")
        else:
            subject = _("Registration confirmed: %(event)s")
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse("events:registration", args=[registration.code])
        when = timezone.localtime(event.starts_at)
        body = "\n\n".join(
            [
                _("%(party)s is registered for “%(event)s” on %(date)s at %(time)s.")
                % {
                    "party": registration.party.name,
                    "event": event.title,
                    "date": f"{when:%Y-%m-%d}",
                    "time": f"{when:%H:%M}",
                },
                _(
                    "Your check-in code is %(code)s. At the desk, show the QR code on your "
                    "registration's page:"
                )
                % {"code": registration.code},
                f"{settings.SITE_URL.rstrip('/')}{path}",
                _("The attached calendar file adds the event to your calendar."),
            ]
        )
        message = EmailMessage(
            subject=subject % {"event": event.title},
            body=body,
            to=[user.email],
        )
        message.attach(
            f"{event.slug}.ics",
            event_calendar(event=event, registration=registration),
            "text/calendar; method=PUBLISH; charset=utf-8",
        )
        message.send()
