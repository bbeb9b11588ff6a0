"""Every API error answers one shape: {"detail", "code"} and, for bad input, "fields"."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import User

pytestmark = pytest.mark.django_db


def as_user(email: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(email=email))
    return client


def test_not_found_names_its_code():
    response = APIClient().get("/api/v1/products/999999999/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "code"}
    assert response.json()["code"] == "not_found"


def test_forbidden_names_its_code():
    response = as_user("enterprise@example.com").get("/api/v1/dashboard/summary/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_unauthenticated_names_its_code():
    response = APIClient().get("/api/v1/notifications/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_bad_input_lists_the_fields():
    response = APIClient().post("/api/auth/token/", {"email": "not an email"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"email", "password"}
