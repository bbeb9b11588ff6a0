"""Personal API tokens: made on the page or through the API, shown once,
stored hashed, listed with their last use, revocable; an expired or revoked
token gets 401. The token sign-in asks for the second factor's code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, SecurityEvent
from accounts.services import token_create, token_digest, user_create
from tests.accounts.totp import current_code, give_second_factor, wrong_code

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough password"


@pytest.fixture
def user():
    return user_create(
        email="api.user@example.com", password=PASSWORD, verified=True, language="en"
    )


def with_token(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def test_a_token_made_on_the_page_is_shown_once_and_stored_only_as_a_hash(user):
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/tokens/", {"name": "nightly export", "days": "30"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("ipf_") and secret in response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert token.digest == token_digest(secret) and secret not in (token.digest, token.hint)
    assert token.expires_at.date() == (timezone.now() + timedelta(days=30)).date()
    assert SecurityEvent.objects.filter(user=user, kind="token_created").exists()

    listing = client.get("/accounts/tokens/").content.decode()
    assert "nightly export" in listing and secret not in listing


def test_a_token_without_a_name_or_with_too_long_a_life_is_refused(user):
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/tokens/", {"name": "", "days": "400"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "days"}
    assert not ApiToken.objects.filter(user=user).exists()


def test_a_token_opens_the_api_and_records_its_last_use(user):
    token, secret = token_create(user=user, name="script")
    assert token.last_used_at is None
    response = with_token(secret).get("/api/v1/notifications/")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_gets_401_in_the_api_error_shape(user):
    token, secret = token_create(user=user, name="script")
    client = Client()
    client.force_login(user)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    response = with_token(secret).get("/api/v1/notifications/")
    assert response.status_code == 401
    assert response.json() == {"detail": "This token has been revoked.", "code": "token_revoked"}
    assert response["WWW-Authenticate"] == "Token"
    assert SecurityEvent.objects.filter(user=user, kind="token_revoked").exists()


def test_an_expired_token_gets_401(user):
    token, secret = token_create(user=user, name="script", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = with_token(secret).get("/api/v1/notifications/")
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


def test_an_unknown_personal_token_gets_401_and_old_tokens_still_work(user):
    from rest_framework.authtoken.models import Token

    assert with_token("ipf_nothing-like-this").get("/api/v1/notifications/").status_code == 401
    legacy = Token.objects.create(user=user)
    assert with_token(legacy.key).get("/api/v1/notifications/").status_code == 200


def test_tokens_through_the_api_list_create_and_revoke(user):
    client = APIClient()
    client.force_authenticate(user)
    made = client.post("/api/v1/tokens/", {"name": "ci", "days": 7}, format="json")
    assert made.status_code == 201
    secret = made.json()["token"]
    assert made.json()["detail"]["active"] is True
    listed = client.get("/api/v1/tokens/").json()["results"]
    assert [t["name"] for t in listed] == ["ci"]
    assert "digest" not in listed[0] and secret not in str(listed)
    revoked = client.delete(f"/api/v1/tokens/{listed[0]['id']}/")
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    assert with_token(secret).get("/api/v1/tokens/").status_code == 401


def test_bad_input_to_the_token_api_is_answered_by_field(user):
    client = APIClient()
    client.force_authenticate(user)
    response = client.post("/api/v1/tokens/", {"name": "", "days": 0}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"name", "days"}
    assert not ApiToken.objects.exists()


def test_nobody_revokes_someone_elses_token(user):
    token, secret = token_create(user=user, name="script")
    other = user_create(email="other@example.com", password=PASSWORD, verified=True)
    client = APIClient()
    client.force_authenticate(other)
    assert client.delete(f"/api/v1/tokens/{token.pk}/").status_code == 404
    assert with_token(secret).get("/api/v1/tokens/").status_code == 200


def test_the_token_list_takes_a_fixed_number_of_queries(user, django_assert_max_num_queries):
    client = Client()
    client.force_login(user)
    for n in range(12):
        token_create(user=user, name=f"t{n}")
    with django_assert_max_num_queries(12):
        assert client.get("/accounts/tokens/").status_code == 200
    api = APIClient()
    api.force_authenticate(user)
    with django_assert_max_num_queries(3):
        assert api.get("/api/v1/tokens/").status_code == 200


def sign_in_for_token(**extra: str):
    return APIClient().post(
        "/api/auth/token/",
        {"email": "api.user@example.com", "password": PASSWORD, **extra},
        format="json",
    )


def test_the_token_sign_in_hands_out_a_personal_token(user):
    response = sign_in_for_token()
    assert response.status_code == 200
    secret = response.json()["token"]
    assert with_token(secret).get("/api/v1/notifications/").status_code == 200
    assert ApiToken.objects.get(user=user).expires_at > timezone.now() + timedelta(days=89)


def test_the_token_sign_in_asks_for_the_second_factor_when_there_is_one(user):
    secret = give_second_factor(user)
    missing = sign_in_for_token()
    assert missing.status_code == 400
    assert "code" in missing.json()["fields"]
    wrong = sign_in_for_token(code=wrong_code(secret))
    assert wrong.status_code == 400
    assert "not right" in wrong.json()["fields"]["code"][0]
    right = sign_in_for_token(code=current_code(secret))
    assert right.status_code == 200
    assert right.json()["token"].startswith("ipf_")


def test_repeated_wrong_codes_lock_the_token_sign_in(user):
    secret = give_second_factor(user)
    for _ in range(5):
        assert sign_in_for_token(code=wrong_code(secret)).status_code == 400
    locked = sign_in_for_token(code=current_code(secret))
    assert locked.status_code == 429
    assert locked.json()["code"] == "throttled"
    assert not ApiToken.objects.filter(user=user).exists()
    failures = SecurityEvent.objects.filter(user=user, kind="sign_in_failed")
    assert failures.count() == 5


def test_with_mfa_required_an_officer_without_one_gets_no_token(settings):
    settings.IPFIN_REQUIRE_MFA = True
    response = APIClient().post(
        "/api/auth/token/",
        {"email": "bank@example.com", "password": "ipfin-demo-2020"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"
    # Enterprise staff may choose.
    allowed = APIClient().post(
        "/api/auth/token/",
        {"email": "enterprise@example.com", "password": "ipfin-demo-2020"},
        format="json",
    )
    assert allowed.status_code == 200
