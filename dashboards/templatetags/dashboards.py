from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from core.templatetags.money import exact_yuan

register = template.Library()


@register.filter
def figure(value: Any) -> str:
    """A table cell as the page prints it: amounts in yuan to the fen, counts
    grouped. A table shows the exact value; only the cards abbreviate."""
    if isinstance(value, Decimal):
        return exact_yuan(value)
    if isinstance(value, int):
        return intcomma(value)
    return "" if value is None else str(value)


@register.filter
def index(items: Any, i: int) -> Any:
    try:
        return items[i]
    except (IndexError, TypeError, KeyError):
        return None


@register.filter
def urlencode_params(params: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(params)
