"""The dashboard reads its figures from the read replica when one is
configured (README, Configuration), and from "default" once the request wrote."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from accounts.models import User
from dashboards.models import EventRollup
from events.models import Campaign
from tests.factories import EventFactory
from tests.replica import BOTH, tables_used

pytestmark = BOTH

CAMPAIGN = "park-campaign-2020"


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_the_dashboard_reads_its_figures_from_the_replica(replica):
    client = signed_in("regulator@example.com")

    with tables_used() as used:
        response = client.get("/dashboard/", {"campaign": CAMPAIGN})

    assert response.status_code == 200
    assert 'data-figure="activities">22<' in response.content.decode()
    assert {"dashboards_cell", "events_campaign", "events_event"} <= used.replica
    # The rollups were current: only `roll_up_missing`'s check read them on default.
    assert "dashboards_cell" not in used.default
    # Who is signed in is read where the session was written.
    assert "django_session" in used.default and "django_session" not in used.replica


def test_the_contracts_behind_a_number_come_from_the_replica(replica):
    client = signed_in("regulator@example.com")

    with tables_used() as used:
        response = client.get("/dashboard/contracts/", {"campaign": CAMPAIGN})

    assert response.status_code == 200
    assert "financing_contract" in used.replica
    assert "financing_contract" not in used.default


def test_figures_rolled_up_in_the_request_are_read_back_from_default(replica):
    # An event held since the rollups were built: the page's own request rolls
    # it up (a write), then reads the cells where it wrote them.
    campaign = Campaign.objects.get(slug=CAMPAIGN)
    event = EventFactory(campaign=campaign, starts_at=timezone.now() - dt.timedelta(hours=2))
    EventRollup.objects.filter(event=event).delete()
    client = signed_in("regulator@example.com")

    with tables_used() as used:
        response = client.get("/dashboard/", {"campaign": CAMPAIGN})

    assert response.status_code == 200
    # The replica has not seen the event: 22 would mean the cells came from it.
    assert 'data-figure="activities">23<' in response.content.decode()
    assert "dashboards_cell" in used.default
    assert "dashboards_cell" not in used.replica
