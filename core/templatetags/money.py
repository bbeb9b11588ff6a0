"""Amounts and counts as people read them in each language.

English groups digits: ¥710,000,000 and 1,400. Chinese counts large numbers in
万 (ten thousand) and 亿 (a hundred million): 7.1亿元 and 47万.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from core.models import prefers_chinese

register = template.Library()

YI = Decimal("100000000")
WAN = Decimal("10000")
FEN = Decimal("0.01")


def _trim(value: Decimal) -> str:
    """At most two decimals, trailing zeros dropped: 7.10 → 7.1, 3.00 → 3."""
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text or "0"


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _chinese_units(amount: Decimal) -> str:
    """47万, 7.1亿, 5000: 万 and 亿 from ten thousand up."""
    if abs(amount) >= YI:
        return f"{_trim(amount / YI)}亿"
    if abs(amount) >= WAN:
        return f"{_trim(amount / WAN)}万"
    return _trim(amount)


@register.filter
def yuan(value: Decimal | int | str | None) -> str:
    """A yuan amount: ¥710,000,000 in English, 7.1亿元 in Chinese; — when empty."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    if prefers_chinese():
        return f"{_chinese_units(amount)}元"
    return f"¥{intcomma(_trim(amount))}"


@register.filter
def exact_yuan(value: Decimal | int | str | None) -> str:
    """A yuan amount to the fen, as a table that claims to show the value
    prints it in either language: ¥67,000,000.50; — when empty. Only cards and
    charts may round to 万 and 亿 (`yuan`)."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    return f"¥{intcomma(f'{amount.quantize(FEN):f}')}"


@register.filter
def count(value: int | str | None) -> str:
    """A count of things: 1,400 and 470,000 in English, 1400 and 47万 in Chinese."""
    number = _decimal(value)
    if number is None:
        return "—"
    if prefers_chinese():
        return _chinese_units(number)
    return intcomma(_trim(number))
