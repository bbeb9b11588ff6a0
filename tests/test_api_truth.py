"""The API tells the truth about itself: every operation documents the error
statuses it can answer with the error schema; an empty link is null, as a
"uri" that may be missing should be; paging that is not a whole number is
refused; and a POST to no endpoint is the API's JSON 404."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import User
from core.api import document_error_responses
from knowledge.models import MediaReport, Policy
from tests.rows import first

pytestmark = pytest.mark.django_db

ERROR = {"$ref": "#/components/schemas/Error"}


@pytest.fixture(scope="module")
def schema():
    return document_error_responses(SchemaGenerator().get_schema(request=None, public=True))


def test_every_operation_documents_the_errors_it_can_answer(schema):
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            wanted = {"400", "403", "404", "406", "429", "503"}
            if any(operation["security"]):  # it reads credentials, which may be refused
                wanted.add("401")
            if method in ("post", "put", "patch"):
                wanted |= {"413", "415"}
            for code in sorted(wanted):
                response = operation["responses"].get(code)
                content = (response or {}).get("content", {}).get("application/json", {})
                if "$ref" not in content.get("schema", {}):
                    missing.append(f"{method.upper()} {path} {code}")
    assert missing == []
    assert set(schema["components"]["schemas"]["Error"]["properties"]) >= {"detail", "code"}


def test_the_served_schema_documents_them_too():
    served = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    operation = served.json()["paths"]["/api/v1/policies/"]["get"]
    assert {"401", "403", "404", "429", "503"} <= set(operation["responses"])


def test_a_policy_without_a_link_has_a_null_url():
    policy = first(Policy.objects.all())
    Policy.objects.filter(pk=policy.pk).update(url="")
    body = APIClient().get(f"/api/v1/policies/{policy.pk}/").json()
    assert body["url"] is None


def test_a_policy_with_a_link_keeps_it():
    policy = first(Policy.objects.all())
    Policy.objects.filter(pk=policy.pk).update(url="https://www.cnipa.gov.cn/")
    body = APIClient().get(f"/api/v1/policies/{policy.pk}/").json()
    assert body["url"] == "https://www.cnipa.gov.cn/"


def test_a_media_report_without_a_link_has_a_null_url():
    report = first(MediaReport.objects.all())
    MediaReport.objects.filter(pk=report.pk).update(url="")
    body = APIClient().get(f"/api/v1/media-reports/{report.pk}/").json()
    assert body["url"] is None


def test_the_schema_says_a_link_may_be_null(schema):
    url = schema["components"]["schemas"]["Policy"]["properties"]["url"]
    assert url.get("nullable") is True


@pytest.mark.parametrize("query", ["page_size=null", "page_size=", "page=0", "page=-1"])
def test_paging_that_is_not_a_whole_number_of_one_or_more_is_a_400(query):
    response = APIClient().get(f"/api/v1/policies/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_post_to_no_endpoint_is_the_json_404_not_a_csrf_page():
    client = APIClient(enforce_csrf_checks=True)
    response = client.post("/api/v1/applications/-1/take-for-review/", {}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_month_in_year_zero_is_bad_input_not_a_server_error():
    client = APIClient()
    client.force_authenticate(User.objects.get(email="regulator@example.com"))
    response = client.get("/api/v1/dashboard/summary/?month=0000-01")
    assert response.status_code == 400
    assert "month" in response.json()["fields"]


def _signed_in(email: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(email=email))
    return client


def test_an_error_on_an_item_of_a_list_names_the_item_under_its_field():
    client = _signed_in("enterprise@example.com")
    response = client.post("/api/v1/notifications/read/", {"ids": [3, 0]}, format="json")
    assert response.status_code == 400
    fields = response.json()["fields"]
    # The second id is refused, under the field the client sent: every value
    # is a list of messages, as the Error schema says.
    assert list(fields) == ["ids"]
    assert all(isinstance(message, str) for message in fields["ids"])
    assert fields["ids"][0].startswith("Item 2: ")


def test_the_error_schema_says_how_items_are_named(schema):
    fields = schema["components"]["schemas"]["Error"]["properties"]["fields"]
    assert fields["additionalProperties"] == {"type": "array", "items": {"type": "string"}}
    assert "Item 2" in fields["description"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/matching/ranking/", "/api/v1/matching/leads/", "/api/v1/dashboard/by/{dimension}/"],
)
def test_lists_answered_a_page_at_a_time_are_documented_as_pages(schema, path):
    operation = schema["paths"][path]["get"]
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    page = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
    assert {"count", "next", "previous", "results"} <= set(page["properties"])
    assert {"page", "page_size"} <= {parameter["name"] for parameter in operation["parameters"]}


def test_a_refused_sign_in_is_a_documented_400_and_never_a_401(schema):
    responses = schema["paths"]["/api/auth/token/"]["post"]["responses"]
    refused = APIClient().post(
        "/api/auth/token/",
        {"email": "enterprise@example.com", "password": "not the password"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["fields"]["non_field_errors"]
    assert "password" in responses["400"]["description"]
    # The sign-in reads no credentials of its own: there is nothing to 401.
    assert "401" not in responses
