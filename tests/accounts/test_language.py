"""The language switch sticks: for a visitor by the cookie, for a signed-in
user also in their saved preference, which signing in applies again."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough password"


def switch(client: Client, language: str, next_url: str = "/products/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


def test_a_visitor_who_chooses_chinese_keeps_reading_chinese():
    client = Client()
    response = switch(client, "zh-hans")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/products/"

    # An English address typed or followed later opens in Chinese.
    home = client.get("/", follow=True)
    assert home.redirect_chain == [("/zh-hans/", 302)]
    assert '<html lang="zh-hans">' in home.content.decode()
    detail = client.get("/products/compare/?p=a&p=b")
    assert detail["Location"] == "/zh-hans/products/compare/?p=a&p=b"


def test_switching_back_to_english_stops_the_redirect():
    client = Client()
    switch(client, "zh-hans")
    response = switch(client, "en", next_url="/zh-hans/products/")
    assert response["Location"] == "/products/"
    page = client.get("/products/")
    assert page.status_code == 200
    assert '<html lang="en">' in page.content.decode()


def test_the_api_posts_and_unknown_languages_are_left_alone():
    client = Client()
    switch(client, "zh-hans")
    assert client.get("/api/v1/products/").status_code == 200
    assert client.get("/healthz/").status_code == 200
    assert client.post("/accounts/sign-in/", {"username": "x", "password": "y"}).status_code == 200

    other = Client()
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert other.get("/").status_code == 200


def test_a_signed_in_users_switch_is_saved_for_the_emails_and_the_next_sign_in():
    user = UserFactory(language="zh-hans")
    client = Client()
    client.force_login(user)

    switch(client, "en")
    user.refresh_from_db()
    assert user.language == "en"

    # A new browser: signing in from the Chinese page opens English.
    fresh = Client()
    user.set_password(PASSWORD)
    user.save()
    response = fresh.post(
        "/zh-hans/accounts/sign-in/", {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert fresh.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_signing_in_opens_the_users_saved_language_where_they_were_going():
    user = UserFactory(language="zh-hans")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    response = client.post(
        "/accounts/sign-in/",
        {"username": user.email, "password": PASSWORD, "next": "/accounts/notifications/"},
        follow=True,
    )
    assert response.redirect_chain[0] == ("/zh-hans/accounts/notifications/", 302)
    assert "通知" in response.content.decode()


def test_a_visitors_switch_saves_nothing():
    before = dict(User.objects.values_list("pk", "language"))
    switch(Client(), "en")
    assert dict(User.objects.values_list("pk", "language")) == before


def test_the_email_links_to_the_page_in_the_recipients_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    from accounts.services import notification_send

    english, chinese = UserFactory(language="en"), UserFactory(language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            recipients=[english, chinese],
            kind="x",
            subject="Notifications",
            link="/accounts/notifications/",
        )
    bodies = {m.to[0]: m.body for m in mailoutbox}
    assert bodies[english.email].endswith("/accounts/notifications/")
    assert "/zh-hans/" not in bodies[english.email]
    assert bodies[chinese.email].endswith("/zh-hans/accounts/notifications/")


def test_the_api_answers_in_the_readers_language():
    def refusal(client: Client, **headers) -> dict:
        response = client.get("/api/v1/products/?amount=lots", **headers)
        assert response.status_code == 400
        return response.json()

    english = refusal(Client())
    chinese = refusal(Client(), HTTP_ACCEPT_LANGUAGE="zh-hans,zh;q=0.9,en;q=0.5")
    chosen = Client()
    switch(chosen, "zh-hans")

    assert english["detail"] == "Invalid input."
    assert (
        chinese["detail"]
        == refusal(chosen, HTTP_ACCEPT_LANGUAGE="en")["detail"]
        != "Invalid input."
    )
    assert chinese["fields"] != english["fields"]
