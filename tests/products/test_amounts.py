"""A bank writes its product's amounts as it speaks them: 300万 to 0.5亿."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import User
from products.models import Institution, Product
from tests.factories import ProductFactory
from tests.products.test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    client = Client()
    client.force_login(User.objects.get(email="bank@example.com"))
    return client


def test_a_product_saved_with_wan_and_yi_has_its_amounts_in_yuan(client):
    bank = Institution.objects.get(memberships__user__email="bank@example.com")
    response = client.post(
        "/products/manage/new/",
        {**form_data(amount_min="300万", amount_max="0.5亿"), "institution": bank.pk},
    )

    assert response.status_code == 302
    saved = Product.objects.get(institution=bank, name_en="Patent Growth Loan")
    assert (saved.amount_min, saved.amount_max) == (Decimal("3000000"), Decimal("50000000"))


def test_the_edit_form_shows_the_amounts_in_wan_in_chinese(client):
    bank = Institution.objects.get(memberships__user__email="bank@example.com")
    draft = ProductFactory(
        institution=bank,
        status=Product.Status.DRAFT,
        amount_min=Decimal("3000000"),
        amount_max=Decimal("30000000"),
    )

    html = client.get(f"/zh-hans/products/manage/{draft.code}/edit/").content.decode()

    assert 'name="amount_min" value="300万"' in html
    assert 'name="amount_max" value="3,000万"' in html
    assert "= 3,000万元" in html
    assert '<span class="amount-unit">元</span>' in html


def test_a_refused_amount_is_explained_and_nothing_is_saved(client):
    bank = Institution.objects.get(memberships__user__email="bank@example.com")
    before = Product.objects.count()

    response = client.post(
        "/zh-hans/products/manage/new/",
        {**form_data(amount_min="三百万"), "institution": bank.pk},
    )

    assert response.status_code == 200
    assert "请填写金额，例如 300万、0.5亿 或 1,200,000（单位：元）。" in response.content.decode()
    assert Product.objects.count() == before


def test_the_catalogue_filter_reads_wan_as_the_same_amount():
    def found(amount: str) -> list[str]:
        response = Client().get("/products/", {"amount": amount, "ordering": "name_zh"})
        assert response.status_code == 200
        assert not response.context["filter"].errors
        return [p.code for p in response.context["page"].object_list]

    in_yuan = found("3000000")
    assert in_yuan  # the demo campaign lends 3,000,000 somewhere
    assert found("300万") == in_yuan
    assert found("3,000,000元") == in_yuan
    assert found("300") != in_yuan
