"""The featured campaign: a national regulator chooses the campaign the home
page shows and the dashboard opens on; nobody else may; the dashboard never
opens on a campaign its reader may not read."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from rest_framework.test import APIClient

from accounts.models import User
from events.models import Campaign
from tests.factories import CampaignFactory, RegulatorOfficeFactory, member_of

pytestmark = pytest.mark.django_db

DEMO = "park-campaign-2020"


def web(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def national() -> User:
    return User.objects.get(email="regulator@example.com")


def shown_campaign(html: str) -> str:
    match = re.search(r'<option value="([^"]+)" selected>', html)
    assert match, "no campaign selected"
    return match.group(1)


def barely_started() -> Campaign:
    today = timezone.localdate()
    return CampaignFactory(starts_on=today, ends_on=today + dt.timedelta(days=90))


def test_a_barely_started_campaign_does_not_replace_the_featured_one():
    demo = Campaign.objects.get(slug=DEMO)
    new = barely_started()
    assert new.name_en in web().get("/").content.decode()  # the latest, until one is chosen

    response = web(national()).post(f"/dashboard/campaigns/{demo.slug}/feature/", follow=True)

    assert response.status_code == 200
    assert Campaign.objects.get(is_featured=True) == demo
    home = web().get("/").content.decode()
    assert escape(demo.name_en) in home and new.name_en not in home
    dashboard = web(national()).get("/dashboard/").content.decode()
    assert shown_campaign(dashboard) == DEMO


def test_a_campaign_announced_for_later_does_not_replace_one_under_way():
    later = CampaignFactory(
        starts_on=timezone.localdate() + dt.timedelta(days=30),
        ends_on=timezone.localdate() + dt.timedelta(days=120),
    )
    home = web().get("/").content.decode()
    assert later.name_en not in home


def test_only_a_national_regulator_features_a_campaign_and_only_a_public_one():
    demo = Campaign.objects.get(slug=DEMO)
    provincial = User.objects.get(email="zhejiang.regulator@example.com")
    assert web(provincial).post(f"/dashboard/campaigns/{demo.slug}/feature/").status_code == 403
    api = APIClient()
    api.force_authenticate(provincial)
    refused = api.post("/api/v1/dashboard/featured-campaign/", {"campaign": DEMO}, format="json")
    assert refused.status_code == 403
    assert not Campaign.objects.filter(is_featured=True).exists()

    private = CampaignFactory(is_public=False)
    api.force_authenticate(national())
    bad = api.post(
        "/api/v1/dashboard/featured-campaign/", {"campaign": private.slug}, format="json"
    )
    assert bad.status_code == 400 and "campaign" in bad.json()["fields"]
    done = api.post("/api/v1/dashboard/featured-campaign/", {"campaign": DEMO}, format="json")
    assert done.status_code == 200 and done.json() == {"campaign": DEMO}
    assert list(Campaign.objects.filter(is_featured=True)) == [demo]


def test_the_dashboard_opens_on_a_campaign_its_reader_may_read():
    hunan = member_of(RegulatorOfficeFactory(province_id="430000"))
    private = CampaignFactory(is_public=False)  # the newest, someone else's
    private.organisers.add(RegulatorOfficeFactory(province_id="110000"))

    html = web(hunan).get("/dashboard/").content.decode()

    assert shown_campaign(html) != private.slug
    assert private.slug not in html
    assert web(hunan).get("/dashboard/", {"campaign": private.slug}).status_code == 403
    api = APIClient()
    api.force_authenticate(hunan)
    summary = api.get("/api/v1/dashboard/summary/", {"campaign": private.slug})
    assert summary.status_code == 403
    # Its own organisers read it.
    own = member_of(private.organisers.get())
    assert shown_campaign(web(own).get("/dashboard/").content.decode()) == private.slug
