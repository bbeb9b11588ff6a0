"""The dashboard's tables: what a page shows, what a chart draws and what a
CSV or XLSX export holds are one `Table`, so they never disagree. The PDF
report reuses `dashboard_tables` and each table's `chart`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheets import Sheet, csv_bytes, xlsx_bytes
from core.templatetags.money import yuan
from dashboards import charts
from dashboards.cells import BREAKDOWN_TITLES, BreakdownRow, breakdown, funnel
from dashboards.selectors import Figures, Scope


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    money: bool = False


@dataclass
class Table:
    name: str  # the export's name: /dashboard/export/<name>.csv
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    links: list[str | None] = field(default_factory=list)  # drill-down, per row
    chart: SafeString | None = None


def figure_columns(by: str) -> list[Column]:
    contracts = [
        Column("contracts_signed", _("Contracts")),
        Column("financed_enterprises", _("Financed enterprises")),
        Column("contract_amount", _("Contract amount (CNY)"), money=True),
        Column("intention_amount", _("Intention amount (CNY)"), money=True),
        Column("disbursed_amount", _("Disbursed (CNY)"), money=True),
    ]
    if by == "ip-kind":
        return [c for c in contracts if c.key != "financed_enterprises"]
    if by == "institution":
        return [Column("meetings", _("Meetings")), *contracts]
    return [
        Column("activities", _("Activities")),
        Column("enterprises_involved", _("Enterprises")),
        Column("institutions_involved", _("Institutions")),
        Column("participants_total", _("Participants")),
        *contracts,
    ]


FIGURE_LABELS = {
    "activities": gettext_lazy("Activities"),
    "parks_covered": gettext_lazy("Parks covered"),
    "enterprises_involved": gettext_lazy("Enterprises involved"),
    "institutions_involved": gettext_lazy("Financial institutions involved"),
    "participants_online": gettext_lazy("Participants online"),
    "participants_offline": gettext_lazy("Participants on site"),
    "participants_total": gettext_lazy("Participants online and on site"),
    "products_released": gettext_lazy("Products released"),
    "releasing_institutions": gettext_lazy("Institutions releasing products"),
    "contracts_signed": gettext_lazy("Contracts signed on site"),
    "financed_enterprises": gettext_lazy("Financed enterprises"),
    "contract_amount": gettext_lazy("On-site contract amount (CNY)"),
    "intention_amount": gettext_lazy("of which intention agreements (CNY)"),
    "provinces_participating": gettext_lazy("Provinces participating"),
    "disbursed_amount": gettext_lazy("Disbursed (CNY)"),
}
MONEY = {"contract_amount", "intention_amount", "disbursed_amount"}


def figures_table(figures: Figures) -> Table:
    values = figures.as_dict()
    labels = {key: str(label) for key, label in FIGURE_LABELS.items()}
    return Table(
        name="figures",
        title=_("Figures"),
        columns=[Column("figure", _("Figure")), Column("value", _("Value"))],
        rows=[[labels[key], values[key]] for key in FIGURE_LABELS],
    )


def funnel_table(figures: Figures) -> Table:
    stages = funnel(figures)
    return Table(
        name="funnel",
        title=_("From registration to disbursement"),
        columns=[Column("stage", _("Stage")), Column("count", _("Count"))],
        rows=[[label, count] for label, count in stages],
        chart=charts.funnel_chart(title=_("From registration to disbursement"), rows=stages),
    )


def breakdown_table(
    *, scope: Scope, by: str, link: Callable[[BreakdownRow], str | None]
) -> Table | None:
    """A breakdown of a scope whose figures were just read (`dashboard_figures`)."""
    rows = breakdown(scope=scope, by=by, rolled_up=True)
    if not rows:
        return None
    columns = [Column("label", _("Name")), *figure_columns(by)]
    table_rows = [[row.label, *(getattr(row.figures, c.key) for c in columns[1:])] for row in rows]
    title = str(BREAKDOWN_TITLES[by])
    amounts = [(row.label, row.figures.contract_amount) for row in rows]
    if by == "month":
        chart = charts.line_chart(title=_("Contract amount by month"), rows=amounts, formatter=yuan)
    else:
        # The twenty largest; the table below the chart has every row.
        chart = charts.bar_chart(
            title=_("Contract amount") + " · " + title, rows=amounts[:20], formatter=yuan
        )
    return Table(
        name=by,
        title=title,
        columns=columns,
        rows=table_rows,
        links=[link(row) for row in rows],
        chart=chart,
    )


def depth_breakdowns(scope: Scope) -> list[str]:
    """Which breakdowns a scope shows: a campaign by province, a province by
    park and event, a park by event; month, institution and IP kind for the
    campaign or a province."""
    if scope.event or scope.month:
        return []
    if scope.park:
        return ["event"]
    if scope.province:
        return ["park", "event", "month", "institution", "ip-kind"]
    return ["province", "month", "institution", "ip-kind"]


def dashboard_tables(*, scope: Scope, figures: Figures, base: dict[str, str]) -> list[Table]:
    """Every table the dashboard shows for a scope, charts included. `base` are
    the query parameters of the scope, which the drill-down links extend."""

    def drill(**extra: str) -> str:
        return reverse("dashboards:overview") + "?" + urlencode({**base, **extra})

    def contracts(**extra: str) -> str:
        return reverse("dashboards:contracts") + "?" + urlencode({**base, **extra})

    links: dict[str, Callable[[BreakdownRow], str | None]] = {
        "province": lambda r: drill(province=r.value),
        "park": lambda r: drill(park=r.value),
        "event": lambda r: drill(event=r.value),
        "month": lambda r: drill(month=r.value),
        "institution": lambda r: contracts(institution=r.value),
        "ip-kind": lambda r: contracts(product_kind=r.value),
    }
    tables = [figures_table(figures), funnel_table(figures)]
    for by in depth_breakdowns(scope):
        table = breakdown_table(scope=scope, by=by, link=links[by])
        if table is not None:
            tables.append(table)
    return tables


# Exports ----------------------------------------------------------------------


def as_sheet(table: Table) -> Sheet:
    return Sheet(table.title, header=[c.title for c in table.columns], rows=table.rows)


def as_csv(table: Table) -> bytes:
    return csv_bytes(as_sheet(table))


def as_xlsx(tables: Sequence[Table]) -> bytes:
    return xlsx_bytes(as_sheet(table) for table in tables)


def contract_columns() -> list[Column]:
    return [
        Column("reference", _("Contract number")),
        Column("signed_on", _("Signed")),
        Column("kind", _("Kind")),
        Column("amount", _("Amount (CNY)"), money=True),
        Column("disbursed_amount", _("Disbursed (CNY)"), money=True),
        Column("enterprise", _("Enterprise")),
        Column("institution", _("Institution")),
        Column("product", _("Product")),
        Column("event", _("Event")),
    ]


def contracts_sheet(contracts: Iterable[Any]) -> Sheet:
    """Contracts as a sheet for an export, read as it is written."""
    return Sheet(
        _("Contracts"),
        header=[c.title for c in contract_columns()],
        rows=(contract_row(contract) for contract in contracts),
    )


def contract_row(contract: Any) -> list[Any]:
    return [
        contract.reference,
        contract.signed_on.isoformat(),
        contract.get_kind_display(),
        contract.amount,
        contract.disbursed_amount if contract.disbursed_amount is not None else "",
        contract.enterprise.name,
        contract.institution.name,
        contract.product.name if contract.product else "",
        contract.event.title if contract.event else "",
    ]
