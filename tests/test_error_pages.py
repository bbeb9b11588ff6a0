"""The error pages 400, 403, 404 and 500 answer in the reader's language."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "lang", "title"),
    [("", "en", "Page not found"), ("/zh-hans", "zh-hans", "页面不存在")],
)
def test_an_unknown_address_is_a_404_page_in_the_language(prefix, lang, title):
    response = Client().get(f"{prefix}/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert title in html
    assert 'href="#main"' in html  # the site's own frame, not Django's bare page


@pytest.mark.parametrize(("prefix", "title"), [("", "Not allowed"), ("/zh-hans", "无权访问")])
def test_a_forbidden_page_says_so_in_the_language(prefix, title):
    client = Client()
    client.force_login(User.objects.get(email="enterprise@example.com"))
    response = client.get(f"{prefix}/applications/queue/")
    assert response.status_code == 403
    assert title in response.content.decode()


@pytest.mark.parametrize(("prefix", "title"), [("", "Bad request"), ("/zh-hans", "请求有误")])
def test_a_bad_request_page_in_the_language(prefix, title):
    response = Client(HTTP_HOST="not-our-host.example").get(f"{prefix}/")
    assert response.status_code == 400
    assert title in response.content.decode()


@pytest.mark.parametrize(
    ("lang", "title", "home"),
    [("en", "Something went wrong", 'href="/"'), ("zh-hans", "系统出错了", 'href="/zh-hans/"')],
)
def test_the_server_error_page_needs_no_database_and_speaks_the_language(
    lang, title, home, django_assert_num_queries
):
    request = RequestFactory().get("/")
    with translation.override(lang), django_assert_num_queries(0):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{lang}">' in html
    assert title in html
    assert home in html
