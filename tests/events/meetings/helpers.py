"""An event where the demo enterprise and the demo bank are both registered,
with meeting slots, for the meeting and on-site outcome tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from enterprises.models import Enterprise
from events.models import Event, EventSlot, Registration
from parks.models import Park
from products.models import Institution, Product
from tests.factories import EventFactory, RegistrationFactory


@dataclass
class MeetingWorld:
    event: Event
    enterprise: Enterprise
    bank: Institution
    product: Product
    enterprise_user: User
    bank_user: User
    organiser: User
    enterprise_registration: Registration
    bank_registration: Registration
    slots: list[EventSlot]


def make_meeting_world(*, hours_ago: int = 1) -> MeetingWorld:
    """A published Zhejiang event under way now, covering the demo park, so the
    Zhejiang regulator and the park manager organise it."""
    now = timezone.now().replace(second=0, microsecond=0)
    start = now - dt.timedelta(hours=hours_ago)
    event = EventFactory(starts_at=start, ends_at=start + dt.timedelta(hours=6))
    event.parks.add(Park.objects.get(memberships__user__email="park@example.com"))
    enterprise_user = User.objects.get(email="enterprise@example.com")
    bank_user = User.objects.get(email="bank@example.com")
    enterprise = Enterprise.objects.get(memberships__user=enterprise_user)
    bank = Institution.objects.get(memberships__user=bank_user)
    slots = [
        EventSlot.objects.create(
            event=event,
            starts_at=start + dt.timedelta(minutes=30 * i),
            ends_at=start + dt.timedelta(minutes=30 * i + 25),
        )
        for i in range(3)
    ]
    return MeetingWorld(
        event=event,
        enterprise=enterprise,
        bank=bank,
        product=Product.objects.filter(institution=bank, status=Product.Status.PUBLISHED).order_by(
            "pk"
        )[0],
        enterprise_user=enterprise_user,
        bank_user=bank_user,
        organiser=User.objects.get(email="zhejiang.regulator@example.com"),
        enterprise_registration=RegistrationFactory(event=event, enterprise=enterprise),
        bank_registration=RegistrationFactory(event=event, enterprise=None, institution=bank),
        slots=slots,
    )
