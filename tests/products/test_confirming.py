"""Withdrawing a product from the workspace is asked first: the page says it
leaves the catalogue and who is told, and nothing changes until confirmed."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from products.models import Institution, Product
from tests.confirming import asked
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer() -> User:
    return User.objects.get(email="bank@example.com")


@pytest.fixture
def client(officer) -> Client:
    client = Client()
    client.force_login(officer)
    return client


def test_withdrawing_a_product_says_what_happens_and_waits_for_confirmation(client, officer):
    product = ProductFactory(institution=Institution.objects.get(memberships__user=officer))

    page = asked(
        client.post(f"/zh-hans/products/manage/{product.code}/withdraw/", {"note": "调价"})
    )

    product.refresh_from_db()
    assert product.status == Product.Status.PUBLISHED
    assert page.button == "确认撤回"
    assert page.consequences == [
        f"“{product.name_zh}”将从产品目录下架，企业将无法查到或申请该产品。",
        "仍在办理中的相关申请将继续办理，申请企业会收到下架通知。",
        "贵机构同事会收到通知；之后可以重新发布。",
    ]
    assert page.back == "/zh-hans/products/manage/"

    page.confirm(client)

    product.refresh_from_db()
    assert product.status == Product.Status.WITHDRAWN
    last = product.history.last()
    assert last is not None
    assert last.note == "调价"
