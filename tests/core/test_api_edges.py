"""What any API client meets at the edges: bodies too deep or too large,
addresses that name no endpoint, paging out of range. Each answer is the
API's JSON error body, never a 500 or an HTML page."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def error_of(response):
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= {"detail", "code"}
    return body


def test_json_nested_too_deep_is_bad_input_not_a_crash():
    body = '{"a":' * 5000 + "1" + "}" * 5000

    response = APIClient().post("/api/auth/token/", body, content_type="application/json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_a_json_body_over_the_cap_is_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"email": "x" * 20_000, "password": "secret"})

    response = APIClient().post("/api/auth/token/", body, content_type="application/json")

    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


@pytest.mark.parametrize("encoding", ["form", "multipart"])
def test_a_form_body_over_the_cap_is_413(settings, encoding):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    data = {"email": "x" * 20_000, "password": "secret"}
    client = APIClient()

    if encoding == "form":
        from urllib.parse import urlencode

        response = client.post(
            "/api/auth/token/", urlencode(data), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post("/api/auth/token/", data, format="multipart")

    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/no-such-thing/",
        "/api/v1/applications/1.1/take-for-review/",
        "/api/v2/products/",
        "/api/",
    ],
)
def test_an_address_under_the_api_that_names_no_endpoint_is_a_json_404(address):
    response = APIClient().get(address)

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=-1", "page=abc", "page_size=null", "page_size=0", "page_size=2.5"],
)
def test_paging_that_is_not_a_positive_whole_number_is_bad_input(query):
    ProductFactory()

    response = APIClient().get(f"/api/v1/products/?{query}")

    assert response.status_code == 400
    body = error_of(response)
    assert set(body["fields"]) == {query.split("=")[0]}


def test_a_page_past_the_last_is_404_and_a_valid_page_is_served():
    ProductFactory()

    assert APIClient().get("/api/v1/products/?page=1&page_size=5").status_code == 200
    response = APIClient().get("/api/v1/products/?page=9")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
