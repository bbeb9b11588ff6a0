"""Reading the dashboard's figures from the rollups.

A scope the rollups hold as one cell (a campaign, or one province, park,
event or month of it) is answered by reading that cell; any other scope (an
arbitrary period, no campaign) by `campaign_figures`, from the rows. Both
give the same numbers: `tests/dashboards/test_rollups.py` holds them to it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Province
from dashboards.models import Cell, Dimension, EventShare, cell_key
from dashboards.rollups import NO_PRODUCT, roll_up_missing
from dashboards.selectors import ZERO, Figures, Scope, campaign_figures
from events.models import Event
from parks.models import Park
from products.models import Institution, Product

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
        return cell_key(c, Dimension.PARK, f"{province}:{scope.park.pk}") if province else None
    if scope.month is not None:
        value = f"{province}:{scope.month}" if province else scope.month
        return cell_key(c, Dimension.MONTH, value)
    if province is not None:
        return cell_key(c, Dimension.PROVINCE, province)
    return cell_key(c, Dimension.ALL)


def figures_of(cell: Cell | None) -> Figures:
    if cell is None:
        cell = Cell()
    return Figures(
        activities=cell.activities,
        parks_covered=cell.parks,
        enterprises_involved=cell.enterprises,
        institutions_involved=cell.institutions,
        participants_online=cell.participants_online,
        participants_offline=cell.participants_offline,
        participants_total=cell.participants_online + cell.participants_offline,
        products_released=cell.products,
        releasing_institutions=cell.releasers,
        contracts_signed=cell.contracts,
        financed_enterprises=cell.financed,
        contract_amount=Decimal(cell.contract_amount) or ZERO,
        intention_amount=Decimal(cell.intention_amount) or ZERO,
        provinces_participating=cell.provinces,
        registrations=cell.registrations,
        meetings=cell.meetings,
        intentions=cell.intentions,
        loans=cell.loans,
        disbursed=cell.disbursed,
        disbursed_amount=Decimal(cell.disbursed_amount) or ZERO,
    )


def dashboard_figures(*, scope: Scope) -> Figures:
    """The §5 figures of a scope: one cell read when the rollups hold it."""
    key = cell_for(scope)
    if key is None:
        return campaign_figures(scope=scope)
    roll_up_missing(campaign_id=scope.campaign.pk)  # type: ignore[union-attr]
    return figures_of(Cell.objects.filter(key=key).first())


@dataclass(frozen=True)
class BreakdownRow:
    value: str  # what to add to the scope to drill into the row
    label: str
    figures: Figures


def breakdown(*, scope: Scope, by: str) -> list[BreakdownRow]:
    """One row per province, park, event, month, institution or IP kind of the
    scope, read from the cells; a fixed number of queries. Within a park only
    events break down; a single event or month does not break down further."""
    dimension = BREAKDOWNS[by]
    if scope.campaign is None or scope.event or scope.month or scope.date_from or scope.date_to:
        return []
    roll_up_missing(campaign_id=scope.campaign.pk)
    cells = Cell.objects.filter(campaign=scope.campaign, dimension=dimension)
    province = scope.province.pk if scope.province else None
    if scope.park is not None:
        if dimension != Dimension.EVENT or province is None:
            return []
        park_cell = cell_key(scope.campaign.pk, Dimension.PARK, f"{province}:{scope.park.pk}")
        events = EventShare.objects.filter(cell=park_cell).values_list("event_id", flat=True)
        cells = cells.filter(value__in=[str(pk) for pk in events])
    elif dimension in (Dimension.PROVINCE, Dimension.PARK, Dimension.EVENT):
        if province is not None:
            cells = cells.filter(province_id=province)
    else:
        cells = cells.filter(province_id=province)
    cells = list(cells)
    labels = _labels(dimension, [c.value for c in cells])
    rows = [BreakdownRow(c.value, labels.get(c.value, c.value), figures_of(c)) for c in cells]
    return sorted(rows, key=lambda r: _order(dimension, r))


def _order(dimension: str, row: BreakdownRow) -> tuple:
    if dimension == Dimension.MONTH:
        return (row.value,)
    return (-row.figures.contract_amount, -row.figures.activities, row.label)


def _labels(dimension: str, values: list[str]) -> dict[str, str]:
    ids = [int(v) for v in values if v.isdigit()]
    if dimension == Dimension.PROVINCE:
        return {p.pk: p.name for p in Province.objects.filter(pk__in=values)}
    if dimension == Dimension.PARK:
        return {str(p.pk): p.name for p in Park.objects.filter(pk__in=ids)}
    if dimension == Dimension.EVENT:
        return {str(e.pk): e.title for e in Event.objects.filter(pk__in=ids)}
    if dimension == Dimension.INSTITUTION:
        return {str(i.pk): i.name for i in Institution.objects.filter(pk__in=ids)}
    if dimension == Dimension.PRODUCT_KIND:
        return {**{k: str(v) for k, v in Product.Kind.choices}, NO_PRODUCT: _("No product")}
    return {}


def funnel(figures: Figures) -> list[tuple[str, int]]:
    return [
        (_("Registrations"), figures.registrations),
        (_("Meetings"), figures.meetings),
        (_("Intention agreements"), figures.intentions),
        (_("Loan contracts"), figures.loans),
        (_("Disbursed loans"), figures.disbursed),
    ]
