"""Yuan amounts as people read them: ¥710,000,000 in English, 7.1亿元 in Chinese."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from core.models import prefers_chinese

register = template.Library()

YI = Decimal("100000000")
WAN = Decimal("10000")


def _trim(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text or "0"


@register.filter
def yuan(value: Decimal | int | None) -> str:
    if value is None or value == "":
        return "—"
    amount = Decimal(value)
    if prefers_chinese():
        if abs(amount) >= YI:
            return f"{_trim(amount / YI)}亿元"
        if abs(amount) >= WAN:
            return f"{_trim(amount / WAN)}万元"
        return f"{_trim(amount)}元"
    return f"¥{intcomma(_trim(amount))}"
