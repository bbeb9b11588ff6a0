"""Site pages: the public home page, signing in and out, the regulator's dashboard."""

from __future__ import annotations

import re

import pytest
from django.http import HttpRequest
from django.test import Client

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "ipfin-demo-2020"


def signed_in(email: str) -> Client:
    client = Client()
    assert client.login(request=HttpRequest(), email=email, password=DEMO_PASSWORD)
    return client


def figure(html: str, key: str) -> str:
    match = re.search(rf'data-figure="{key}">([^<]*)<', html)
    assert match, f"figure {key} not on the page"
    return match.group(1).strip()


def test_the_home_page_shows_the_campaigns_headline_figures():
    response = Client().get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert figure(html, "activities") == "22"
    assert figure(html, "parks_covered") == "53"
    assert figure(html, "enterprises_involved") == "1,400"
    assert figure(html, "participants_total") == "470,000"
    assert figure(html, "contract_amount") == "¥710,000,000"
    assert figure(html, "provinces_participating") == "18"


def test_the_home_page_in_chinese_reads_amounts_in_yi_yuan():
    response = Client().get("/zh-hans/")

    assert response.status_code == 200
    html = response.content.decode()
    assert figure(html, "contract_amount") == "7.1亿元"
    assert 'lang="zh-hans"' in html


def test_the_home_page_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert Client().get("/").status_code == 200


def test_signing_in_by_email_lands_on_the_workspace_in_the_users_language():
    client = Client()
    response = client.post(
        "/accounts/sign-in/",
        {"username": "enterprise@example.com", "password": DEMO_PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    assert response.context["user"].email == "enterprise@example.com"
    # The demo enterprise's staff read the portal in Chinese.
    assert response.redirect_chain == [("/zh-hans/enterprise/", 302)]
    assert "退出登录" in response.content.decode()


def test_a_wrong_password_shows_the_form_again_with_a_message():
    response = Client().post(
        "/accounts/sign-in/", {"username": "enterprise@example.com", "password": "nope"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "correct email address and password" in response.content.decode()


def test_signing_out_ends_the_session():
    client = signed_in("enterprise@example.com")
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("email", "sees_dashboard"),
    [
        ("regulator@example.com", True),
        ("zhejiang.regulator@example.com", True),
        ("enterprise@example.com", False),
        ("bank@example.com", False),
        ("park@example.com", False),
    ],
)
def test_only_regulators_see_the_dashboard_in_the_navigation(email, sees_dashboard):
    html = signed_in(email).get("/").content.decode()
    assert ('href="/dashboard/"' in html) is sees_dashboard


def test_the_navigation_names_the_users_workspace():
    html = signed_in("bank@example.com").get("/").content.decode()
    assert "Institution workspace" in html
    assert "Enterprise workspace" not in html


@pytest.mark.parametrize(
    ("email", "roles"),
    [
        ("enterprise@example.com", {"enterprise"}),
        ("bank@example.com", {"institution"}),
        ("park@example.com", {"park"}),
        ("regulator@example.com", {"regulator"}),
        ("admin@example.com", {"staff"}),
    ],
)
def test_the_navigation_reads_roles_and_unread_count_in_one_query(
    email, roles, django_assert_num_queries
):
    from accounts.models import Notification, User
    from ipfin.context_processors import workspaces

    user = User.objects.get(email=email)
    Notification.objects.create(recipient=user, kind="test", subject="One")
    Notification.objects.create(recipient=user, kind="test", subject="Two")
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    request = HttpRequest()
    request.user = user
    with django_assert_num_queries(1):
        context = workspaces(request)
    assert context["roles"] == roles
    assert context["unread_notifications"] == unread >= 2


@pytest.mark.parametrize(
    ("email", "query", "expected"),
    [
        (None, "", 302),
        ("enterprise@example.com", "", 403),
        ("bank@example.com", "", 403),
        ("park@example.com", "", 403),
        ("regulator@example.com", "", 200),
        ("regulator@example.com", "?province=500000", 200),
        ("zhejiang.regulator@example.com", "", 200),
        ("zhejiang.regulator@example.com", "?province=330000", 200),
        ("zhejiang.regulator@example.com", "?province=500000", 403),
    ],
)
def test_who_may_open_the_dashboard(email, query, expected):
    client = signed_in(email) if email else Client()
    assert client.get(f"/dashboard/{query}").status_code == expected


def test_the_provincial_dashboard_shows_only_its_province():
    html = signed_in("zhejiang.regulator@example.com").get("/dashboard/").content.decode()
    assert figure(html, "activities") == "8"
    assert figure(html, "contract_amount") == "¥300,000,000"


def test_the_api_docs_and_schema_are_served():
    client = Client()
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    # Swagger UI comes from the installed sidecar package: every script and
    # stylesheet the page loads is the portal's own address, none another host's.
    page = docs.content.decode()
    loaded = re.findall(r"""<(?:script|link)\b[^>]*\b(?:src|href)=["']([^"']+)""", page)
    assert any("swagger" in address for address in loaded)
    assert [a for a in loaded if a.startswith(("http:", "https:", "//"))] == []


def test_the_health_check_answers():
    assert Client().get("/healthz/").json() == {"status": "ok"}
