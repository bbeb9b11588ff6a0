"""The campaign's figures, declared once (docs/figures.md).

A figure is one `Figure` in `FIGURES`: its key, its label in both languages,
what it counts (`help`), the `Source` whose rows it aggregates, and how:

- `ADDITIVE`: an aggregate of the source's rows (`count=`) that adds up across
  events, so a rollup cell keeps the sum of its events' shares in a column of
  its own (`column=`, on `dashboards.models.Counters`);
- `DISTINCT`: the number of different parties (`party=`, a field of the
  source's rows) over the events, which cannot be summed: each event keeps who
  took part (`EventParty`, under `role=`) and a cell counts them once, in its
  column on `Cell`;
- `TOTAL`: the sum of other figures (`sum_of=`), stored nowhere.

Everything else follows from the declaration: the figures read from the rows
(`selectors.campaign_figures`, one aggregate per source) and from the rollups
(`rollups`, `cells`), the API's fields and their schema (`api.FiguresSerializer`),
the dashboard's tables and exports (`tables`), the cards, the event report and
the PDF report (`{% figure_list %}`), and the table in docs/figures.md
(`manage.py figure_docs`). `dashboards/checks.py` checks the declaration.

Where a figure is shown is its `shown` set: `CARDS` (home page and dashboard),
`LISTED` (the dashboard's table of figures, its exports and the PDF report),
`OF_EVENT` (an event's report), `COLUMNS` (a column of the breakdowns: by a
part of an event, such as an institution, only the figures whose source
counts in that part), `FUNNEL` (the funnel's stages, in order)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import Aggregate, Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dashboards.models import Dimension, EventParty
from events.models import Event, Meeting, Registration
from financing.models import Contract

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ZERO = Decimal("0.00")
Role = EventParty.Role

# Where a figure is shown.
CARD, LIST, OF_EVENT_REPORT = "cards", "listed", "of_event"
COLUMN, FUNNEL_STAGE = "columns", "funnel"
PLACES = (CARD, LIST, OF_EVENT_REPORT, COLUMN, FUNNEL_STAGE)


def held(events: QuerySet[Event]) -> QuerySet[Event]:
    """The events that count: published and started (docs/figures.md)."""
    return events.filter(status=Event.Status.PUBLISHED, starts_at__lte=timezone.now())


def counted_contracts() -> QuerySet[Contract]:
    """The contracts the figures count: a voided one (recorded by mistake) counts nowhere."""
    return Contract.objects.filter(status=Contract.Status.SIGNED)


# Meetings that happen: the funnel's second stage.
MEETING_STATUSES = (Meeting.Status.ACCEPTED, Meeting.Status.HELD)

# The rows of a source at some events, given their primary keys (a list or a
# subquery). Every row set has an `event_id`, the event it counts at.
Rows = Callable[[Any], QuerySet[Any]]


@dataclass(frozen=True)
class Source:
    """The rows some figures aggregate, at the events in scope."""

    name: str
    label: str  # for docs/figures.md
    row_sets: tuple[Rows, ...]
    # The parts of an event its rows also count in (`Dimension.INSTITUTION`:
    # the row's institution; `Dimension.PRODUCT_KIND`: its product's kind).
    parts: tuple[str, ...] = ()


def _events(ids: Any) -> QuerySet[Event]:
    return Event.objects.filter(pk__in=ids).annotate(event_id=F("pk"))


def _registrations(ids: Any) -> QuerySet[Registration]:
    active = Registration.objects.filter(event_id__in=ids)
    return active.exclude(status=Registration.Status.CANCELLED)


def _hosts(ids: Any) -> QuerySet[Event]:
    return _events(ids).annotate(province_id=F("host_province_id"))


SOURCES: dict[str, Source] = {
    source.name: source
    for source in (
        Source("events", "the events in scope", (_events,)),
        Source(
            "parks",
            "the parks the events cover",
            (lambda ids: Event.parks.through.objects.filter(event_id__in=ids),),
        ),
        Source("registrations", "the registrations not cancelled", (_registrations,)),
        Source(
            "featured",
            "the products released at the events",
            (lambda ids: Event.featured_products.through.objects.filter(event_id__in=ids),),
        ),
        Source(
            "meetings",
            "the 1:1 meetings accepted or held",
            (lambda ids: Meeting.objects.filter(event_id__in=ids, status__in=MEETING_STATUSES),),
            parts=(Dimension.INSTITUTION,),
        ),
        Source(
            "contracts",
            "the contracts signed at the events and not voided",
            (lambda ids: counted_contracts().filter(event_id__in=ids),),
            parts=(Dimension.INSTITUTION, Dimension.PRODUCT_KIND),
        ),
        Source(
            "provinces",
            "the events' host provinces and the provinces named as taking part",
            (
                _hosts,
                lambda ids: Event.participating_provinces.through.objects.filter(event_id__in=ids),
            ),
        ),
    )
}


class How(enum.Enum):
    ADDITIVE = "additive"
    DISTINCT = "distinct"
    TOTAL = "total"


@dataclass(frozen=True)
class Figure:
    name: str  # the key in the API and the templates
    label: StrOrPromise  # what the cards, the lists and the event report call it
    help: StrOrPromise  # what it counts: the API schema and docs/figures.md
    source: str  # a key of SOURCES
    how: How
    count: Aggregate | None = None  # ADDITIVE: the aggregate over the source's rows
    party: str = ""  # DISTINCT: the field of the source's rows naming the party
    role: int | None = None  # DISTINCT: whose parties, in EventParty
    sum_of: tuple[str, ...] = ()  # TOTAL: the figures it adds up
    column: str = ""  # the rollup column; the name when empty
    money: bool = False  # yuan, a Decimal; else a count
    short: StrOrPromise | None = None  # the breakdown tables' column heading
    shown: frozenset[str] = frozenset()

    @property
    def field(self) -> str:
        """The rollup column keeping it (ADDITIVE and DISTINCT figures)."""
        return self.column or self.name

    @property
    def stored(self) -> bool:
        return self.how is not How.TOTAL

    @property
    def heading(self) -> StrOrPromise:
        return self.short or self.label

    def aggregate(self) -> Aggregate:
        """Its aggregate over one row set of its source."""
        if self.how is How.DISTINCT:
            return Count(self.party, distinct=True)
        if self.count is None:
            raise ValueError(f"The figure {self.name} declares no count.")
        return self.count

    def empty(self) -> Any:
        return ZERO if self.money else 0

    def how_counted(self) -> str:
        """How it is counted, for docs/figures.md."""
        if self.how is How.TOTAL:
            return "sum of " + " and ".join(f"`{name}`" for name in self.sum_of)
        rows = SOURCES[self.source].label
        if self.how is How.DISTINCT:
            return f"distinct `{self.party}` over {rows}"
        return f"summed per event: {'yuan' if self.money else 'a count'} of {rows}"


def _shown(*places: str) -> frozenset[str]:
    return frozenset(places)


INTENTION = Q(kind=Contract.Kind.INTENTION)
HEADLINE = _shown(CARD, LIST, OF_EVENT_REPORT)
DETAIL = _shown(LIST, OF_EVENT_REPORT)

FIGURES: tuple[Figure, ...] = (
    Figure(
        "activities",
        _("Activities"),
        _("The events in scope."),
        "events",
        How.ADDITIVE,
        count=Count("pk"),
        shown=_shown(CARD, LIST, COLUMN),
    ),
    Figure(
        "parks_covered",
        _("Parks covered"),
        _("Distinct parks the events cover (an event may cover several)."),
        "parks",
        How.DISTINCT,
        party="park_id",
        role=Role.PARK,
        column="parks",
        shown=HEADLINE,
    ),
    Figure(
        "enterprises_involved",
        _("Enterprises involved"),
        _(
            "Distinct enterprises registered for the events: every registration that is "
            "not cancelled counts, the waiting list included."
        ),
        "registrations",
        How.DISTINCT,
        party="enterprise_id",
        role=Role.ENTERPRISE,
        column="enterprises",
        short=pgettext_lazy("figure", "Enterprises"),
        shown=HEADLINE | {COLUMN},
    ),
    Figure(
        "institutions_involved",
        _("Financial institutions involved"),
        _("Distinct financial institutions registered for the events, on the same rule."),
        "registrations",
        How.DISTINCT,
        party="institution_id",
        role=Role.INSTITUTION,
        column="institutions",
        short=pgettext_lazy("figure", "Institutions"),
        shown=HEADLINE | {COLUMN},
    ),
    Figure(
        "participants_online",
        _("Participants online"),
        _(
            "The sum of the online participants the organisers reported for each event "
            "after it started; not derived from registrations or check-ins."
        ),
        "events",
        How.ADDITIVE,
        count=Sum("participants_online"),
        shown=DETAIL,
    ),
    Figure(
        "participants_offline",
        _("Participants on site"),
        _("The same for participants on site."),
        "events",
        How.ADDITIVE,
        count=Sum("participants_offline"),
        shown=DETAIL,
    ),
    Figure(
        "participants_total",
        _("Participants online and on site"),
        _("Online plus on site."),
        "events",
        How.TOTAL,
        sum_of=("participants_online", "participants_offline"),
        short=_("Participants"),
        shown=HEADLINE | {COLUMN},
    ),
    Figure(
        "products_released",
        _("Products released"),
        _("Distinct financing products released (featured) at the events."),
        "featured",
        How.DISTINCT,
        party="product_id",
        role=Role.PRODUCT,
        column="products",
        shown=HEADLINE,
    ),
    Figure(
        "releasing_institutions",
        _("Institutions releasing products"),
        _("Distinct institutions behind those products."),
        "featured",
        How.DISTINCT,
        party="product__institution_id",
        role=Role.RELEASER,
        column="releasers",
        shown=DETAIL,
    ),
    Figure(
        "contracts_signed",
        _("Contracts signed on site"),
        _(
            "Contracts counted at the events: intention agreements and loan contracts "
            "recorded as signed on site, and loan contracts signed through an application "
            "that came from a registration at the event. A loan that follows up an on-site "
            "intention agreement is not counted again: the intention already is."
        ),
        "contracts",
        How.ADDITIVE,
        count=Count("pk"),
        column="contracts",
        short=pgettext_lazy("figure", "Contracts"),
        shown=HEADLINE | {COLUMN},
    ),
    Figure(
        "financed_enterprises",
        _("Financed enterprises"),
        _(
            "Distinct enterprises with at least one of those contracts (an intention "
            "agreement is enough)."
        ),
        "contracts",
        How.DISTINCT,
        party="enterprise_id",
        role=Role.FINANCED,
        column="financed",
        shown=DETAIL | {COLUMN},
    ),
    Figure(
        "contract_amount",
        _("On-site contract amount"),
        _("The total amount of those contracts, intentions and loans together, in yuan."),
        "contracts",
        How.ADDITIVE,
        count=Sum("amount"),
        money=True,
        short=_("Contract amount"),
        shown=HEADLINE | {COLUMN},
    ),
    Figure(
        "intention_amount",
        _("Of which intention agreements"),
        _("The part of the contract amount that is intention agreements."),
        "contracts",
        How.ADDITIVE,
        count=Sum("amount", filter=INTENTION),
        money=True,
        short=_("Intention amount"),
        shown=DETAIL | {COLUMN},
    ),
    Figure(
        "provinces_participating",
        _("Provinces participating"),
        _("Distinct provinces that hosted an event in scope or were named as taking part in one."),
        "provinces",
        How.DISTINCT,
        party="province_id",
        role=Role.PROVINCE,
        column="provinces",
        shown=HEADLINE,
    ),
    # The funnel: enterprise registrations → meetings → intentions → loan
    # contracts → disbursed loans, counted at the same events.
    Figure(
        "registrations",
        pgettext_lazy("figure", "Registrations"),
        _("Enterprise registrations that are not cancelled (rows, not distinct enterprises)."),
        "registrations",
        How.ADDITIVE,
        count=Count("pk", filter=Q(enterprise__isnull=False)),
        shown=_shown(FUNNEL_STAGE),
    ),
    Figure(
        "meetings",
        pgettext_lazy("figure", "Meetings"),
        _("1:1 meetings accepted or held."),
        "meetings",
        How.ADDITIVE,
        count=Count("pk"),
        shown=_shown(FUNNEL_STAGE, COLUMN),
    ),
    Figure(
        "intentions",
        _("Intention agreements"),
        _("Intention agreements among the contracts above."),
        "contracts",
        How.ADDITIVE,
        count=Count("pk", filter=INTENTION),
        shown=_shown(FUNNEL_STAGE),
    ),
    Figure(
        "loans",
        _("Loan contracts"),
        _("Loan contracts among the contracts above."),
        "contracts",
        How.ADDITIVE,
        count=Count("pk", filter=Q(kind=Contract.Kind.LOAN)),
        shown=_shown(FUNNEL_STAGE),
    ),
    Figure(
        "disbursed",
        _("Disbursed loans"),
        _("Contracts with a disbursement recorded."),
        "contracts",
        How.ADDITIVE,
        count=Count("pk", filter=Q(disbursed_amount__isnull=False)),
        shown=_shown(FUNNEL_STAGE),
    ),
    Figure(
        "disbursed_amount",
        _("Disbursed amount"),
        _("The total disbursed on them, in yuan."),
        "contracts",
        How.ADDITIVE,
        count=Sum("disbursed_amount"),
        money=True,
        shown=DETAIL | {COLUMN},
    ),
)


class Derived(NamedTuple):
    """What the modules read from the registry; `derive(FIGURES)` below."""

    BY_NAME: dict[str, Figure]
    STORED: tuple[Figure, ...]
    ADDITIVE: tuple[Figure, ...]
    DISTINCT: tuple[Figure, ...]
    TOTALS: tuple[Figure, ...]
    CARDS: tuple[Figure, ...]
    LISTED: tuple[Figure, ...]
    OF_EVENT: tuple[Figure, ...]
    COLUMNS: tuple[Figure, ...]
    FUNNEL: tuple[Figure, ...]
    COUNTER_COLUMNS: tuple[str, ...]  # Counters' columns, in order
    DISTINCT_COLUMNS: tuple[str, ...]  # Cell's distinct columns, in order
    MONEY_COLUMNS: tuple[str, ...]


def derive(figures: tuple[Figure, ...]) -> Derived:
    def where(place: str) -> tuple[Figure, ...]:
        return tuple(f for f in figures if place in f.shown)

    additive = tuple(f for f in figures if f.how is How.ADDITIVE)
    distinct = tuple(f for f in figures if f.how is How.DISTINCT)
    return Derived(
        BY_NAME={f.name: f for f in figures},
        STORED=tuple(f for f in figures if f.stored),
        ADDITIVE=additive,
        DISTINCT=distinct,
        TOTALS=tuple(f for f in figures if f.how is How.TOTAL),
        CARDS=where(CARD),
        LISTED=where(LIST),
        OF_EVENT=where(OF_EVENT_REPORT),
        COLUMNS=where(COLUMN),
        FUNNEL=where(FUNNEL_STAGE),
        COUNTER_COLUMNS=tuple(f.field for f in additive),
        DISTINCT_COLUMNS=tuple(f.field for f in distinct),
        MONEY_COLUMNS=tuple(f.field for f in figures if f.money and f.stored),
    )


(
    BY_NAME,
    STORED,
    ADDITIVE,
    DISTINCT,
    TOTALS,
    CARDS,
    LISTED,
    OF_EVENT,
    COLUMNS,
    FUNNEL,
    COUNTER_COLUMNS,
    DISTINCT_COLUMNS,
    MONEY_COLUMNS,
) = derive(FIGURES)

# The derived names above are read through this module (`figures.CARDS`) at
# call time, never copied at import, so a test can swap the registry.
DERIVED = Derived._fields


def columns_for(dimension: str) -> tuple[Figure, ...]:
    """The breakdown's columns by a dimension: every column figure by a
    province, park, event or month; by a part of an event (an institution, a
    product kind) those whose source counts in that part."""
    parts = {part for source in SOURCES.values() for part in source.parts}
    if dimension not in parts:
        return COLUMNS
    return tuple(f for f in COLUMNS if dimension in SOURCES[f.source].parts)


class Figures(Mapping[str, Any]):
    """The figures of a scope by name, in `FIGURES` order; read-only. A
    template or a caller may read one as an attribute too: `figures.activities`."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_values", dict(values))

    @classmethod
    def build(cls, stored: Mapping[str, Any]) -> Figures:
        """From every stored figure's value by name (None: nothing counted);
        the totals are added up here."""
        values: dict[str, Any] = {}
        for figure in STORED:
            values[figure.name] = stored.get(figure.name) or figure.empty()
        for figure in TOTALS:
            values[figure.name] = sum(
                (values[name] for name in figure.sum_of), start=figure.empty()
            )
        return cls({figure.name: values[figure.name] for figure in FIGURES})

    @classmethod
    def from_cell(cls, row: Mapping[str, Any]) -> Figures:
        """From a rollup cell's columns (`cells.CELL_FIELDS`)."""
        return cls.build({figure.name: row[figure.field] for figure in STORED})

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Figures are read-only.")

    def __repr__(self) -> str:
        return f"Figures({self._values!r})"

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)
