"""Reading the dashboard's figures from the rollups.

A scope the rollups hold as one cell (a campaign, or one province, park,
event or month of it) is answered by reading that cell; any other scope (an
arbitrary period, no campaign) by `campaign_figures`, from the rows. Both
give the same numbers: `tests/dashboards/test_rollups.py` holds them to it.
Cells are read from the read replica when the request allows it (core.db),
after `roll_up_missing`, whose writes, if any, keep the request on "default"."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.db import reading
from core.models import Province, prefers_chinese
from dashboards import figures as registry
from dashboards.figures import Figures
from dashboards.models import Cell, Dimension, EventShare, cell_key
from dashboards.rollups import NO_PRODUCT, roll_up_missing
from dashboards.selectors import Scope, campaign_figures
from events.models import Event
from parks.models import Park
from products.models import Institution, Product

CENT = Decimal("0.01")
BREAKDOWNS = {
    "province": Dimension.PROVINCE,
    "park": Dimension.PARK,
    "event": Dimension.EVENT,
    "month": Dimension.MONTH,
    "institution": Dimension.INSTITUTION,
    "ip-kind": Dimension.PRODUCT_KIND,
}
BREAKDOWN_TITLES = {
    "province": gettext_lazy("By province"),
    "park": gettext_lazy("By park"),
    "event": gettext_lazy("By event"),
    "month": gettext_lazy("By month"),
    "institution": gettext_lazy("By institution"),
    "ip-kind": gettext_lazy("By IP kind of the loan product"),
}


def cell_for(scope: Scope) -> str | None:
    """The cell holding exactly the scope's figures, if there is one."""
    if scope.campaign is None or scope.date_from or scope.date_to:
        return None
    c = scope.campaign.pk
    province = scope.province.pk if scope.province else None
    if sum(x is not None for x in (scope.park, scope.event, scope.month)) > 1:
        return None
    if scope.event is not None:
        if scope.event.campaign_id != c or province not in (None, scope.event.host_province_id):
            return None
        return cell_key(c, Dimension.EVENT, scope.event.pk)
    if scope.park is not None:
        if province not in (None, scope.park.province_id):
            return None
        return cell_key(c, Dimension.PARK, scope.park.pk)
    if scope.month is not None:
        value = f"{province}:{scope.month}" if province else scope.month
        return cell_key(c, Dimension.MONTH, value)
    if province is not None:
        return cell_key(c, Dimension.PROVINCE, province)
    return cell_key(c, Dimension.ALL)


def cell_fields() -> tuple[str, ...]:
    """A cell's figure columns, as the registry declares them."""
    return (*registry.COUNTER_COLUMNS, *registry.DISTINCT_COLUMNS)


def figures_of(row: Mapping[str, Any] | None) -> Figures:
    """The figures of a cell read as `Cell.objects.values(*cell_fields())`;
    plain look-ups, as a breakdown turns a thousand rows into figures."""
    if row is None:
        return Figures.build({})
    return Figures.from_cell(row)


@functools.cache
def _read_cell_sql(fields: tuple[str, ...], alias: str) -> str:
    quote = connections[alias].ops.quote_name
    return "SELECT {} FROM {} WHERE {} = %s".format(
        ", ".join(quote(name) for name in fields), quote(Cell._meta.db_table), quote("key")
    )


def read_cell(key: str) -> dict[str, Any] | None:
    """One cell's figures by its key. The dashboard's hottest read, so one
    plain primary-key look-up without building a queryset each time."""
    fields = cell_fields()
    alias = reading()
    with connections[alias].cursor() as cursor:
        cursor.execute(_read_cell_sql(fields, alias), [key])
        row = cursor.fetchone()
    if row is None:
        return None
    values = dict(zip(fields, row, strict=True))
    for name in registry.MONEY_COLUMNS:
        # PostgreSQL hands back a Decimal; SQLite an int or a float, exact through str().
        values[name] = Decimal(str(values[name])).quantize(CENT)
    return values


