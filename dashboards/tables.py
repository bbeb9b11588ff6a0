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
from django.utils.translation import pgettext

from core.spreadsheets import Sheet, csv_bytes, xlsx_bytes
from core.templatetags.money import yuan
from dashboards import charts
from dashboards import figures as registry
from dashboards.cells import BREAKDOWN_TITLES, BREAKDOWNS, BreakdownRow, breakdown, funnel
from dashboards.figures import Figures
from dashboards.selectors import Scope


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


def in_yuan(title: object) -> str:
    """A money figure's heading in a table, which shows exact yuan."""
    return _("%(figure)s (CNY)") % {"figure": title}


def figure_columns(by: str) -> list[Column]:
    """A breakdown's figure columns (`figures.columns_for`)."""
    return [
        Column(f.name, in_yuan(f.heading) if f.money else str(f.heading), money=f.money)
        for f in registry.columns_for(BREAKDOWNS[by])
    ]


def figures_table(figures: Figures) -> Table:
    """The scope's figures, one a row: those the registry lists."""
    return Table(
        name="figures",
        title=_("Figures"),
        columns=[Column("figure", _("Figure")), Column("value", pgettext("figure", "Value"))],
        rows=[
            [in_yuan(f.label) if f.money else str(f.label), figures[f.name]]
            for f in registry.LISTED
        ],
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
    table_rows = [[row.label, *(row.figures[c.key] for c in columns[1:])] for row in rows]
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
