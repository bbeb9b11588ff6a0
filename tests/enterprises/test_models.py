from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.validators import make_patent_number
from tests.factories import EnterpriseFactory, IPAssetFactory

pytestmark = pytest.mark.django_db


def test_an_enterprise_with_a_wrong_credit_code_check_character_is_invalid():
    enterprise = EnterpriseFactory.build(credit_code="91330100MA27XL4Y4A")
    with pytest.raises(ValidationError) as error:
        enterprise.full_clean(exclude=["province", "industry"])
    assert "credit_code" in error.value.message_dict


def test_the_same_credit_code_cannot_be_registered_twice():
    first = EnterpriseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseFactory(credit_code=first.credit_code)


def test_a_patent_number_with_a_wrong_check_digit_is_refused_with_a_field_message():
    number = make_patent_number(2020, 1, 123456)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    asset = IPAssetFactory.build(enterprise=EnterpriseFactory(), number=wrong)
    with pytest.raises(ValidationError) as error:
        asset.full_clean()
    assert "number" in error.value.message_dict


def test_a_utility_model_number_cannot_be_filed_as_an_invention_patent():
    asset = IPAssetFactory.build(
        enterprise=EnterpriseFactory(), number=make_patent_number(2020, 2, 4567)
    )
    with pytest.raises(ValidationError) as error:
        asset.full_clean()
    assert "number" in error.value.message_dict


def test_a_valid_asset_passes_validation():
    IPAssetFactory.build(enterprise=EnterpriseFactory()).full_clean()


def test_the_same_ip_number_cannot_be_held_twice():
    asset = IPAssetFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        IPAssetFactory(number=asset.number)
