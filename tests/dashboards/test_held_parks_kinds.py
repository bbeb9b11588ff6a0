"""The figures a regulator reads for three cases an outside count got wrong:
enterprises financed per IP kind, a park covered by an event another province
hosted, and events that have not started yet (docs/figures.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from dashboards.models import EventRollup
from dashboards.rollups import rebuild_all, refresh_for_event
from events.models import Event
from products.models import Product
from tests.factories import (
    CampaignFactory,
    ContractFactory,
    EnterpriseFactory,
    EventFactory,
    ParkFactory,
    ProductFactory,
    RegistrationFactory,
    RegulatorOfficeFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

HUNAN, BEIJING = "430000", "110000"
HELD = timezone.make_aware(dt.datetime(2020, 11, 10, 9))


def national() -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(email="regulator@example.com"))
    return client


def provincial(province: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(member_of(RegulatorOfficeFactory(province_id=province)))
    return client


def held_event(campaign, province: str, **fields) -> Event:
    return EventFactory(
        campaign=campaign,
        host_province_id=province,
        starts_at=fields.pop("starts_at", HELD),
        ends_at=fields.pop("ends_at", HELD + dt.timedelta(hours=5)),
        **fields,
    )


def rows_by_value(client: APIClient, by: str, **params) -> dict[str, dict]:
    response = client.get(f"/api/v1/dashboard/by/{by}/", {"page_size": 200, **params})
    assert response.status_code == 200, response.content
    return {row["value"]: row for row in response.json()["results"]}


def test_each_ip_kind_counts_the_enterprises_it_financed():
    campaign = CampaignFactory()
    event = held_event(campaign, HUNAN)
    patent = ProductFactory(kind=Product.Kind.PATENT_PLEDGE_LOAN)
    trademark = ProductFactory(kind=Product.Kind.TRADEMARK_PLEDGE_LOAN)
    first, second = EnterpriseFactory(), EnterpriseFactory()
    # The first enterprise signs twice with a patent loan: still one enterprise.
    for enterprise, product in ((first, patent), (first, patent), (second, patent)):
        ContractFactory(
            event=event, enterprise=enterprise, product=product, institution=product.institution
        )
    ContractFactory(event=event, enterprise=second, product=trademark)
    ContractFactory(event=event, enterprise=second, product=None)
    refresh_for_event(event_id=event.pk)

    for _read in ("after the event's refresh", "after a rebuild"):
        rows = rows_by_value(national(), "ip-kind", campaign=campaign.slug)
        assert rows[Product.Kind.PATENT_PLEDGE_LOAN]["financed_enterprises"] == 2
        assert rows[Product.Kind.PATENT_PLEDGE_LOAN]["contracts_signed"] == 3
        assert rows[Product.Kind.TRADEMARK_PLEDGE_LOAN]["financed_enterprises"] == 1
        assert rows["none"]["financed_enterprises"] == 1
        by_province = rows_by_value(national(), "ip-kind", campaign=campaign.slug, province=HUNAN)
        assert by_province[Product.Kind.PATENT_PLEDGE_LOAN]["financed_enterprises"] == 2
        rebuild_all(campaign_id=campaign.pk)


def test_a_park_has_one_row_whichever_province_hosted_its_events():
    campaign = CampaignFactory()
    park = ParkFactory(province_id=HUNAN)
    online = held_event(campaign, BEIJING, participants_online=300)
    on_site = held_event(campaign, HUNAN, participants_offline=40)
    for event in (online, on_site):
        event.parks.add(park)
        ContractFactory(event=event, amount=Decimal("1000000.00"))
        refresh_for_event(event_id=event.pk)

    for _read in ("after each event's refresh", "after a rebuild"):
        parks = rows_by_value(national(), "park", campaign=campaign.slug)
        assert list(parks) == [str(park.pk)]
        assert parks[str(park.pk)]["activities"] == 2
        assert parks[str(park.pk)]["contract_amount"] == "2000000.00"
        assert parks[str(park.pk)]["participants_total"] == 340

        summary = national().get(
            "/api/v1/dashboard/summary/", {"campaign": campaign.slug, "park": park.slug}
        )
        assert summary.json()["activities"] == 2
        assert summary.json()["contract_amount"] == "2000000.00"
        # The park's province reads all of its park; the park's events too.
        hunan = provincial(HUNAN)
        assert rows_by_value(hunan, "park", campaign=campaign.slug)[str(park.pk)]["activities"] == 2
        events = rows_by_value(hunan, "event", campaign=campaign.slug, park=park.slug)
        assert set(events) == {str(online.pk), str(on_site.pk)}
        # The host province's own figures are the events it hosted.
        beijing = national().get(
            "/api/v1/dashboard/summary/", {"campaign": campaign.slug, "province": BEIJING}
        )
        assert beijing.json()["activities"] == 1
        assert beijing.json()["parks_covered"] == 1
        assert str(park.pk) not in rows_by_value(
            national(), "park", campaign=campaign.slug, province=BEIJING
        )
        rebuild_all(campaign_id=campaign.pk)


def test_an_event_not_yet_started_is_upcoming_not_held():
    campaign = CampaignFactory()
    held = held_event(campaign, HUNAN)
    soon = held_event(
        campaign,
        HUNAN,
        starts_at=timezone.now() + dt.timedelta(days=3),
        ends_at=timezone.now() + dt.timedelta(days=3, hours=4),
    )
    soon.parks.add(ParkFactory(province_id=HUNAN))
    for _ in range(3):
        RegistrationFactory(event=soon)
    RegistrationFactory(event=held)
    for event in (held, soon):
        refresh_for_event(event_id=event.pk)

    body = national().get("/api/v1/dashboard/summary/", {"campaign": campaign.slug}).json()
    assert body["activities"] == 1
    assert body["enterprises_involved"] == 1
    assert body["parks_covered"] == 0
    assert body["upcoming"]["activities"] == 1
    assert body["upcoming"]["enterprises_registered"] == 3
    assert body["upcoming"]["parks_covered"] == 1
    assert list(rows_by_value(national(), "event", campaign=campaign.slug)) == [str(held.pk)]

    # Three days later it has started: it counts, though nothing was written since.
    EventRollup.objects.filter(event=soon).update(
        refreshed_at=timezone.now() - dt.timedelta(days=3)
    )
    Event.objects.filter(pk=soon.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=1),
        ends_at=timezone.now() + dt.timedelta(hours=3),
    )
    body = national().get("/api/v1/dashboard/summary/", {"campaign": campaign.slug}).json()
    assert body["activities"] == 2
    assert body["enterprises_involved"] == 4
    assert body["upcoming"]["activities"] == 0


def test_the_dashboard_page_shows_upcoming_events_apart():
    campaign = CampaignFactory()
    held_event(campaign, HUNAN)
    EventFactory(campaign=campaign, host_province_id=HUNAN)  # a week from now
    client = national()
    client.force_login(User.objects.get(email="regulator@example.com"))

    html = client.get("/dashboard/", {"campaign": campaign.slug}).content.decode()

    assert 'data-figure="activities">1<' in html
    assert 'data-upcoming="activities">1<' in html
