from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from core.models import Industry, IPKind, Province
from products.models import Institution, Product, ProductStatusChange
from tests.factories import InstitutionFactory, ProductFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer() -> User:
    return User.objects.get(email="bank@example.com")


@pytest.fixture
def bank(officer) -> Institution:
    return Institution.objects.get(memberships__user=officer)


@pytest.fixture
def client(officer) -> APIClient:
    client = APIClient()
    client.force_authenticate(officer)
    return client


@pytest.fixture
def draft(bank) -> Product:
    product = ProductFactory(institution=bank, status=Product.Status.DRAFT, published_at=None)
    product.accepted_ip_kinds.set(IPKind.objects.filter(pk__in=["invention_patent", "trademark"]))
    return product


def body(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name_zh": "科创知识产权贷",
        "name_en": "Sci-tech IP Loan",
        "kind": "mixed_ip_pledge_loan",
        "amount_min": "1000000.00",
        "amount_max": "30000000.00",
        "rate_min": "3.85",
        "rate_max": "5.85",
        "term_min_months": 6,
        "term_max_months": 36,
        "max_pledge_ratio": "55.00",
        "accepted_ip_kinds": ["invention_patent", "trademark"],
        "provinces_served": ["330000"],
    }
    values.update(overrides)
    return values


def test_the_catalogue_is_public_paginated_and_reads_amounts_as_strings():
    response = APIClient().get("/api/v1/products/")

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == Product.objects.filter(status="published").count()
    assert len(data["results"]) == 25
    first = data["results"][0]
    assert isinstance(first["amount_max"], str)
    Decimal(first["amount_max"])
    assert first["status"] == "published"
    assert {"institution", "accepted_ip_kinds", "provinces_served", "nationwide"} <= set(first)


def test_the_catalogue_filters_like_the_pages():
    nationwide = ProductFactory(name_en="Everywhere Loan")
    nationwide.accepted_ip_kinds.set([IPKind.objects.get(pk="copyright")])

    response = APIClient().get("/api/v1/products/", {"province": "650000", "ip_kind": "copyright"})

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["code"] for r in results] == [nationwide.code]
    assert results[0]["nationwide"] is True


def test_a_bad_filter_value_answers_400_with_the_field():
    response = APIClient().get("/api/v1/products/", {"amount": "lots"})
    assert response.status_code == 400
    assert "amount" in response.json()["fields"]


def test_the_catalogue_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    # Count, page, three many-to-manys.
    with django_assert_max_num_queries(5):
        assert APIClient().get("/api/v1/products/?page_size=100").status_code == 200


def test_an_officer_creates_a_draft(client, bank):
    response = client.post("/api/v1/products/", {**body(), "institution": bank.pk}, format="json")

    assert response.status_code == 201
    product = Product.objects.get(pk=response.json()["id"])
    assert product.status == Product.Status.DRAFT
    assert product.institution == bank
    assert product.amount_max == Decimal("30000000.00")
    assert set(product.accepted_ip_kinds.values_list("code", flat=True)) == {
        "invention_patent",
        "trademark",
    }
    assert response.json()["amount_max"] == "30000000.00"
    # Not in the catalogue until it is published.
    catalogue = APIClient().get("/api/v1/products/", {"institution": bank.pk}).json()
    assert product.code not in [r["code"] for r in catalogue["results"]]


def test_a_draft_for_someone_elses_institution_is_forbidden(client):
    other = InstitutionFactory()
    response = client.post("/api/v1/products/", {**body(), "institution": other.pk}, format="json")
    assert response.status_code == 403
    assert not Product.objects.filter(institution=other).exists()


def test_creating_needs_a_signed_in_user(bank):
    response = APIClient().post(
        "/api/v1/products/", {**body(), "institution": bank.pk}, format="json"
    )
    assert response.status_code == 401


