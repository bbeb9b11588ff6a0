from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from core.templatetags.money import count, exact_yuan, yuan
from dashboards import figures as registry

register = template.Library()


def _shown(place: str) -> tuple[registry.Figure, ...]:
    shown = {
        registry.CARD: registry.CARDS,
        registry.LIST: registry.LISTED,
        registry.OF_EVENT_REPORT: registry.OF_EVENT,
    }
    if place not in shown:
        raise template.TemplateSyntaxError(f"figure_list shows no {place!r} figures.")
    return shown[place]


@register.inclusion_tag("dashboards/_figure_list.html")
def figure_list(figures: Any, place: str) -> dict[str, Any]:
    """The figures the registry shows in a place, labelled and formatted for
    the reader: `{% figure_list figures "cards" %}` for the home page's and the
    dashboard's cards (amounts and counts in 万 and 亿 in Chinese), "listed" for
    the PDF report, "of_event" for an event's report (rows of a table)."""
    counted = count if place == registry.CARD else intcomma
    items = []
    for figure in _shown(place):
        value = figures[figure.name]
        shown = yuan(value) if figure.money else counted(value)
        items.append({"name": figure.name, "label": figure.label, "value": shown})
    return {"items": items, "rows": place == registry.OF_EVENT_REPORT}


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
