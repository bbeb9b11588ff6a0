"""Two officers creating products of the same name at the same moment: both
get a product, each under its own code. Needs two real connections, so
PostgreSQL and committed data.

Transactional tests flush the database when they end; tests/conftest.py loads
the reference data and the demo campaign again before the next one."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from products import services
from products.models import Product
from products.services import product_create
from tests.factories import InstitutionFactory, UserFactory, member_of

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two PostgreSQL sessions"),
    pytest.mark.django_db(transaction=True),
]


def test_two_creations_of_the_same_name_at_once_both_succeed(monkeypatch):
    bank = InstitutionFactory(code="twin-bank")
    officers = [member_of(bank), member_of(bank, UserFactory())]
    # Both pick the free code before either saves: the race the constraint settles.
    picked, first = threading.Barrier(2), threading.local()
    unique_code = services._unique_code

    def pick_together(**kwargs):
        code = unique_code(**kwargs)
        if not getattr(first, "done", False):  # the retry after the race waits for nobody
            first.done = True
            picked.wait(timeout=10)
        return code

    monkeypatch.setattr(services, "_unique_code", pick_together)
    outcomes: list[object] = [None, None]

    def create(index: int) -> None:
        try:
            outcomes[index] = product_create(
                institution=bank,
                actor=officers[index],
                name_zh="孪生贷",
                name_en="Twin Loan",
                kind=Product.Kind.PATENT_PLEDGE_LOAN,
                amount_min=Decimal("1000000"),
                amount_max=Decimal("5000000"),
                rate_min=Decimal("3.50"),
                rate_max=Decimal("5.00"),
                term_min_months=6,
                term_max_months=24,
                max_pledge_ratio=Decimal("50"),
                accepted_ip_kinds=["invention_patent"],
            )
        except Exception as error:  # the outcome under test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert all(isinstance(outcome, Product) for outcome in outcomes), outcomes
    assert sorted(Product.objects.filter(institution=bank).values_list("code", flat=True)) == [
        "twin-bank-twin-loan",
        "twin-bank-twin-loan-2",
    ]
