"""Signing up with a confirmed email, password reset and change, change of
email, the profile, and the user_create service other apps build on."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.models import SecurityEvent, User
from accounts.services import EmailAddressTaken, user_create

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough password"


def link_in(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://testserver(/\S+)", str(message.body))
    assert found, message.body
    return found.group(1)


def sign_up(client: Client, email: str = "wang.fang@example.com", **extra: str):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, **extra},
    )


def test_signing_up_asks_to_confirm_the_email_before_anything_else(mailoutbox):
    client = Client()
    response = sign_up(client, full_name="Wang Fang")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    user = User.objects.get(email="wang.fang@example.com")
    assert user.full_name == "Wang Fang"
    assert not EmailAddress.objects.get(user=user).verified
    assert [m.to for m in mailoutbox] == [["wang.fang@example.com"]]

    # Signing in before confirming is turned back to the confirmation; the
    # link is not mailed again within minutes of the first (rate limit).
    early = Client().post(
        "/accounts/sign-in/", {"login": "wang.fang@example.com", "password": PASSWORD}
    )
    assert early["Location"] == "/accounts/confirm-email/"
    assert len(mailoutbox) == 1

    confirm = link_in(mailoutbox[0])
    assert Client().get(confirm).status_code == 200  # a page with a button, not a GET that acts
    confirmed = client.post(confirm)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_spoiled_confirmation_link_confirms_nothing():
    sign_up(Client())
    response = Client().post("/accounts/confirm-email/Mjk:1tampered:abc/")
    assert response.status_code == 404
    assert not EmailAddress.objects.get(email="wang.fang@example.com").verified


def test_a_taken_email_is_named_on_the_form_and_nothing_is_written(mailoutbox):
    before = User.objects.count()
    response = sign_up(Client(), email="Enterprise@Example.com")
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.count() == before
    assert mailoutbox == []


def test_mismatched_passwords_are_refused():
    response = Client().post(
        "/accounts/signup/",
        {"email": "x@example.com", "password1": PASSWORD, "password2": PASSWORD + "!"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="x@example.com").exists()


def test_sign_ups_from_one_address_are_rate_limited(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    client = Client()
    assert sign_up(client, email="a1@example.com").status_code == 302
    assert sign_up(client, email="a2@example.com").status_code == 302
    refused = sign_up(client, email="a3@example.com")
    assert refused.status_code == 429
    assert not User.objects.filter(email="a3@example.com").exists()


def test_a_forgotten_password_is_reset_by_the_emailed_link(mailoutbox):
    client = Client()
    response = client.post("/accounts/password/reset/", {"email": "bank@example.com"})
    assert response.status_code == 302
    link = link_in(mailoutbox[0])
    form = client.get(link, follow=True)
    assert form.status_code == 200
    action = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(
        action, {"password1": "brand new secret 2026", "password2": "brand new secret 2026"}
    )
    assert done.status_code == 302
    assert User.objects.get(email="bank@example.com").check_password("brand new secret 2026")
    assert SecurityEvent.objects.filter(
        user__email="bank@example.com", kind=SecurityEvent.Kind.PASSWORD_RESET
    ).exists()
    # The link works once.
    assert "password1" not in client.get(link, follow=True).content.decode()


def test_changing_the_password_is_logged(django_user_model):
    user = user_create(email="chen@example.com", password=PASSWORD, verified=True)
    client = Client()
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another long password",
            "password2": "another long password",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another long password")
    assert SecurityEvent.objects.filter(user=user, kind="password_changed").exists()


def test_a_new_email_takes_effect_once_confirmed(mailoutbox):
    user = user_create(email="zhao@example.com", password=PASSWORD, verified=True)
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/email/", {"action_add": "", "email": "zhao.new@example.com"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "zhao@example.com"
    assert mailoutbox[-1].to == ["zhao.new@example.com"]
    client.post(link_in(mailoutbox[-1]))
    user.refresh_from_db()
    assert user.email == "zhao.new@example.com"
    assert SecurityEvent.objects.filter(user=user, kind="email_changed").exists()


def test_the_profile_saves_name_phone_and_language():
    user = user_create(email="sun@example.com", password=PASSWORD, verified=True, language="en")
    client = Client()
    client.force_login(user)
    response = client.post(
        "/accounts/profile/",
        {"full_name": "孙丽", "phone": "+86 138 0000 0000", "language": "zh-hans"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/accounts/profile/"
    user.refresh_from_db()
    assert (user.full_name, user.phone, user.language) == ("孙丽", "+86 138 0000 0000", "zh-hans")


def test_a_phone_that_is_not_a_number_is_refused_and_nothing_saved():
    user = user_create(email="zhou@example.com", password=PASSWORD, verified=True, language="en")
    client = Client()
    client.force_login(user)
    response = client.post(
        "/accounts/profile/", {"full_name": "Zhou", "phone": "call me", "language": "en"}
    )
    assert response.status_code == 200
    assert "Enter a phone number" in response.content.decode()
    user.refresh_from_db()
    assert (user.full_name, user.phone) == ("", "")


def test_user_create_makes_a_user_that_signs_in_and_refuses_a_taken_address():
    user = user_create(email=" Liu@Example.com ", password=PASSWORD, full_name="Liu", verified=True)
    assert user.email == "liu@example.com"
    assert EmailAddress.objects.get(user=user).verified
    response = Client().post(
        "/accounts/sign-in/", {"login": "liu@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    with pytest.raises(EmailAddressTaken) as taken:
        user_create(email="LIU@example.com", password=PASSWORD)
    assert "email" in taken.value.message_dict
    assert User.objects.filter(email__iexact="liu@example.com").count() == 1


def test_an_invited_user_without_a_password_cannot_sign_in_until_they_set_one():
    user = user_create(email="invited@example.com", password=None, verified=True)
    assert not user.has_usable_password()
    response = Client().post("/accounts/sign-in/", {"login": "invited@example.com", "password": ""})
    assert response.status_code == 200


def test_signing_out_every_other_session_ends_them():
    user = user_create(
        email="two.browsers@example.com", password=PASSWORD, verified=True, language="en"
    )
    laptop, phone = Client(), Client()
    for client in (laptop, phone):
        assert (
            client.post(
                "/accounts/sign-in/", {"login": user.email, "password": PASSWORD}
            ).status_code
            == 302
        )
    listed = laptop.get("/accounts/sessions/")
    assert len(listed.context["sessions"]) == 2
    assert laptop.post("/accounts/sessions/").status_code == 302
    assert phone.get("/accounts/profile/").status_code == 302  # sent to sign in
    assert laptop.get("/accounts/profile/").status_code == 200
