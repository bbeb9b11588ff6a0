"""A request larger than any upload the portal takes is refused with 413
before anything reads it, as nginx refuses it in front (README, Limits)."""

from __future__ import annotations

import pytest
from django.test import Client

from core.limits import DOCUMENT_MAX_BYTES, DOCUMENTS_PER_ANSWER, REQUEST_BODY_MAX_BYTES

pytestmark = pytest.mark.django_db


def test_the_cap_holds_a_full_answer_with_its_form():
    assert REQUEST_BODY_MAX_BYTES > DOCUMENT_MAX_BYTES * DOCUMENTS_PER_ANSWER


def test_a_body_past_the_cap_is_refused_unread_on_pages_and_the_api():
    too_large = str(REQUEST_BODY_MAX_BYTES + 1)
    page = Client().post(
        "/accounts/login/", b"", content_type="text/plain", CONTENT_LENGTH=too_large
    )
    assert page.status_code == 413
    assert page.content.decode() == "The request body is too large."

    api = Client().post(
        "/api/v1/tokens/", b"", content_type="application/json", CONTENT_LENGTH=too_large
    )
    assert api.status_code == 413
    assert api.json() == {"detail": "The request body is too large.", "code": "too_large"}


def test_a_body_at_the_cap_goes_on_to_the_view():
    response = Client().post(
        "/api/v1/tokens/",
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(REQUEST_BODY_MAX_BYTES),
    )
    assert response.status_code != 413
