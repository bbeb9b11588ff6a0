"""Cancelling a meeting from its page is asked first: both parties named, and
nothing changes until it is confirmed."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Notification
from events.models import Meeting
from tests.confirming import asked

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_cancelling_a_meeting_names_both_parties_and_waits_for_confirmation(mw):
    meeting = Meeting.objects.create(
        event=mw.event,
        enterprise=mw.enterprise,
        institution=mw.bank,
        slot=mw.slots[1],
        status=Meeting.Status.ACCEPTED,
    )
    bank = client_for(mw.bank_user)
    notices = Notification.objects.count()
    told_before = Notification.objects.filter(recipient=mw.enterprise_user).count()

    page = asked(bank.post(f"/zh-hans/meetings/{meeting.pk}/cancel/", {"cancel-note": "行程冲突"}))

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ACCEPTED
    assert Notification.objects.count() == notices
    assert page.button == "确认取消对接"
    assert page.consequences == [
        f"{mw.enterprise.name_zh} 与 {mw.bank.name_zh} 在“{mw.event.title_zh}”的对接将取消，"
        "时段随之释放，对方会收到通知。",
        "对接取消后不能恢复。",
    ]
    assert page.back == f"/zh-hans/meetings/{meeting.pk}/"

    page.confirm(bank)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    last = meeting.history.last()
    assert last is not None
    assert last.note == "行程冲突"
    told = Notification.objects.filter(recipient=mw.enterprise_user).count() - told_before
    assert told == 1  # the other party is told once
