from __future__ import annotations

import smtplib
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.utils.translation import gettext_lazy as _
from rest_framework.test import APIClient

from accounts.models import Notification
from accounts.services import notification_mark_read, notification_send
from accounts.tasks import send_notification_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_notification_is_emailed_once_after_the_transaction_commits(
    mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = notification_send(
            recipients=[user],
            kind="application-approved",
            subject=_("Application #%(id)s approved"),
            params={"id": 7},
            link="/applications/7/",
        )
        # Nothing leaves before the commit.
        assert mailoutbox == []

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]
    assert mailoutbox[0].subject == "Application #7 approved"
    assert "/applications/7/" in mailoutbox[0].body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_running_the_email_task_again_sends_nothing_more(mailoutbox):
    notification = Notification.objects.create(recipient=UserFactory(), kind="x", subject="Hello")

    assert send_notification_email(notification.pk) is True
    assert send_notification_email(notification.pk) is False
    assert len(mailoutbox) == 1


def test_a_failed_send_leaves_the_notification_unsent_for_the_retry(mailoutbox):
    notification = Notification.objects.create(recipient=UserFactory(), kind="x", subject="Hello")

    with (
        mock.patch("accounts.tasks.send_mail", side_effect=smtplib.SMTPServerDisconnected),
        pytest.raises(Retry),
    ):
        # The task asks to be retried rather than failing for good.
        send_notification_email.apply(args=(notification.pk,), throw=True)
    notification.refresh_from_db()
    assert notification.emailed_at is None

    assert send_notification_email(notification.pk) is True
    assert len(mailoutbox) == 1


def test_each_recipient_reads_the_notification_in_their_own_language():
    english, chinese = UserFactory(language="en"), UserFactory(language="zh-hans")

    sent = notification_send(recipients=[english, chinese], kind="x", subject=_("Sign in"))

    subjects = {n.recipient_id: n.subject for n in sent}
    assert subjects[english.pk] == "Sign in"
    assert subjects[chinese.pk] == "登录"


def test_inactive_users_are_not_notified():
    sent = notification_send(recipients=[UserFactory(is_active=False)], kind="x", subject="Hi")
    assert sent == []


def test_marking_read_touches_only_the_users_own_notifications():
    me, them = UserFactory(), UserFactory()
    mine = Notification.objects.create(recipient=me, kind="x", subject="a")
    theirs = Notification.objects.create(recipient=them, kind="x", subject="b")

    assert notification_mark_read(user=me, ids=[mine.pk, theirs.pk]) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_api_lists_only_my_notifications_and_counts_the_unread():
    me, them = UserFactory(), UserFactory()
    Notification.objects.create(recipient=me, kind="x", subject="mine")
    Notification.objects.create(recipient=them, kind="x", subject="theirs")
    client = APIClient()
    client.force_authenticate(me)

    listing = client.get("/api/v1/notifications/").json()
    assert [n["subject"] for n in listing["results"]] == ["mine"]
    assert client.get("/api/v1/notifications/unread/").json() == {"unread": 1}

    assert client.post("/api/v1/notifications/read/", {}, format="json").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/unread/").json() == {"unread": 0}


def test_the_notification_list_query_count_does_not_grow(django_assert_max_num_queries):
    me = UserFactory()
    Notification.objects.bulk_create(
        Notification(recipient=me, kind="x", subject=f"n{i}") for i in range(30)
    )
    client = APIClient()
    client.force_authenticate(me)
    with django_assert_max_num_queries(3):
        assert client.get("/api/v1/notifications/").status_code == 200


def test_the_notifications_page_shows_them_and_marks_them_read(client):
    me = UserFactory()
    Notification.objects.create(recipient=me, kind="x", subject="Your application moved")
    client.force_login(me)

    page = client.get("/accounts/notifications/")
    assert "Your application moved" in page.content.decode()
    assert client.post("/accounts/notifications/read/").status_code == 302
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()


def test_opening_a_notification_from_the_list_reads_it_and_goes_to_its_page(client):
    me = UserFactory(language="zh-hans")
    moved = Notification.objects.create(
        recipient=me, kind="x", subject="Your application moved", link="/applications/7/"
    )
    other = Notification.objects.create(recipient=me, kind="x", subject="Something else")
    client.force_login(me)

    page = client.get("/zh-hans/accounts/notifications/").content.decode()
    opening = f'href="/zh-hans/accounts/notifications/{moved.pk}/"'
    assert opening in page, "the list links to the notification through its opening route"
    response = client.get(f"/zh-hans/accounts/notifications/{moved.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/applications/7/"
    moved.refresh_from_db()
    other.refresh_from_db()
    assert moved.read_at is not None and other.read_at is None
    after = client.get("/zh-hans/accounts/notifications/").content.decode()
    assert after.count("notification unread") == 1


def test_a_notification_opens_only_for_its_recipient_and_never_leaves_the_portal(client):
    me, someone = UserFactory(), UserFactory()
    theirs = Notification.objects.create(recipient=someone, kind="x", subject="s", link="/")
    away = Notification.objects.create(
        recipient=me, kind="x", subject="s", link="https://elsewhere.example/"
    )
    client.force_login(me)
    assert client.get(f"/accounts/notifications/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = client.get(f"/accounts/notifications/{away.pk}/")
    assert response["Location"] == "/accounts/notifications/"
