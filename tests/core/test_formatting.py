"""Amounts and counts read naturally in each language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.templatetags.money import count, exact_yuan, yuan

YUAN = [
    # amount, English, Chinese
    (Decimal("710000000"), "¥710,000,000", "7.1亿元"),
    (Decimal("1234567890.00"), "¥1,234,567,890", "12.35亿元"),
    (Decimal("4700000"), "¥4,700,000", "470万元"),
    (Decimal("630000.00"), "¥630,000", "63万元"),
    (Decimal("12500.50"), "¥12,500.5", "1.25万元"),
    (Decimal("5000"), "¥5,000", "5000元"),
    (Decimal("0.00"), "¥0", "0元"),
    (1000000, "¥1,000,000", "100万元"),
]

COUNTS = [
    (1400, "1,400", "1400"),
    (470000, "470,000", "47万"),
    (12, "12", "12"),
    (250000000, "250,000,000", "2.5亿"),
]


@pytest.mark.parametrize(("amount", "english", "chinese"), YUAN)
def test_yuan_amounts_in_both_languages(amount, english, chinese):
    with translation.override("en"):
        assert yuan(amount) == english
    with translation.override("zh-hans"):
        assert yuan(amount) == chinese


@pytest.mark.parametrize(("number", "english", "chinese"), COUNTS)
def test_counts_in_both_languages(number, english, chinese):
    with translation.override("en"):
        assert count(number) == english
    with translation.override("zh-hans"):
        assert count(number) == chinese


@pytest.mark.parametrize("empty", [None, "", "not a number"])
def test_nothing_to_show_is_a_dash(empty):
    assert yuan(empty) == "—"
    assert count(empty) == "—"


def test_dates_follow_the_language():
    template = Template('{{ day|date:"DATE_FORMAT" }}')
    import datetime as dt

    context = Context({"day": dt.date(2020, 9, 22)})
    with translation.override("en"):
        assert template.render(context) == "Sept. 22, 2020"
    with translation.override("zh-hans"):
        assert template.render(context) == "2020年9月22日"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_table_cell_shows_the_exact_amount_in_either_language(language):
    with translation.override(language):
        cell = Template("{% load dashboards %}{{ amount|figure }}").render(
            Context({"amount": Decimal("67000000.50")})
        )
        assert cell == "¥67,000,000.50"
        assert exact_yuan(Decimal("-1234.5")) == "¥-1,234.50"
        assert exact_yuan(None) == "—"
