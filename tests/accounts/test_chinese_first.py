"""Chinese first: a first visit opens in the language the browser asks for,
Chinese unless it asks for English; a chosen language sticks; every page
names its other-language address."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from accounts.middleware import browser_language

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("zh-CN,zh;q=0.9", "zh-hans"),
        ("zh-TW", "zh-hans"),
        ("zh", "zh-hans"),
        ("en-GB,en;q=0.8", "en"),
        ("en", "en"),
        ("fr-FR,fr;q=0.9", "zh-hans"),
        ("fr-FR,en;q=0.5", "en"),
        ("de,zh-CN;q=0.8,en;q=0.5", "zh-hans"),
        ("", "zh-hans"),
        ("*", "zh-hans"),
    ],
)
def test_the_browsers_first_chinese_or_english_wins_and_chinese_otherwise(header, language):
    assert browser_language(header) == language


def test_a_chinese_browser_opening_the_home_page_reads_it_in_chinese():
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9", follow=True)
    assert response.redirect_chain == [("/zh-hans/", 302)]
    assert '<html lang="zh-hans">' in response.content.decode()


def test_a_browser_that_names_no_language_gets_chinese():
    response = Client().get("/products/?q=x", HTTP_ACCEPT_LANGUAGE="")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/products/?q=x"


def test_an_english_browser_stays_on_the_english_page():
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert "Accept-Language" in response["Vary"]


def test_a_chosen_language_beats_the_browsers():
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.post("/i18n/setlang/", {"language": "en", "next": "/zh-hans/products/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get("/products/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_forms_the_api_and_chinese_addresses_are_not_redirected():
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert chinese.get("/api/v1/products/").status_code == 200
    assert chinese.get("/zh-hans/products/").status_code == 200
    response = chinese.post("/accounts/sign-in/", {"login": "x@example.com", "password": "y"})
    assert response.status_code == 200


def test_every_page_names_its_address_in_the_other_language():
    english = Client().get("/products/?sort=rate").content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://testserver/products/?sort=rate">' in (
        english
    )
    assert (
        '<link rel="alternate" hreflang="zh-Hans" '
        'href="http://testserver/zh-hans/products/?sort=rate">' in english
    )
    chinese = Client().get("/zh-hans/products/").content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://testserver/products/">' in chinese


def test_a_new_user_reads_in_the_language_they_signed_up_in(mailoutbox):
    from accounts.models import User

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.post(
        "/zh-hans/accounts/signup/",
        {
            "email": "li.na@example.com",
            "password1": "a long enough password",
            "password2": "a long enough password",
        },
    )
    assert User.objects.get(email="li.na@example.com").language == "zh-hans"
    # The confirmation mail is in Chinese and links to the Chinese page.
    assert "/zh-hans/accounts/confirm-email/" in mailoutbox[0].body
    assert "确认" in mailoutbox[0].subject + mailoutbox[0].body


def test_each_test_starts_in_the_default_language_part_one():
    translation.activate("zh-hans")


def test_each_test_starts_in_the_default_language_part_two():
    assert translation.get_language() == settings.LANGUAGE_CODE
