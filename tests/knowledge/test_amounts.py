"""A typical case's amount is typed as the press release writes it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import User
from knowledge.models import TypicalCase

pytestmark = pytest.mark.django_db


def test_a_case_of_1_2_yi_is_saved_as_120_000_000_yuan():
    client = Client()
    client.force_login(User.objects.get(email="zhejiang.regulator@example.com"))

    response = client.post(
        "/knowledge/manage/cases/new/",
        {
            "title_zh": "亿元商标质押案例",
            "title_en": "A case of 1.2亿",
            "province": "330000",
            "published_on": "2021-01-05",
            "amount": "1.2亿元",
            "ip_kinds": ["trademark"],
        },
    )

    assert response.status_code == 302
    assert TypicalCase.objects.get(title_en="A case of 1.2亿").amount == Decimal("120000000")
