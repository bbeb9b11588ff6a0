"""The public catalogue reads the read replica when one is configured
(README, Configuration); an edit reads back what it wrote from default."""

from __future__ import annotations

from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from products.models import Institution, Product
from tests.factories import ProductFactory
from tests.replica import BOTH, tables_used

pytestmark = BOTH


def test_the_catalogue_page_reads_the_replica(replica):
    with tables_used() as used:
        response = Client().get("/products/")

    assert response.status_code == 200
    assert response.context["page"].paginator.count > 0
    assert "products_product" in used.replica
    assert "products_product" not in used.default


def test_the_catalogue_api_reads_the_replica(replica):
    with tables_used() as used:
        response = APIClient().get("/api/v1/products/")

    assert response.status_code == 200
    assert response.json()["count"] > 0
    assert {"products_product", "products_product_accepted_ip_kinds"} <= used.replica
    assert "products_product" not in used.default


def test_an_edit_reads_back_what_it_wrote_from_default(replica):
    officer = User.objects.get(email="bank@example.com")
    draft = ProductFactory(
        institution=Institution.objects.get(memberships__user=officer),
        status=Product.Status.DRAFT,
        published_at=None,
    )
    client = APIClient()
    client.force_authenticate(officer)

    with tables_used() as used:
        response = client.patch(
            f"/api/v1/products/{draft.pk}/", {"name_en": "Renamed loan"}, format="json"
        )

    # The replica has not seen the draft: the answer could only come from default.
    assert response.status_code == 200
    assert response.json()["name_en"] == "Renamed loan"
    assert used.replica == set()
