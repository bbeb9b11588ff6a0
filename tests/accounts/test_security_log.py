"""The security log: what is recorded, who sees it."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import SecurityEvent, User
from accounts.selectors import security_events_for_organisation, security_events_for_user
from accounts.services import security_event_record, user_create
from enterprises.models import Enterprise

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough password"


def test_sign_ins_and_failed_ones_are_recorded_with_address_and_browser():
    user = user_create(email="log@example.com", password=PASSWORD, verified=True, language="en")
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 test", REMOTE_ADDR="203.0.113.9")
    client.post("/accounts/sign-in/", {"login": user.email, "password": "wrong"})
    client.post("/accounts/sign-in/", {"login": user.email, "password": PASSWORD})
    events = list(security_events_for_user(user))
    assert [e.kind for e in events] == ["sign_in", "sign_in_failed"]
    assert {(e.ip, e.user_agent) for e in events} == {("203.0.113.9", "Mozilla/5.0 test")}


def test_a_failed_sign_in_for_an_unknown_address_names_the_address_tried():
    Client().post("/accounts/sign-in/", {"login": "nobody@example.com", "password": "x"})
    event = SecurityEvent.objects.get(kind="sign_in_failed", user=None)
    assert event.detail == "nobody@example.com"


def test_the_page_shows_the_users_own_events_only():
    mine = user_create(email="mine@example.com", password=PASSWORD, verified=True, language="en")
    other = user_create(email="other@example.com", password=PASSWORD, verified=True)
    security_event_record(user=mine, kind="password_changed", detail="mine-detail")
    security_event_record(user=other, kind="password_changed", detail="other-detail")
    client = Client()
    client.force_login(mine)
    page = client.get("/accounts/security/").content.decode()
    assert "Password changed" in page and "mine-detail" in page
    assert "other-detail" not in page


def test_the_page_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = user_create(email="many@example.com", password=PASSWORD, verified=True)
    client = Client()
    client.force_login(user)
    security_event_record(user=user, kind="sign_in")
    with CaptureQueriesContext(connection) as one_event:
        assert client.get("/accounts/security/").status_code == 200
    for _ in range(30):
        security_event_record(user=user, kind="sign_in")
    with django_assert_max_num_queries(min(len(one_event), 12)):
        assert client.get("/accounts/security/").status_code == 200


def test_events_about_an_organisation_are_found_by_its_kind_and_id():
    enterprise = Enterprise.objects.first()
    assert enterprise is not None
    admin = User.objects.get(email="enterprise@example.com")
    security_event_record(
        user=admin, kind="invitation_sent", organisation=enterprise, detail="new@example.com"
    )
    security_event_record(user=admin, kind="sign_in")
    found = list(security_events_for_organisation("enterprise", enterprise.pk))
    assert [(e.kind, e.detail) for e in found] == [("invitation_sent", "new@example.com")]


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        security_event_record(user=None, kind="made_up")


def test_second_factor_changes_are_recorded_and_other_authenticators_are_not():
    from allauth.mfa import signals as mfa_signals
    from allauth.mfa.models import Authenticator

    user = user_create(email="mfa@example.com", password=PASSWORD, verified=True)
    app = Authenticator(user=user, type=Authenticator.Type.TOTP, data={})
    codes = Authenticator(user=user, type=Authenticator.Type.RECOVERY_CODES, data={})
    for signal in (mfa_signals.authenticator_added, mfa_signals.authenticator_reset):
        signal.send(sender=Authenticator, request=None, user=user, authenticator=app)
    mfa_signals.authenticator_reset.send(
        sender=Authenticator, request=None, user=user, authenticator=codes
    )
    mfa_signals.authenticator_removed.send(
        sender=Authenticator, request=None, user=user, authenticator=codes
    )
    mfa_signals.authenticator_removed.send(
        sender=Authenticator, request=None, user=user, authenticator=app
    )
    kinds = [e.kind for e in security_events_for_user(user)]
    assert sorted(kinds) == sorted(["mfa_enabled", "recovery_codes_regenerated", "mfa_disabled"])
