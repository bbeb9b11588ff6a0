"""The PDF report of a campaign or an event: the figures (docs/figures.md), tables per host
province, per event and of the contracts, laid out in HTML and CSS and
printed by WeasyPrint. Chinese text is set in Noto CJK (Debian's
`fonts-noto-cjk`), embedded in the PDF as text, so it can be searched and copied."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.selectors import regulator_jurisdiction
from core.models import Province
from core.templatetags.money import yuan
from dashboards.charts import bar_chart
from dashboards.selectors import Figures, Scope, campaign_figures, events_in_scope
from events.models import Event
from financing.models import Contract
from reports.models import Job
from reports.runners import JobRejected, Outcome
from reports.selectors import report_scope

if TYPE_CHECKING:
    from decimal import Decimal
    from typing import TypeAlias, TypedDict

    from django_stubs_ext import WithAnnotations

    class ContractTotals(TypedDict):
        contract_count: int  # on-site contracts of the event
        contract_total: Decimal  # their amount, 0 when there are none

    EventRow: TypeAlias = WithAnnotations[Event, ContractTotals]

# A report lists at most this many contracts; the figures count them all.
MAX_CONTRACT_ROWS = 1_000


@dataclass(frozen=True)
class ProvinceRow:
    province: Province
    figures: Figures


def _title(scope: Scope) -> str:
    if scope.event is not None:
        return scope.event.title
    parts = [scope.campaign.name if scope.campaign else _("All campaigns")]
    if scope.province is not None:
        parts.append(scope.province.name)
    return " · ".join(parts)


def _count(value: Any) -> str:
    # The axis hands in floats; counts are whole.
    return intcomma(int(value))


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str


def report_charts(
    *, figures: Figures, provinces: list[ProvinceRow], events: Sequence[EventRow]
) -> list[Chart]:
    """Bar charts of the tables' own figures, drawn as SVG by `dashboards.charts`."""
    charts = []

    def add(title: str, rows: list[tuple[str, Any]], money: bool = False) -> None:
        # WeasyPrint prints the SVG with the styles it carries (no browser shows it).
        svg = bar_chart(
            title=title,
            rows=rows,
            formatter=yuan if money else _count,
            width=640,
            height=300,
            embed_styles=True,
        )
        charts.append(Chart(title=title, svg=svg))

    if provinces:
        add(
            _("On-site contract amount by host province"),
            [(row.province.name, row.figures.contract_amount) for row in provinces],
            money=True,
        )
        add(
            _("Participants by host province"),
            [(row.province.name, row.figures.participants_total) for row in provinces],
        )
    elif len(events) > 1:
        add(
            _("On-site contract amount by event"),
            [(event.title, event.contract_total) for event in events],
            money=True,
        )
    if figures.contracts_signed:
        add(
            _("Contract amount by kind"),
            [
                (str(Contract.Kind.LOAN.label), figures.contract_amount - figures.intention_amount),
                (str(Contract.Kind.INTENTION.label), figures.intention_amount),
            ],
            money=True,
        )
    return charts


def report_context(*, scope: Scope, progress: Callable[[int, str], None]) -> dict[str, Any]:
    """Everything the report shows, read with a bounded number of queries
    per host province."""
    progress(10, _("Computing the figures…"))
    figures = campaign_figures(scope=scope)
    events = events_in_scope(scope=scope)

    progress(25, _("Figures per province…"))
    provinces = []
    if scope.event is None and scope.province is None:
        hosts = Province.objects.filter(pk__in=events.values("host_province_id")).order_by("code")
        provinces = [
            ProvinceRow(
                province=p,
                figures=campaign_figures(
                    scope=Scope(
                        campaign=scope.campaign,
                        province=p,
                        date_from=scope.date_from,
                        date_to=scope.date_to,
                    )
                ),
            )
            for p in hosts
        ]

    progress(45, _("Events and contracts…"))
    # A contract voided as recorded by mistake counts nowhere.
    signed = Q(contracts__status=Contract.Status.SIGNED)
    event_rows: list[EventRow] = list(
        Event.objects.filter(pk__in=events.values("pk"))
        .select_related("host_province")
        .annotate(
            contract_count=Count("contracts", filter=signed),
            contract_total=Coalesce(
                Sum("contracts__amount", filter=signed),
                Value(0),
                output_field=DecimalField(max_digits=18, decimal_places=2),
            ),
        )
        .order_by("starts_at", "pk")
    )
    contracts = (
        Contract.objects.filter(event__in=events.values("pk"), status=Contract.Status.SIGNED)
        .select_related("enterprise", "institution", "event")
        .order_by("signed_on", "reference")
    )
    contract_rows = list(contracts[:MAX_CONTRACT_ROWS])
    return {
        "title": _title(scope),
        "scope": scope,
        "figures": figures,
        "provinces": provinces,
        "events": event_rows,
        "contracts": contract_rows,
        "contracts_cut": figures.contracts_signed > len(contract_rows),
        "generated_at": timezone.localtime(),
        "charts": report_charts(figures=figures, provinces=provinces, events=event_rows),
    }


def render_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/pdf/report.html", context)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def build_report(*, job: Job, progress: Callable[[int, str], None]) -> Outcome:
    jurisdiction = regulator_jurisdiction(user=job.owner)
    if jurisdiction is None:
        raise JobRejected(_("Only regulators may read reports."))
    try:
        scope = report_scope(params=job.params, jurisdiction=jurisdiction)
    except (PermissionDenied, Http404) as refused:
        # The event or campaign is gone, or the regulator's jurisdiction changed.
        raise JobRejected(str(refused) or _("This report cannot be made.")) from refused
    context = report_context(scope=scope, progress=progress)
    context["author"] = job.owner
    progress(70, _("Laying out the PDF…"))
    pdf = render_pdf(context)
    slug = job.params.get("event") or "-".join(
        filter(None, [job.params.get("campaign"), job.params.get("province")])
    )
    name = f"ipfin-report-{slugify(slug) or 'all'}-{timezone.localdate():%Y%m%d}.pdf"
    return Outcome(
        message=_("The report is ready."),
        summary={"bytes": len(pdf)},
        result_name=name,
        result=pdf,
    )