def test_creating_with_a_token(officer, bank):
    token, _ = Token.objects.get_or_create(user=officer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post("/api/v1/products/", {**body(), "institution": bank.pk}, format="json")
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount_min": "5000000.00", "amount_max": "1000000.00"}, "amount_max"),
        ({"rate_max": "40.00"}, "rate_max"),
        ({"term_min_months": 24, "term_max_months": 12}, "term_max_months"),
        ({"max_pledge_ratio": "150.00"}, "max_pledge_ratio"),
        ({"accepted_ip_kinds": []}, "accepted_ip_kinds"),
        ({"provinces_served": ["999999"]}, "provinces_served"),
        ({"amount_min": "a lot"}, "amount_min"),
    ],
)
def test_bad_ranges_answer_400_with_the_fields_and_save_nothing(client, bank, overrides, field):
    before = Product.objects.count()
    response = client.post(
        "/api/v1/products/", {**body(**overrides), "institution": bank.pk}, format="json"
    )

    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "invalid"
    assert field in data["fields"]
    assert Product.objects.count() == before


def test_publishing_puts_the_draft_in_the_public_catalogue(client, officer, draft):
    response = client.post(f"/api/v1/products/{draft.pk}/publish/")

    assert response.status_code == 200
    assert response.json()["status"] == "published"
    draft.refresh_from_db()
    assert draft.status == Product.Status.PUBLISHED
    assert ProductStatusChange.objects.get(product=draft).actor == officer
    public = APIClient().get("/api/v1/products/", {"q": draft.name_en}).json()
    assert draft.code in [r["code"] for r in public["results"]]


def test_publishing_twice_answers_409_and_changes_nothing(client, draft):
    assert client.post(f"/api/v1/products/{draft.pk}/publish/").status_code == 200
    draft.refresh_from_db()
    published_at = draft.published_at

    response = client.post(f"/api/v1/products/{draft.pk}/publish/")

    assert response.status_code == 409
    data = response.json()
    assert set(data) == {"detail", "code"}
    assert data["code"] == "move_not_allowed"
    draft.refresh_from_db()
    assert draft.published_at == published_at
    assert draft.history.count() == 1


def test_withdrawing_takes_it_out_of_the_catalogue_with_the_note(client, draft):
    client.post(f"/api/v1/products/{draft.pk}/publish/")

    response = client.post(
        f"/api/v1/products/{draft.pk}/withdraw/", {"note": "Repricing"}, format="json"
    )

    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Product.Status.WITHDRAWN
    assert draft.history.last().note == "Repricing"
    assert APIClient().get(f"/api/v1/products/{draft.pk}/").status_code == 404


def test_withdrawing_a_draft_answers_409(client, draft):
    response = client.post(f"/api/v1/products/{draft.pk}/withdraw/")
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.status == Product.Status.DRAFT


