from __future__ import annotations

import pytest

from accounts.models import User
from core.models import Membership
from organisations.registry import KINDS
from products.models import Institution
from tests.factories import InstitutionFactory, UserFactory


@pytest.fixture
def institution_kind():
    return KINDS["institution"]


@pytest.fixture
def bank(db) -> Institution:
    return InstitutionFactory(name_zh="测试银行", name_en="Test Bank", province_id="330000")


@pytest.fixture
def bank_admin(bank) -> User:
    user = UserFactory(email="admin@bank.test", full_name="王管理")
    bank.memberships.create(user=user, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def zhejiang_regulator(db) -> User:
    return User.objects.get(email="zhejiang.regulator@example.com")


@pytest.fixture
def national_regulator(db) -> User:
    return User.objects.get(email="regulator@example.com")
