"""The second factor: signing in asks for the code once one is set up;
wrong codes are refused clearly and, repeated, lock the sign-in; with
IPFIN_REQUIRE_MFA on, officers, regulators, park managers and staff set one
up before anything else, enterprise staff may choose."""

from __future__ import annotations

import pytest
from allauth.core import context
from django.test import Client

from accounts.models import SecurityEvent, User
from accounts.services import user_create
from tests.accounts.totp import current_code, give_second_factor, wrong_code

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough password"
DEMO_PASSWORD = "ipfin-demo-2020"


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/sign-in/", {"login": email, "password": password})


def test_signing_in_with_a_second_factor_asks_for_its_code():
    user = user_create(email="totp@example.com", password=PASSWORD, verified=True, language="en")
    secret = give_second_factor(user)
    client = Client()
    response = sign_in(client, user.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session

    wrong = client.post("/accounts/2fa/authenticate/", {"code": wrong_code(secret)})
    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    right = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    kinds = list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert "sign_in" in kinds and "sign_in_failed" in kinds


def test_a_wrong_code_reads_clearly_in_chinese():
    user = user_create(email="zh.totp@example.com", password=PASSWORD, verified=True)
    secret = give_second_factor(user)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.post("/zh-hans/accounts/sign-in/", {"login": user.email, "password": PASSWORD})
    wrong = client.post("/zh-hans/accounts/2fa/authenticate/", {"code": wrong_code(secret)})
    assert "验证码不正确" in wrong.content.decode()


def test_repeated_wrong_codes_lock_the_sign_in_even_for_the_right_code():
    user = user_create(email="locked@example.com", password=PASSWORD, verified=True, language="en")
    secret = give_second_factor(user)
    client = Client()
    sign_in(client, user.email)
    for _ in range(5):
        client.post("/accounts/2fa/authenticate/", {"code": wrong_code(secret)})
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert "_auth_user_id" not in client.session
    assert "Too many failed" in response.content.decode()


def test_a_recovery_code_stands_in_for_the_phone():
    from allauth.mfa.models import Authenticator

    user = user_create(email="recover@example.com", password=PASSWORD, verified=True)
    give_second_factor(user)
    codes = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()
    client = Client()
    sign_in(client, user.email)
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    ("email", "must"),
    [
        ("bank@example.com", True),
        ("park@example.com", True),
        ("regulator@example.com", True),
        ("enterprise@example.com", False),
    ],
)
def test_with_mfa_required_officers_set_up_a_second_factor_first(settings, email, must):
    settings.IPFIN_REQUIRE_MFA = True
    client = Client()
    client.force_login(User.objects.get(email=email))
    response = client.get("/accounts/notifications/")
    if must:
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/totp/activate/"
        # The way to set it up, and out, stays open.
        assert client.get("/accounts/2fa/").status_code == 200
        assert client.post("/accounts/sign-out/").status_code == 302
    else:
        assert response.status_code == 200


def test_with_mfa_required_the_api_by_session_says_why(settings):
    settings.IPFIN_REQUIRE_MFA = True
    client = Client()
    client.force_login(User.objects.get(email="bank@example.com"))
    response = client.get("/api/v1/notifications/")
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


def test_with_mfa_required_an_officer_with_a_second_factor_goes_on(settings):
    settings.IPFIN_REQUIRE_MFA = True
    bank = User.objects.get(email="bank@example.com")
    give_second_factor(bank)
    client = Client()
    client.force_login(bank)
    assert client.get("/accounts/notifications/").status_code == 200


def test_staff_need_it_for_the_admin_too(settings):
    settings.IPFIN_REQUIRE_MFA = True
    staff = user_create(email="ops@example.com", password=PASSWORD, verified=True)
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"


def test_setting_up_the_second_factor_is_logged(django_capture_on_commit_callbacks, mailoutbox):
    user = user_create(email="setup@example.com", password=PASSWORD, verified=True, language="en")
    client = Client()
    assert sign_in(client, user.email).status_code == 302
    # Setting it up asks for the password again first.
    asked = client.get("/accounts/2fa/totp/activate/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert client.post(asked["Location"], {"password": PASSWORD}).status_code == 302
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    # What runs once the transaction commits, still inside the request.
    with context.request_context(response.wsgi_request):
        for callback in callbacks:
            callback()
    assert mailoutbox[-1].to == [user.email]  # the owner is told
    assert SecurityEvent.objects.filter(user=user, kind="mfa_enabled").exists()


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_the_second_factor_pages_render_for_someone_who_has_one(prefix):
    user = user_create(email="pages@example.com", password=PASSWORD, verified=True, language="en")
    give_second_factor(user)
    client = Client()
    client.force_login(user)
    client.post(f"{prefix}/accounts/reauthenticate/", {"password": PASSWORD})
    for path in (
        "/accounts/2fa/",
        "/accounts/2fa/recovery-codes/",
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/2fa/totp/deactivate/",
        "/accounts/sessions/",
        "/accounts/sign-out/",
        "/accounts/password/change/",
    ):
        response = client.get(prefix + path)
        assert response.status_code == 200, path
    codes = client.get(prefix + "/accounts/2fa/recovery-codes/download/")
    assert codes.status_code == 200
    assert codes["Content-Disposition"].startswith("attachment")


def test_the_admin_signs_in_through_the_portal_which_asks_for_the_second_factor():
    staff = user_create(
        email="admin2fa@example.com", password=PASSWORD, verified=True, language="en"
    )
    staff.is_staff = staff.is_superuser = True
    staff.save()
    secret = give_second_factor(staff)
    client = Client()
    to_sign_in = client.get("/admin/", follow=True).redirect_chain
    assert to_sign_in[-1][0] == "/accounts/sign-in/?next=%2Fadmin%2F"
    # The password alone does not open the admin.
    client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    response = client.post(
        "/accounts/sign-in/", {"login": staff.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    done = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
