"""Every response carries an enforced Content-Security-Policy and a
Permissions-Policy, and no page writes script or style into itself (the
permission tables check every route for every role; these are the cases
around them)."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from tests.page_policy import CSP, PERMISSIONS_POLICY, inline_code

pytestmark = pytest.mark.django_db


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_a_page_carries_the_enforced_policy_and_denies_powerful_features():
    response = Client().get("/")
    policy = {
        directive.split()[0]: directive.split()[1:] for directive in response[CSP].split("; ")
    }
    assert policy == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
    assert "Content-Security-Policy-Report-Only" not in response
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in response[PERMISSIONS_POLICY]


@pytest.mark.parametrize(
    ("client", "path", "status"),
    [
        (lambda: Client(), "/no-such-page/", 404),
        (lambda: signed_in("enterprise@example.com"), "/applications/queue/", 403),
        (lambda: Client(), "/applications/", 302),
        (lambda: Client(), "/api/v1/products/", 200),
        (lambda: Client(), "/api/v1/applications/", 401),
        (lambda: Client(HTTP_HOST="not-our-host.example"), "/", 400),
    ],
    ids=["not found", "forbidden", "redirect", "api", "api refused", "bad request"],
)
def test_error_pages_redirects_and_the_api_carry_the_policies_too(client, path, status):
    response = client().get(path)
    assert response.status_code == status
    assert "script-src 'self'" in response[CSP]
    assert "camera=()" in response[PERMISSIONS_POLICY]


def test_the_admin_runs_under_the_same_policy():
    response = signed_in("admin@example.com").get("/admin/")
    assert response.status_code == 200
    assert "style-src 'self'" in response[CSP]
    assert inline_code(response.content.decode()) == []


def test_the_swagger_ui_loads_its_start_up_script_from_the_portal():
    page = Client().get("/api/docs/")
    assert page.status_code == 200
    assert page[CSP] == Client().get("/")[CSP]  # no relaxed policy of its own
    html = page.content.decode()
    assert inline_code(html) == []
    assert 'src="/api/docs/?script="' in html
    script = Client().get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.parametrize(
    ("html", "finding"),
    [
        ("<script>alert(1)</script>", "an inline <script>"),
        ("<style>p { color: red }</style>", "a <style> element"),
        ('<p style="color: red">x</p>', 'style="color: red" on <p>'),
        ('<select onchange="this.form.submit()"></select>', "onchange= on <select>"),
        ('<form onsubmit="return confirm(1)"></form>', "onsubmit= on <form>"),
        ('<img src="x.png" onerror="alert(1)" alt="">', "onerror= on <img>"),
        ('<a href="javascript:void(0)">x</a>', "a javascript: URL on <a>"),
        ("<svg><style>.a{fill:red}</style></svg>", "a <style> element"),
        ('<svg><g style="opacity: 0"/></svg>', 'style="opacity: 0" on <g>'),
    ],
)
def test_the_reader_finds_each_kind_of_inline_code(html, finding):
    found = inline_code(html)
    assert len(found) == 1 and found[0].startswith(finding), found


def test_the_reader_lets_files_and_data_attributes_through():
    html = (
        '<link rel="stylesheet" href="/static/css/ipfin.css">'
        '<script src="/static/js/ipfin.js" defer></script>'
        '<form data-confirm="Delete?"><select data-submit-on-change></select></form>'
        '<p class="one online">Only once</p>'
    )
    assert inline_code(html) == []