def test_an_officer_edits_a_draft(client, draft):
    response = client.patch(
        f"/api/v1/products/{draft.pk}/",
        {"rate_max": "7.20", "provinces_served": []},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["nationwide"] is True
    draft.refresh_from_db()
    assert draft.rate_max == Decimal("7.20")


def test_editing_with_an_upside_down_range_answers_400(client, draft):
    response = client.patch(
        f"/api/v1/products/{draft.pk}/",
        {"term_max_months": 1, "term_min_months": 12},
        format="json",
    )
    assert response.status_code == 400
    assert "term_max_months" in response.json()["fields"]
    draft.refresh_from_db()
    assert draft.term_min_months == 6


def test_editing_a_published_product_answers_409(client, bank):
    product = ProductFactory(institution=bank)
    response = client.patch(f"/api/v1/products/{product.pk}/", {"name_en": "X"}, format="json")
    assert response.status_code == 409
    product.refresh_from_db()
    assert product.name_en != "X"


def test_a_draft_is_hidden_from_other_institutions(draft):
    outsider = APIClient()
    outsider.force_authenticate(member_of(InstitutionFactory()))
    assert outsider.get(f"/api/v1/products/{draft.pk}/").status_code == 404
    assert outsider.post(f"/api/v1/products/{draft.pk}/publish/").status_code == 404
    draft.refresh_from_db()
    assert draft.status == Product.Status.DRAFT


def test_the_history_lists_each_move_with_its_actor(client, officer, draft):
    client.post(f"/api/v1/products/{draft.pk}/publish/")
    client.post(f"/api/v1/products/{draft.pk}/withdraw/", {"note": "Paused"}, format="json")

    response = client.get(f"/api/v1/products/{draft.pk}/history/")

    assert response.status_code == 200
    assert [(c["from_status"], c["to_status"], c["note"]) for c in response.json()] == [
        ("draft", "published", ""),
        ("published", "withdrawn", "Paused"),
    ]
    assert response.json()[0]["actor"] == str(officer)


def test_institutions_are_listed_publicly_with_their_province():
    response = APIClient().get("/api/v1/institutions/", {"province": "330000", "kind": "bank"})

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == Institution.objects.filter(province="330000", kind="bank").count()
    first = data["results"][0]
    assert set(first) == {"id", "code", "name_zh", "name_en", "kind", "province"}
    assert first["province"]["code"] == "330000"


# --- the catalogue's list: plain rows and a short-lived cache


def test_each_catalogue_row_reads_as_the_products_own_page():
    rich = ProductFactory(
        name_en="", summary_en="Loans for chip makers", requirements="Two years of revenue."
    )
    rich.accepted_ip_kinds.set(
        IPKind.objects.filter(pk__in=["trademark", "invention_patent", "software_copyright"])
    )
    rich.provinces_served.set(Province.objects.filter(pk__in=["440000", "330000"]))
    rich.target_industries.set(
        Industry.objects.filter(pk__in=["integrated-circuits", "next-gen-it"])
    )
    client = APIClient()

    for language in ("en", "zh-hans"):
        rows = client.get(
            "/api/v1/products/", {"page_size": 200}, HTTP_ACCEPT_LANGUAGE=language
        ).json()["results"]
        assert len(rows) == Product.objects.filter(status="published").count()
        for row in rows:
            assert row == client.get(f"/api/v1/products/{row['id']}/").json()
    row = next(row for row in rows if row["id"] == rich.pk)
    assert row["accepted_ip_kinds"] == ["invention_patent", "trademark", "software_copyright"]
    assert [p["code"] for p in row["provinces_served"]] == ["330000", "440000"]
    assert row["nationwide"] is False


def test_a_repeated_catalogue_request_is_answered_from_the_cache(django_assert_num_queries):
    client = APIClient()
    first = client.get("/api/v1/products/?kind=patent_pledge_loan&page=2&page_size=5")

    with django_assert_num_queries(0):
        again = client.get("/api/v1/products/?page_size=5&page=2&kind=patent_pledge_loan")

    assert again.status_code == 200
    assert again.json()["results"] == first.json()["results"]
    assert again.json()["count"] == first.json()["count"]


def test_the_next_catalogue_page_reads_its_count_from_the_cache(django_assert_num_queries):
    client = APIClient()
    first = client.get("/api/v1/products/?page_size=5").json()

    # The page's rows and their kinds, provinces and industries: no count.
    with django_assert_num_queries(4):
        second = client.get("/api/v1/products/?page_size=5&page=2").json()

    assert second["count"] == first["count"] == Product.objects.filter(status="published").count()
    assert {r["code"] for r in second["results"]}.isdisjoint(r["code"] for r in first["results"])


def test_a_publish_shows_in_the_catalogue_on_the_next_request(
    client, draft, django_capture_on_commit_callbacks
):
    public = APIClient()
    assert draft.code not in [r["code"] for r in public.get("/api/v1/products/").json()["results"]]

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/products/{draft.pk}/publish/").status_code == 200

    assert public.get("/api/v1/products/").json()["results"][0]["code"] == draft.code


def test_a_withdrawal_leaves_the_catalogue_on_the_next_request(
    client, bank, django_capture_on_commit_callbacks
):
    product = ProductFactory(institution=bank)
    product.accepted_ip_kinds.set([IPKind.objects.get(pk="trademark")])
    public = APIClient()
    listed = public.get("/api/v1/products/").json()
    assert listed["results"][0]["code"] == product.code

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/products/{product.pk}/withdraw/").status_code == 200

    after = public.get("/api/v1/products/").json()
    assert product.code not in [r["code"] for r in after["results"]]
    assert after["count"] == listed["count"] - 1


def test_a_refused_move_leaves_the_cached_catalogue_alone(
    client, bank, django_capture_on_commit_callbacks, django_assert_num_queries
):
    product = ProductFactory(institution=bank)
    public = APIClient()
    public.get("/api/v1/products/")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.post(f"/api/v1/products/{product.pk}/publish/").status_code == 409

    assert callbacks == []
    with django_assert_num_queries(0):
        assert public.get("/api/v1/products/").json()["results"][0]["code"] == product.code
