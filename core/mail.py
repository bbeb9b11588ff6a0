"""Every mail the portal sends goes through EMAIL_BACKEND: notifications,
registration confirmations, invitations and the account mails of
django-allauth. That one place counts them (core.metrics.MAILS_SENT).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from core.metrics import MAILS_SENT


class CountingEmailBackend(BaseEmailBackend):
    """Hands the messages to the backend named by settings.IPFIN_EMAIL_TRANSPORT
    (SMTP, the console…) and counts those it accepted."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently)
        self.transport = get_connection(
            settings.IPFIN_EMAIL_TRANSPORT, fail_silently=fail_silently, **kwargs
        )

    def open(self) -> bool | None:
        return self.transport.open()

    def close(self) -> None:
        self.transport.close()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = self.transport.send_messages(email_messages) or 0
        if sent:
            MAILS_SENT.inc(sent)
        return sent
