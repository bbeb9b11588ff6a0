"""An enterprise registers for an event with its need written as it says it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from events.models import Registration

pytestmark = pytest.mark.django_db


def test_a_need_of_200_wan_is_registered_as_2_000_000_yuan(make_event, people):
    event = make_event()
    client = Client()
    client.force_login(people.enterprise_user)

    form = client.get(f"/zh-hans/events/{event.slug}/").content.decode()
    response = client.post(
        f"/events/{event.slug}/register/", {"need_amount": "200万", "need_term_months": "12"}
    )

    assert '<span class="amount-unit">元</span>' in form
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, enterprise=people.enterprise)
    assert registration.need_amount == Decimal("2000000")
