from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fields",
    [
        {"amount_min": Decimal("5000000"), "amount_max": Decimal("1000000")},
        {"amount_min": Decimal("-1"), "amount_max": Decimal("1000000")},
        {"rate_min": Decimal("6"), "rate_max": Decimal("4")},
        {"rate_min": Decimal("4"), "rate_max": Decimal("36.5")},
        {"term_min_months": 24, "term_max_months": 12},
        {"term_min_months": 0, "term_max_months": 12},
        {"max_pledge_ratio": Decimal("120")},
    ],
)
def test_the_database_refuses_a_product_with_an_impossible_range(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductFactory(**fields)


def test_validation_names_the_field_whose_range_is_upside_down():
    product = ProductFactory.build(
        amount_min=Decimal("5000000"), amount_max=Decimal("1000000"), term_max_months=3
    )
    with pytest.raises(ValidationError) as error:
        product.full_clean(exclude=["institution", "code"])
    assert set(error.value.message_dict) >= {"amount_max", "term_max_months"}
