"""Writes for accounts: notifications, the preferred language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from accounts.models import Notification, User


def _render(text: str | Promise, params: Mapping[str, Any]) -> str:
    text = str(text)
    return text % params if params else text


@transaction.atomic
def notification_send(
    *,
    recipients: Iterable[User],
    kind: str,
    subject: str | Promise,
    body: str | Promise = "",
    params: Mapping[str, Any] | None = None,
    link: str = "",
) -> list[Notification]:
    """Notify each recipient in their own language, in the portal and, once the
    transaction commits, by email. `subject` and `body` are lazy translations
    with %(name)s placeholders filled from `params`."""
    from accounts.tasks import send_notification_email

    params = params or {}
    notifications = []
    for user in {u.pk: u for u in recipients if u.is_active}.values():
        with translation.override(user.language):
            notifications.append(
                Notification(
                    recipient=user,
                    kind=kind,
                    subject=_render(subject, params)[:255],
                    body=_render(body, params),
                    link=link,
                )
            )
    created = Notification.objects.bulk_create(notifications)
    for notification in created:
        transaction.on_commit(partial(send_notification_email.delay, notification.pk))
    return created


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read: the given ones, or all. Returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def user_set_language(*, user: User, language: str) -> User:
    """Remember the language the user reads the portal and their email in.
    A language the portal does not offer is ignored."""
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return user
    user.language = language
    user.save(update_fields=["language"])
    return user
