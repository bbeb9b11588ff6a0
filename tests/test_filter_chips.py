"""Every filtered list shows the filters it applies as chips, in Chinese,
and each chip's link is the same list without that filter."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from events.access import events_organised_by
from products.models import Product

pytestmark = pytest.mark.django_db

CHIP = re.compile(r'<li class="chip" data-filter="(\w+)">(.*?)</li>', re.S)


def chips(page: str) -> list[tuple[str, str, dict[str, list[str]] | None]]:
    """(filter, text shown, query of its removal link) for each chip."""
    found = []
    for name, body in CHIP.findall(page):
        link = re.search(r'href="([^"]*)"', body)
        text = " ".join(re.sub(r"<[^>]+>", " ", body.split("<a", 1)[0]).split())
        query = parse_qs(urlsplit(html_lib.unescape(link[1])).query) if link else None
        found.append((name, html_lib.unescape(text), query))
    return found


def shown(client, path: str, query: str):
    response = client.get(f"/zh-hans{path}?{query}")
    assert response.status_code == 200
    return chips(response.content.decode())


def test_the_catalogue_shows_its_filters_as_chips(world):
    kind = Product.Kind.PATENT_PLEDGE_LOAN
    found = shown(world.client("visitor"), "/products/", f"kind={kind}&amount=300万&q=贷&page=2")

    assert [(name, text) for name, text, _ in found] == [
        ("q", "搜索： 贷"),
        ("kind", "类型： 专利质押贷款"),
        ("amount", "金额： 300万元"),
    ]
    # Each chip takes its own filter off, back on the first page.
    assert found[2][2] == {"kind": [kind], "q": ["贷"]}
    assert found[0][2] == {"kind": [kind], "amount": ["300万"]}


def test_the_sort_order_is_no_filter(world):
    assert shown(world.client("visitor"), "/products/", "ordering=rate_min") == []


def test_the_events_list_shows_its_filters_as_chips(world):
    found = shown(world.client("visitor"), "/events/", "province=330000&when=upcoming")

    assert [(name, text) for name, text, _ in found] == [
        ("province", "省份： 浙江省"),
        ("when", "时间： 即将举行"),
    ]
    assert found[0][2] == {"when": ["upcoming"]}


def test_the_organisers_registrations_show_each_status_as_a_chip(world):
    event = events_organised_by(user=world.users["park"]).order_by("pk").first()
    assert event is not None

    found = shown(
        world.client("park"),
        f"/events/{event.slug}/registrations/",
        "status=confirmed&status=waitlisted&party=enterprise",
    )

    assert [(name, text) for name, text, _ in found] == [
        ("status", "状态： 已确认"),
        ("status", "状态： 候补"),
        ("party", "报名主体： 企业"),
    ]
    # Taking one status off keeps the other.
    assert found[0][2] == {"status": ["waitlisted"], "party": ["enterprise"]}
    assert found[2][2] == {"status": ["confirmed", "waitlisted"]}


def test_the_banks_queue_shows_its_filters_with_the_products_name(world):
    product = world.product
    found = shown(
        world.client("institution"),
        "/applications/queue/",
        f"status=submitted&product={product.code}&amount_min=100万",
    )

    assert [name for name, _text, _q in found] == ["status", "product", "amount_min"]
    assert found[1][1] == f"产品： {product.name_zh}"
    assert found[2][1] == "金额下限： 100万元"
    assert found[1][2] == {"status": ["submitted"], "amount_min": ["100万"]}
    assert found[0][1] == "状态： 已提交"


def test_the_ip_portfolio_shows_its_filters_as_chips(world):
    found = shown(
        world.client("enterprise"), "/enterprise/assets/", "legal_status=valid&pledged=true"
    )

    assert [(name, text) for name, text, _ in found] == [
        ("legal_status", "法律状态： 有效"),
        ("pledged", "已质押： 是"),
    ]
    assert found[1][2] == {"legal_status": ["valid"]}


def test_a_filter_of_several_rows_takes_one_row_off_at_a_time():
    from django import forms
    from django.http import QueryDict
    from django.utils import translation

    from core.forms import applied_filters
    from core.models import Province

    class Form(forms.Form):
        provinces = forms.ModelMultipleChoiceField(
            label="省份", queryset=Province.objects.all(), required=False
        )
        ordering = forms.CharField(required=False)

    query = QueryDict("provinces=330000&provinces=110000&ordering=name&page=3")
    with translation.override("zh-hans"):
        found = applied_filters(Form(query), query)

    assert sorted((chip.value, chip.remove) for chip in found) == [
        ("北京市", "?provinces=330000&ordering=name"),
        ("浙江省", "?provinces=110000&ordering=name"),
    ]
