"""People and an event to register for, on top of the demo campaign."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from enterprises.models import Enterprise
from events.models import Event
from events.services import event_create, event_publish
from parks.models import Park
from products.models import Institution, Product
from tests.factories import EnterpriseFactory, ProductFactory, UserFactory, member_of


@dataclass
class People:
    regulator: User
    enterprise_user: User
    bank_user: User
    park_user: User
    enterprise: Enterprise
    institution: Institution
    park: Park
    products: list[Product]

    def new_enterprise(self) -> tuple[User, Enterprise]:
        enterprise = EnterpriseFactory()
        return member_of(enterprise, UserFactory()), enterprise


@pytest.fixture
def people(db) -> People:
    bank_user = User.objects.get(email="bank@example.com")
    enterprise_user = User.objects.get(email="enterprise@example.com")
    park_user = User.objects.get(email="park@example.com")
    institution = Institution.objects.get(memberships__user=bank_user)
    return People(
        regulator=User.objects.get(email="regulator@example.com"),
        enterprise_user=enterprise_user,
        bank_user=bank_user,
        park_user=park_user,
        enterprise=Enterprise.objects.get(memberships__user=enterprise_user),
        institution=institution,
        park=Park.objects.get(memberships__user=park_user),
        products=[ProductFactory(institution=institution), ProductFactory(institution=institution)],
    )


def event_fields(people: People, **overrides: Any) -> dict[str, Any]:
    starts = timezone.now() + dt.timedelta(days=10)
    return {
        "title_zh": "知识产权质押融资入园惠企活动（测试站）",
        "title_en": "IP pledge financing in the park (test station)",
        "kinds": ["product_release", "matchmaking"],
        "host_province": people.park.province,
        "city_en": "Hangzhou",
        "venue": "Innovation Centre, Hall B",
        "parks": [people.park],
        "featured_products": people.products,
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=4),
        "registration_deadline": starts - dt.timedelta(days=1),
        "agenda": "09:30 Opening\n10:00 Product release\n11:00 Matchmaking",
        **overrides,
    }


@pytest.fixture
def make_event(people):
    def make(*, publish: bool = True, **overrides: Any) -> Event:
        event = event_create(actor=people.regulator, **event_fields(people, **overrides))
        if publish:
            event = event_publish(event=event, actor=people.regulator)
        return event

    return make


def under_way(event: Event) -> Event:
    """The event, moved to have started half an hour ago: its check-in desk is
    open (registrations are taken before an event starts)."""
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=3),
        registration_deadline=None,
    )
    event.refresh_from_db()
    return event
