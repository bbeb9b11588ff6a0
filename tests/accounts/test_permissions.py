"""Permission table for the account pages: allauth's (sign-up, email,
password, second factor, sessions) and the portal's own (profile, API
tokens, security log). "Own" tokens belong to the demo enterprise's user."""

from __future__ import annotations

import pytest
from django.db.models import QuerySet

from accounts.models import ApiToken, User
from accounts.services import token_create
from tests.permissions import Route, World, case_id, cases, check, everyone, signed_in


def own_token(w: World) -> ApiToken:
    user = w.users["enterprise"]
    assert user is not None
    token, _secret = token_create(user=user, name="permission table")
    return token


def revoked(w: World) -> QuerySet[ApiToken]:
    """The row's token, once revoked."""
    return ApiToken.objects.filter(pk=w.row["token"].pk, revoked_at__isnull=False)


ROUTES = [
    # Signing in and up: visitors see the form, signed-in users are sent on.
    Route("account_login", "GET", lambda w: "/accounts/sign-in/", everyone(302, visitor=200)),
    Route(
        "account_logout",
        "POST",
        lambda w: "/accounts/sign-out/",
        everyone(302),
        writes=False,  # the session ends
    ),
    Route("account_signup", "GET", lambda w: "/accounts/signup/", everyone(302, visitor=200)),
    # The admin's own sign-in form is replaced by the portal's (second factor).
    Route("admin-sign-in", "GET", lambda w: "/admin/login/?next=/admin/", everyone(302)),
    Route("account_inactive", "GET", lambda w: "/accounts/inactive/", everyone(200)),
    # Addresses of the confirmation flow: an unknown key says so, for anyone.
    Route(
        "account_email_verification_sent",
        "GET",
        lambda w: "/accounts/confirm-email/",
        everyone(200),
    ),
    Route(
        "account_confirm_email",
        "GET",
        lambda w: "/accounts/confirm-email/not-a-key/",
        everyone(200),
    ),
    Route(
        "account_confirm_login_code",
        "GET",
        lambda w: "/accounts/login/code/confirm/",
        everyone(302),
    ),
    # Password reset works for anyone; the link with a wrong key says it is spoiled.
    Route("account_reset_password", "GET", lambda w: "/accounts/password/reset/", everyone(200)),
    Route(
        "account_reset_password_done",
        "GET",
        lambda w: "/accounts/password/reset/done/",
        everyone(200),
    ),
    Route(
        "account_reset_password_from_key",
        "GET",
        lambda w: "/accounts/password/reset/key/1-not-a-key/",
        everyone(200),
    ),
    Route(
        "account_reset_password_from_key_done",
        "GET",
        lambda w: "/accounts/password/reset/key/done/",
        everyone(200),
    ),
    # The signed-in user's own account: nobody else's is ever addressed.
    Route("account_email", "GET", lambda w: "/accounts/email/", signed_in(200)),
    Route("account_change_password", "GET", lambda w: "/accounts/password/change/", signed_in(200)),
    # Every demo user has a password: "set" sends them to "change".
    Route("account_set_password", "GET", lambda w: "/accounts/password/set/", signed_in(302)),
    Route("account_reauthenticate", "GET", lambda w: "/accounts/reauthenticate/", signed_in(200)),
    # Confirming who you are by a code mailed to your own (verified) address.
    Route(
        "account_request_reauthentication_code",
        "GET",
        lambda w: "/accounts/reauthenticate/code/",
        signed_in(200),
    ),
    Route(
        "account_confirm_reauthentication_code",
        "GET",
        lambda w: "/accounts/reauthenticate/code/confirm/",
        signed_in(302),
    ),
    Route("mfa_index", "GET", lambda w: "/accounts/2fa/", signed_in(200)),
    # Setting up a second factor asks for the password again first.
    Route("mfa_activate_totp", "GET", lambda w: "/accounts/2fa/totp/activate/", signed_in(302)),
    Route("mfa_deactivate_totp", "GET", lambda w: "/accounts/2fa/totp/deactivate/", signed_in(404)),
    # No recovery codes before a second factor is set up: nothing to show.
    Route(
        "mfa_view_recovery_codes",
        "GET",
        lambda w: "/accounts/2fa/recovery-codes/",
        signed_in(404),
    ),
    Route(
        "mfa_generate_recovery_codes",
        "GET",
        lambda w: "/accounts/2fa/recovery-codes/generate/",
        signed_in(302),
    ),
    Route(
        "mfa_download_recovery_codes",
        "GET",
        lambda w: "/accounts/2fa/recovery-codes/download/",
        signed_in(404),
    ),
    # Without a sign-in waiting for its second factor there is nothing to check.
    Route("mfa_authenticate", "GET", lambda w: "/accounts/2fa/authenticate/", everyone(302)),
    Route("mfa_reauthenticate", "GET", lambda w: "/accounts/2fa/reauthenticate/", signed_in(302)),
    Route("usersessions_list", "GET", lambda w: "/accounts/sessions/", signed_in(200)),
    Route("accounts:profile", "GET", lambda w: "/accounts/profile/", signed_in(200)),
    Route(
        "accounts:profile",
        "POST",
        lambda w: "/accounts/profile/",
        signed_in(302),
        data=lambda w: {"full_name": "Permission Table", "phone": "", "language": "en"},
        # Each user changes their own name, nobody else's.
        done=lambda w: User.objects.filter(full_name="Permission Table"),
    ),
    Route("accounts:security-log", "GET", lambda w: "/accounts/security/", signed_in(200)),
    Route("accounts:tokens", "GET", lambda w: "/accounts/tokens/", signed_in(200)),
    Route(
        "accounts:tokens",
        "POST",
        lambda w: "/accounts/tokens/",
        signed_in(200),
        data=lambda w: {"name": "script", "days": "30"},
        done=lambda w: ApiToken.objects.filter(name="script"),
    ),
    Route(
        "accounts:token-revoke",
        "POST",
        lambda w: f"/accounts/tokens/{w.row['token'].pk}/revoke/",
        signed_in(404, enterprise=302),
        label="own token",
        per_row=lambda w: {"token": own_token(w)},
        done=revoked,
    ),
    Route("api-tokens", "GET", lambda w: "/api/v1/tokens/", everyone(200, visitor=401)),
    Route(
        "api-tokens",
        "POST",
        lambda w: "/api/v1/tokens/",
        everyone(201, visitor=401),
        json=True,
        data=lambda w: {"name": "script"},
        done=lambda w: ApiToken.objects.filter(name="script"),
    ),
    Route(
        "api-token-revoke",
        "DELETE",
        lambda w: f"/api/v1/tokens/{w.row['token'].pk}/",
        everyone(404, visitor=401, enterprise=200),
        label="own token",
        per_row=lambda w: {"token": own_token(w)},
        done=revoked,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), cases(ROUTES), ids=case_id)
def test_permission(world, route, role):
    check(world, route, role)
