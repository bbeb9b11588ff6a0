from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import User
from core.models import Province
from products.models import Institution, Product
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer() -> User:
    return User.objects.get(email="bank@example.com")


@pytest.fixture
def bank(officer) -> Institution:
    return Institution.objects.get(memberships__user=officer)


@pytest.fixture
def client(officer) -> Client:
    client = Client()
    client.force_login(officer)
    return client


def product(**fields) -> Product:
    made = ProductFactory(**fields)
    made.accepted_ip_kinds.set(fields.get("ip_kinds", ["invention_patent"]))
    return made


def form_data(**overrides) -> dict:
    data = {
        "name_zh": "专利成长贷",
        "name_en": "Patent Growth Loan",
        "kind": "patent_pledge_loan",
        "amount_min": "1000000",
        "amount_max": "10000000",
        "rate_min": "3.85",
        "rate_max": "5.50",
        "term_min_months": "6",
        "term_max_months": "24",
        "max_pledge_ratio": "50",
        "accepted_ip_kinds": ["invention_patent", "utility_model"],
        "provinces_served": ["330000"],
        "requirements": "",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- catalogue


def test_the_catalogue_lists_published_products_25_to_a_page():
    response = Client().get("/products/")

    assert response.status_code == 200
    page = response.context["page"]
    assert len(page.object_list) == 25
    assert page.paginator.count == Product.objects.filter(status="published").count()
    assert "Compare selected" in response.content.decode()


def test_the_catalogue_shows_a_filtered_nationwide_product_with_its_terms():
    nationwide = product(name_en="Everywhere Loan", amount_max=Decimal("710000000"))

    response = Client().get("/products/", {"province": "650000", "q": "Everywhere"})

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [nationwide]
    html = response.content.decode()
    assert "Everywhere Loan" in html
    assert "Nationwide" in html
    assert "¥710,000,000" in html


def test_the_catalogue_says_when_nothing_matches():
    response = Client().get("/products/", {"q": "no product has this name"})
    assert response.status_code == 200
    assert "No published product matches these filters" in response.content.decode()


def test_a_bad_filter_value_is_shown_on_the_form_not_a_500():
    response = Client().get("/products/", {"amount": "lots", "term": "-3"})
    assert response.status_code == 200
    assert set(response.context["filter"].errors) == {"amount", "term"}


def test_the_catalogue_pages_and_sorts():
    response = Client().get("/products/", {"ordering": "rate_min", "page": "2"})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.number == 2
    rates = [p.rate_min for p in page.object_list]
    assert rates == sorted(rates)


def test_the_catalogue_in_chinese_reads_amounts_in_wan_yuan():
    product(name_zh="百万贷", amount_min=Decimal("1000000"), amount_max=Decimal("5000000"))
    response = Client().get("/zh-hans/products/", {"q": "百万贷"})
    assert response.status_code == 200
    assert "100万元" in response.content.decode()


def test_the_catalogue_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    # The filter form's choices (IP kinds, provinces, institutions), a count,
    # the page and its three many-to-manys; no query per product.
    with django_assert_max_num_queries(10):
        assert Client().get("/products/", {"province": "330000"}).status_code == 200


# ---------------------------------------------------------------- one product


def test_the_product_page_shows_its_terms():
    shown = product(name_en="Shown Loan", max_pledge_ratio=Decimal("45.00"))
    shown.provinces_served.set(Province.objects.filter(pk__in=["330000", "110000"]))

    response = Client().get(f"/products/{shown.code}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Shown Loan" in html
    assert shown.institution.name in html
    assert "Zhejiang" in html and "Beijing" in html
    assert "up to 45% of the appraised value" in html
    assert f"/products/compare/?p={shown.code}" in html


def test_a_draft_is_not_found_by_the_public_but_seen_by_its_institution(client, bank):
    draft = product(institution=bank, status=Product.Status.DRAFT)
    assert Client().get(f"/products/{draft.code}/").status_code == 404
    response = client.get(f"/products/{draft.code}/")
    assert response.status_code == 200
    assert "not in the public catalogue" in response.content.decode()


# ---------------------------------------------------------------- compare


def test_compare_shows_four_products_side_by_side():
    four = [product() for _ in range(4)]
    response = Client().get("/products/compare/", {"p": [p.code for p in four]})

    assert response.status_code == 200
    assert [p for p, _ in response.context["columns"]] == four
    assert response.content.decode().count('<th scope="col">') == 4


def test_compare_refuses_a_fifth_with_a_message_and_shows_the_first_four():
    five = [product() for _ in range(5)]
    response = Client().get("/products/compare/", {"p": [p.code for p in five]})

    assert response.status_code == 200
    assert [p for p, _ in response.context["columns"]] == five[:4]
    assert "Compare at most 4 products at a time." in response.content.decode()


def test_compare_with_nothing_chosen_explains_itself():
    response = Client().get("/products/compare/")
    assert response.status_code == 200
    assert "Tick up to 4 products" in response.content.decode()


# ---------------------------------------------------------------- workspace


def test_the_workspace_lists_the_institutions_own_products_with_their_actions(client, bank):
    draft = product(institution=bank, status=Product.Status.DRAFT, name_en="My Draft")
    someone_elses = product(name_en="Not Mine")

    response = client.get("/products/manage/")

    assert response.status_code == 200
    listed = list(response.context["page"].object_list)
    assert draft in listed
    assert someone_elses not in listed
    html = response.content.decode()
    assert f"/products/manage/{draft.code}/publish/" in html


def test_each_row_of_the_workspace_offers_the_moves_its_status_allows(client, bank):
    draft = product(institution=bank, status=Product.Status.DRAFT, published_at=None)
    published = product(institution=bank)
    withdrawn = product(institution=bank, status=Product.Status.WITHDRAWN)

    html = client.get("/products/manage/").content.decode()

    for code in (draft.code, withdrawn.code):
        assert f'action="/products/manage/{code}/publish/"' in html
        assert f'action="/products/manage/{code}/withdraw/"' not in html
    assert f'action="/products/manage/{published.code}/withdraw/"' in html
    assert f'action="/products/manage/{published.code}/publish/"' not in html
    # The withdrawal asks why, in a field of its own per row.
    field = re.search(rf'<input[^>]*id="withdraw-{published.pk}-note"[^>]*>', html)
    assert field is not None
    assert 'name="note"' in field[0]
    assert 'placeholder="Why (optional)"' in field[0]
    assert f'<label class="visually-hidden" for="withdraw-{published.pk}-note">' in html


def test_the_workspace_is_for_institutions_only():
    enterprise = Client()
    enterprise.force_login(User.objects.get(email="enterprise@example.com"))
    assert enterprise.get("/products/manage/").status_code == 403
    assert Client().get("/products/manage/").status_code == 302


def test_a_new_product_is_saved_as_a_draft(client, bank):
    response = client.post("/products/manage/new/", {**form_data(), "institution": bank.pk})

    assert response.status_code == 302
    created = Product.objects.get(institution=bank, name_en="Patent Growth Loan")
    assert created.status == Product.Status.DRAFT
    assert created.amount_max == Decimal("10000000")
    assert set(created.provinces_served.values_list("code", flat=True)) == {"330000"}


def test_the_new_product_form_shows_its_errors_and_saves_nothing(client, bank):
    before = Product.objects.count()
    response = client.post(
        "/products/manage/new/",
        {
            **form_data(amount_min="9000000", amount_max="1000000", rate_max="50"),
            "accepted_ip_kinds": [],
            "institution": bank.pk,
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"amount_max", "rate_max", "accepted_ip_kinds"} <= set(errors)
    assert "Please correct the errors below." in response.content.decode()
    assert Product.objects.count() == before


def test_a_draft_is_edited(client, bank):
    draft = product(institution=bank, status=Product.Status.DRAFT)

    response = client.post(
        f"/products/manage/{draft.code}/edit/", form_data(name_en="Edited Loan", rate_max="6.00")
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.name_en, draft.rate_max) == ("Edited Loan", Decimal("6.00"))


def test_editing_with_bad_input_shows_the_form_again(client, bank):
    draft = product(institution=bank, status=Product.Status.DRAFT)
    response = client.post(
        f"/products/manage/{draft.code}/edit/",
        form_data(term_min_months="24", term_max_months="6"),
    )
    assert response.status_code == 200
    assert "term_max_months" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.term_max_months == 36


def test_editing_a_published_product_says_to_withdraw_it_first(client, bank):
    published = product(institution=bank)

    page = client.get(f"/products/manage/{published.code}/edit/")
    assert page.status_code == 200
    assert "Withdraw it from the catalogue before you change it" in page.content.decode()

    response = client.post(f"/products/manage/{published.code}/edit/", form_data(name_en="Changed"))
    assert response.status_code == 200
    assert "withdraw it first" in response.content.decode()
    published.refresh_from_db()
    assert published.name_en != "Changed"


def test_publish_and_withdraw_from_the_workspace(client, bank):
    draft = product(institution=bank, status=Product.Status.DRAFT)

    response = client.post(f"/products/manage/{draft.code}/publish/", follow=True)
    assert response.status_code == 200
    assert "is published" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Product.Status.PUBLISHED

    response = client.post(
        f"/products/manage/{draft.code}/withdraw/",
        {"note": "Repricing", "confirmed": "1"},
        follow=True,
    )
    assert "is withdrawn from the catalogue" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Product.Status.WITHDRAWN
    last = draft.history.last()
    assert last is not None
    assert last.note == "Repricing"

    edit = client.get(f"/products/manage/{draft.code}/edit/").content.decode()
    assert "Repricing" in edit


def test_a_move_not_allowed_is_a_message(client, bank):
    published = product(institution=bank)

    response = client.post(f"/products/manage/{published.code}/publish/", follow=True)

    assert response.status_code == 200
    assert "Only a draft or a withdrawn product can be published" in response.content.decode()
    assert not published.history.exists()


def test_someone_elses_product_is_not_found_in_the_workspace(client):
    theirs = product(status=Product.Status.DRAFT)
    assert client.get(f"/products/manage/{theirs.code}/edit/").status_code == 404
    assert client.post(f"/products/manage/{theirs.code}/publish/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Product.Status.DRAFT


def test_an_enterprise_can_go_from_a_product_to_its_application_form(world):
    client = Client()
    client.force_login(world.users["enterprise"])
    page = client.get(f"/products/{world.product.code}/").content.decode()
    assert f"/applications/new/?product={world.product.code}" in page

    form = client.get(f"/applications/new/?product={world.product.code}")
    assert form.status_code == 200


def test_a_visitor_is_asked_to_sign_in_to_apply(world):
    page = Client().get(f"/products/{world.product.code}/").content.decode()
    assert "/accounts/sign-in/?next=/applications/new/" in page
    assert "Apply for this product" not in page
