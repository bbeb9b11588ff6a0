from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "ipfin-demo-2020"


def sign_in(client: Client, password: str):
    return client.post("/accounts/sign-in/", {"username": "bank@example.com", "password": password})


def test_repeated_failed_sign_ins_lock_the_account_even_for_the_right_password():
    client = Client()
    for _ in range(5):
        assert sign_in(client, "guess").status_code in (200, 429)

    locked = sign_in(client, DEMO_PASSWORD)

    assert locked.status_code == 429
    assert "Signing in is paused" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_few_mistakes_do_not_lock_anyone_out():
    client = Client()
    for _ in range(3):
        sign_in(client, "guess")
    assert sign_in(client, DEMO_PASSWORD).status_code == 302


def test_the_token_endpoint_counts_failures_too():
    client = APIClient()
    for _ in range(5):
        client.post(
            "/api/auth/token/",
            {"email": "bank@example.com", "password": "guess"},
            format="json",
        )
    response = client.post(
        "/api/auth/token/",
        {"email": "bank@example.com", "password": DEMO_PASSWORD},
        format="json",
    )
    assert response.status_code == 429
    assert "token" not in response.json()


def test_the_sign_in_form_carries_a_csrf_token():
    html = Client().get("/accounts/sign-in/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_password_like_the_email_is_refused_by_the_validators():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from accounts.models import User

    user = User(email="zhang.wei@example.com", full_name="Zhang Wei")
    with pytest.raises(ValidationError):
        validate_password("zhang.wei", user)
    with pytest.raises(ValidationError):
        validate_password("12345678", user)