def dashboard_figures(*, scope: Scope) -> Figures:
    """The figures of a scope (docs/figures.md): one cell read when the rollups hold it."""
    key = cell_for(scope)
    if key is None or scope.campaign is None:  # (only a campaign's scopes have cells)
        return campaign_figures(scope=scope)
    # The services that write rows keep the cells current; what they cannot is
    # rolled up here first: rows loaded in bulk (the demo seed) and events that
    # started since (they count from then on). `rebuild_rollups` repairs the rest.
    roll_up_missing(campaign_id=scope.campaign.pk)
    return figures_of(read_cell(key))


@dataclass(frozen=True)
class BreakdownRow:
    value: str  # what to add to the scope to drill into the row
    label: str
    figures: Figures


def breakdown(*, scope: Scope, by: str, rolled_up: bool = False) -> list[BreakdownRow]:
    """One row per province, park, event, month, institution or IP kind of the
    scope, read from the cells; a fixed number of queries. Within a park only
    events break down; a single event or month does not break down further."""
    dimension = BREAKDOWNS[by]
    if scope.campaign is None or scope.event or scope.month or scope.date_from or scope.date_to:
        return []
    if not rolled_up:
        roll_up_missing(campaign_id=scope.campaign.pk)
    alias = reading()
    cells = Cell.objects.using(alias).filter(campaign=scope.campaign, dimension=dimension)
    province = scope.province.pk if scope.province else None
    if scope.park is not None:
        if dimension != Dimension.EVENT or province not in (None, scope.park.province_id):
            return []
        # Every event covering the park, whichever province hosted it.
        park_cell = cell_key(scope.campaign.pk, Dimension.PARK, scope.park.pk)
        events = (
            EventShare.objects.using(alias)
            .filter(cell=park_cell)
            .values_list("event_id", flat=True)
        )
        cells = cells.filter(value__in=[str(pk) for pk in events])
    elif dimension in (Dimension.PROVINCE, Dimension.PARK, Dimension.EVENT):
        # A province's parks are those in the province, its events those it hosted.
        if province is not None:
            cells = cells.filter(province_id=province)
    else:
        cells = cells.filter(province_id=province)
    read = list(cells.values("value", *cell_fields()))
    labels = _labels(dimension, [c["value"] for c in read], alias)
    rows = [
        BreakdownRow(c["value"], labels.get(c["value"], c["value"]), figures_of(c)) for c in read
    ]
    return sorted(rows, key=lambda r: _order(dimension, r))


def _order(dimension: str, row: BreakdownRow) -> tuple:
    if dimension == Dimension.MONTH:
        return (row.value,)
    return (-row.figures.contract_amount, -row.figures.activities, row.label)


def _labels(dimension: str, values: list[str], alias: str) -> dict[str, str]:
    ids = [int(v) for v in values if v.isdigit()]
    models: dict[str, tuple[Any, str, list[Any]]] = {
        Dimension.PROVINCE: (Province, "name", values),
        Dimension.PARK: (Park, "name", ids),
        Dimension.EVENT: (Event, "title", ids),
        Dimension.INSTITUTION: (Institution, "name", ids),
    }
    if dimension in models:
        model, field, keys = models[dimension]
        # Only the two names: a breakdown can have a thousand rows.
        rows = (
            model.objects.using(alias)
            .filter(pk__in=keys)
            .values_list("pk", f"{field}_zh", f"{field}_en")
        )
        chinese = prefers_chinese()
        return {str(pk): ((zh or en) if chinese else (en or zh)) for pk, zh, en in rows}
    if dimension == Dimension.PRODUCT_KIND:
        return {**{k: str(v) for k, v in Product.Kind.choices}, NO_PRODUCT: _("No product")}
    return {}


def funnel(figures: Figures) -> list[tuple[str, int]]:
    """The funnel's stages, as the registry orders them."""
    return [(str(figure.label), figures[figure.name]) for figure in registry.FUNNEL]
