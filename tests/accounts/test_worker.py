"""The notification path through a real Celery worker on Redis (CI's second run).

Skipped without REDIS_URL: the newcomer's run executes tasks in-process."""

from __future__ import annotations

import smtplib
import time
from unittest import mock

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.core.mail import send_mail as real_send_mail

from accounts.models import Notification
from accounts.services import notification_send
from ipfin.celery import app
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)"),
    # The worker reads what the test commits, so the test cannot run inside a transaction.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker():
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        yield


def wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_the_worker_emails_a_notification_exactly_once(worker):
    user = UserFactory(language="en")

    [notification] = notification_send(recipients=[user], kind="test", subject="Approved")

    assert wait_for(lambda: len(mail.outbox) >= 1)
    time.sleep(1)  # a duplicate would arrive by now
    assert [m.to for m in mail.outbox] == [[user.email]]
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_failing_mail_server_is_retried_and_the_email_still_goes_once(worker):
    user = UserFactory(language="en")
    calls = []

    def flaky_send_mail(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return real_send_mail(**kwargs)

    with mock.patch("accounts.tasks.send_mail", side_effect=flaky_send_mail):
        [notification] = notification_send(recipients=[user], kind="test", subject="Retried")
        assert wait_for(lambda: len(mail.outbox) >= 1)
        time.sleep(1)

    assert len(calls) == 2
    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=notification.pk).emailed_at is not None
