"""Who runs an event: one rule, read as a table of people × events."""

from __future__ import annotations

import pytest

from events.access import can_create_events, can_organise, events_organised_by
from tests.factories import (
    EnterpriseFactory,
    EventFactory,
    InstitutionFactory,
    ParkFactory,
    RegulatorOfficeFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people_and_events():
    zhejiang_park = ParkFactory(province_id="330000")
    beijing_park = ParkFactory(province_id="110000")
    in_zhejiang = EventFactory(host_province_id="330000")
    in_zhejiang.parks.add(zhejiang_park)
    in_beijing = EventFactory(host_province_id="110000")
    in_beijing.parks.add(beijing_park)
    hunan_office = RegulatorOfficeFactory(province_id="430000")
    named_hunan = EventFactory(host_province_id="110000")
    named_hunan.organisers.add(hunan_office)
    national = RegulatorOfficeFactory(level="national", province_id=None)
    people = {
        "visitor": None,
        "national": member_of(national),
        "zhejiang": member_of(RegulatorOfficeFactory(province_id="330000")),
        "hunan": member_of(hunan_office),
        "zhejiang_park": member_of(zhejiang_park),
        "enterprise": member_of(EnterpriseFactory()),
        "bank": member_of(InstitutionFactory()),
        "nobody": UserFactory(),
    }
    events = {"in_zhejiang": in_zhejiang, "in_beijing": in_beijing, "named_hunan": named_hunan}
    return people, events


ORGANISES = {
    "visitor": set(),
    "national": {"in_zhejiang", "in_beijing", "named_hunan"},
    "zhejiang": {"in_zhejiang"},
    "hunan": {"named_hunan"},
    "zhejiang_park": {"in_zhejiang"},
    "enterprise": set(),
    "bank": set(),
    "nobody": set(),
}


@pytest.mark.parametrize("person", ORGANISES)
def test_who_organises_which_event(person, people_and_events):
    from django.contrib.auth.models import AnonymousUser

    people, events = people_and_events
    user = people[person] or AnonymousUser()
    for name, event in events.items():
        assert can_organise(user=user, event=event) == (name in ORGANISES[person]), name
    organised = set(events_organised_by(user=user).filter(pk__in=[e.pk for e in events.values()]))
    assert organised == {events[name] for name in ORGANISES[person]}


@pytest.mark.parametrize(
    "person, allowed",
    [
        ("visitor", False),
        ("national", True),
        ("zhejiang", True),
        ("zhejiang_park", True),
        ("enterprise", False),
        ("bank", False),
        ("nobody", False),
    ],
)
def test_regulators_and_park_managers_create_events(person, allowed, people_and_events):
    from django.contrib.auth.models import AnonymousUser

    people, _ = people_and_events
    assert can_create_events(user=people[person] or AnonymousUser()) is allowed
