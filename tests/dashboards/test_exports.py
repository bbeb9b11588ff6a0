"""Exports carry what people typed, never a formula: a title or a contract
number that starts like one ("=", "+", "-", "@", a tab, a carriage return)
comes out as text in every CSV and workbook the dashboard writes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from dashboards.rollups import refresh_for_event
from events.models import Campaign
from tests.factories import ContractFactory, EventFactory
from tests.sheets import FORMULAS, assert_inert_csv, assert_inert_workbook

pytestmark = pytest.mark.django_db

CAMPAIGN = "park-campaign-2020"
SCOPE = {"campaign": CAMPAIGN, "province": "330000"}


@pytest.fixture
def client() -> Client:
    client = Client()
    client.force_login(User.objects.get(email="zhejiang.regulator@example.com"))
    return client


@pytest.fixture
def typed():
    """Zhejiang events titled like formulas, each with a contract numbered like one."""
    campaign = Campaign.objects.get(slug=CAMPAIGN)
    for index, formula in enumerate(FORMULAS):
        event = EventFactory(
            campaign=campaign,
            host_province_id="330000",
            title_en=f"{formula}-event",
            title_zh=f"{formula}-活动",
            # Held: only events that started count in the dashboard's tables.
            starts_at=timezone.make_aware(dt.datetime(2020, 11, 20, 9)),
            ends_at=timezone.make_aware(dt.datetime(2020, 11, 20, 17)),
        )
        ContractFactory(event=event, reference=f"{formula}-{index}")
        refresh_for_event(event_id=event.pk)


def test_titles_like_formulas_are_text_in_the_event_table_csv(client, typed):
    response = client.get("/dashboard/export/event.csv", SCOPE)

    assert response.status_code == 200
    assert_inert_csv(response.content, [f"{formula}-event" for formula in FORMULAS])


def test_titles_like_formulas_are_text_in_the_event_table_workbook(client, typed):
    response = client.get("/dashboard/export/event.xlsx", SCOPE)

    assert response.status_code == 200
    assert_inert_workbook(response.content, [f"{formula}-event" for formula in FORMULAS])


def test_titles_like_formulas_are_text_in_the_all_tables_workbook(client, typed):
    response = client.get("/dashboard/export/all.xlsx", SCOPE)

    assert response.status_code == 200
    assert "By event" in load_workbook(io.BytesIO(response.content)).sheetnames
    assert_inert_workbook(response.content, [f"{formula}-event" for formula in FORMULAS])


def test_contract_numbers_like_formulas_are_text_in_the_contracts_exports(client, typed):
    response = client.get("/dashboard/export/contracts.csv", SCOPE)
    assert_inert_csv(
        b"".join(response.streaming_content),
        [f"{formula}-{index}" for index, formula in enumerate(FORMULAS)]
        + [f"{formula}-event" for formula in FORMULAS],
    )

    response = client.get("/dashboard/export/contracts.xlsx", SCOPE)
    assert_inert_workbook(
        response.content, [f"{formula}-{index}" for index, formula in enumerate(FORMULAS)]
    )
    # Amounts stay numbers.
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    amounts = [row[header.index("Amount (CNY)")] for row in sheet.iter_rows(min_row=2)]
    assert amounts and all(cell.data_type == "n" for cell in amounts)
