from __future__ import annotations

import smtplib

from celery import Task, shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import translate_url
from django.utils import timezone, translation

from accounts.models import Notification


def in_language(path: str, language: str) -> str:
    """The same page's address in the recipient's language: /zh-hans/… for Chinese."""
    made_in = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    with translation.override(made_in):
        return translate_url(path, language)


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def send_notification_email(self: Task[[int], bool], notification_id: int) -> bool:
    """Email one notification. Idempotent: the row is locked and stamped, so a
    retried or duplicated task sends nothing the second time."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None:
            return False
        body = notification.body
        if notification.link:
            link = in_language(notification.link, notification.recipient.language)
            body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{link}"
        send_mail(
            subject=notification.subject,
            message=body,
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True
