"""The regulator's dashboard pages: figures, drill-down, charts, exports."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import User
from dashboards.rollups import refresh_for_event
from events.models import Event
from financing.models import Contract
from tests.factories import ContractFactory
from tests.rows import first

pytestmark = pytest.mark.django_db

CAMPAIGN = "park-campaign-2020"


def found(pattern: str, text: str) -> re.Match[str]:
    match = re.search(pattern, text)
    assert match, f"Nothing matches {pattern}."
    return match


def client_for(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def figure(html: str, key: str) -> str:
    match = re.search(rf'data-figure="{key}">([^<]*)<', html)
    assert match, key
    return match.group(1)


def test_the_national_regulator_sees_the_seed_figures_with_charts():
    response = client_for("regulator@example.com").get("/dashboard/", {"campaign": CAMPAIGN})

    html = response.content.decode()
    assert response.status_code == 200
    assert figure(html, "activities") == "22"
    assert figure(html, "enterprises_involved") == "1,400"
    assert figure(html, "contract_amount") == "¥710,000,000"
    assert html.count("<svg") >= 4  # funnel, provinces, months, institutions, IP kinds
    # The charts take their styles from a file: the CSP refuses any in the page.
    assert "/static/css/charts.css" in html and "<style" not in html
    for province in ("Zhejiang", "Beijing", "Hunan", "Guangdong", "Chongqing"):
        assert province in html


def test_the_zhejiang_regulator_sees_only_zhejiang():
    client = client_for("zhejiang.regulator@example.com")

    html = client.get("/dashboard/", {"campaign": CAMPAIGN}).content.decode()

    assert figure(html, "activities") == "8"
    assert figure(html, "contract_amount") == "¥300,000,000"
    assert "Chongqing" not in html and "Beijing" not in html
    assert client.get("/dashboard/", {"province": "500000"}).status_code == 403


def test_drilling_from_the_campaign_to_a_contract_behind_the_amount():
    client = client_for("regulator@example.com")
    campaign_page = client.get("/dashboard/", {"campaign": CAMPAIGN}).content.decode()
    province_link = found(r'href="(/dashboard/\?[^"]*province=330000[^"]*)"', campaign_page)
    province_page = client.get(province_link.group(1).replace("&amp;", "&")).content.decode()
    assert figure(province_page, "contracts_signed") == "15"

    event_link = found(r'href="(/dashboard/\?[^"]*event=\d+[^"]*)"', province_page)
    event_page = client.get(event_link.group(1).replace("&amp;", "&")).content.decode()
    event_id = int(found(r"event=(\d+)", event_link.group(1)).group(1))
    contracts_link = found(r'href="(/dashboard/contracts/\?[^"]*)"', event_page)
    contracts_page = client.get(contracts_link.group(1).replace("&amp;", "&")).content.decode()

    shown = set(re.findall(r'data-contract="([^"]+)"', contracts_page))
    expected = set(Contract.objects.filter(event_id=event_id).values_list("reference", flat=True))
    assert shown == expected
    assert int(figure(event_page, "contracts_signed")) == len(expected)


def test_a_new_contract_shows_once_the_event_is_refreshed():
    client = client_for("regulator@example.com")
    event = first(Event.objects.filter(campaign__slug=CAMPAIGN, host_province_id="330000"))
    ContractFactory(event=event, amount=Decimal("1000000.00"))
    refresh_for_event(event_id=event.pk)

    html = client.get("/dashboard/", {"campaign": CAMPAIGN, "province": "330000"}).content
    assert figure(html.decode(), "contract_amount") == "¥301,000,000"


def test_a_table_exports_as_csv_with_the_numbers_the_page_shows():
    client = client_for("regulator@example.com")

    response = client.get("/dashboard/export/province.csv", {"campaign": CAMPAIGN})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    amount = header.index("Contract amount (CNY)")
    assert len(body) == 5
    assert sum(Decimal(r[amount]) for r in body) == Decimal("710000000.00")


def test_every_table_exports_as_one_workbook():
    client = client_for("zhejiang.regulator@example.com")

    response = client.get("/dashboard/export/all.xlsx", {"campaign": CAMPAIGN})

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert {"Figures", "By park", "By event", "By institution"} <= set(book.sheetnames)
    figures = {row[0]: row[1] for row in book["Figures"].iter_rows(values_only=True)}
    assert Decimal(str(figures["On-site contract amount (CNY)"])) == Decimal("300000000")


def test_the_contracts_behind_a_scope_export_in_full():
    client = client_for("zhejiang.regulator@example.com")

    response = client.get("/dashboard/export/contracts.csv", {"campaign": CAMPAIGN})

    body = response.getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))[1:]
    assert len(rows) == 15
    assert sum(Decimal(r[3]) for r in rows) == Decimal("300000000.00")


def test_a_table_not_shown_for_the_scope_is_not_found():
    client = client_for("zhejiang.regulator@example.com")
    assert client.get("/dashboard/export/province.csv", {"campaign": CAMPAIGN}).status_code == 404


def test_bad_scope_shows_the_form_again_with_a_message():
    client = client_for("regulator@example.com")

    response = client.get("/dashboard/", {"campaign": CAMPAIGN, "month": "2020-13"})

    assert response.status_code == 400
    assert "YYYY-MM" in response.content.decode()


def test_the_contract_list_filters_by_institution_and_kind():
    client = client_for("regulator@example.com")
    contract = first(Contract.objects.filter(event__campaign__slug=CAMPAIGN))

    html = client.get(
        "/dashboard/contracts/",
        {"campaign": CAMPAIGN, "institution": str(contract.institution_id), "kind": contract.kind},
    ).content.decode()

    shown = set(re.findall(r'data-contract="([^"]+)"', html))
    assert contract.reference in shown
    assert shown == set(
        Contract.objects.filter(
            event__campaign__slug=CAMPAIGN,
            institution_id=contract.institution_id,
            kind=contract.kind,
        ).values_list("reference", flat=True)
    )


def test_the_pages_take_a_fixed_number_of_queries(django_assert_max_num_queries):
    client = client_for("regulator@example.com")
    client.get("/dashboard/", {"campaign": CAMPAIGN})  # sessions, caches
    with django_assert_max_num_queries(22):
        client.get("/dashboard/", {"campaign": CAMPAIGN, "province": "330000"})
    with django_assert_max_num_queries(22):
        client.get("/dashboard/", {"campaign": CAMPAIGN})
    with django_assert_max_num_queries(16):
        client.get("/dashboard/contracts/", {"campaign": CAMPAIGN})


def test_the_dashboard_reads_in_chinese_charts_included():
    client = client_for("regulator@example.com")

    html = client.get("/zh-hans/dashboard/", {"campaign": CAMPAIGN}).content.decode()

    assert "从报名到放款" in html  # the funnel's title, in the table and the chart
    assert 'aria-label="从报名到放款"' in html
    assert "浙江" in html
    assert figure(html, "contract_amount") == "7.1亿元"


def test_the_contracts_show_every_filter_applied_each_removable():
    client = client_for("regulator@example.com")
    contract = first(Contract.objects.filter(event__campaign__slug=CAMPAIGN))
    query = {"campaign": CAMPAIGN, "province": "330000", "kind": contract.kind}

    html = client.get("/zh-hans/dashboard/contracts/", query).content.decode()

    chips = dict(re.findall(r'<li class="chip" data-filter="(\w+)">(.*?)</li>', html, re.S))
    assert set(chips) == {"campaign", "province", "kind"}
    assert "浙江省" in chips["province"]
    with translation.override("zh-hans"):
        assert str(contract.get_kind_display()) in chips["kind"]
    removal = re.search(r'href="\?([^"]*)"', chips["province"])
    assert removal is not None
    rest = dict(pair.split("=") for pair in removal[1].replace("&amp;", "&").split("&"))
    assert rest == {"campaign": CAMPAIGN, "kind": contract.kind}


def test_the_campaign_chosen_by_default_is_shown_but_has_nothing_to_remove():
    client = client_for("regulator@example.com")
    html = client.get("/dashboard/contracts/").content.decode()
    chips = dict(re.findall(r'<li class="chip" data-filter="(\w+)">(.*?)</li>', html, re.S))
    assert list(chips) == ["campaign"]
    assert "href=" not in chips["campaign"]
