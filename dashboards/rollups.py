"""Keeping the dashboard's rollups (dashboards.models) equal to the rows.

- `refresh_for_event(event_id=…)` recomputes one event's share and parties
  from the rows and moves every cell it touches by the difference. Call it
  (through `refresh_event_later` or `refresh_event_soon`, which coalesce the
  recounts of a burst of writes into one on the Celery worker; apps below
  this one announce `event_figures_changed`) after any write to an event,
  its registrations, meetings or contracts. It is
  idempotent: calling it twice, or for an event that did not change, changes
  nothing.
- `rebuild_all()` (`manage.py rebuild_rollups`) throws the rollups away and
  builds them again from the rows, in a few set-based statements.
- `roll_up_missing(campaign_id=…)` rolls up events that never were (rows
  loaded in bulk, e.g. the demo seed), so a dashboard never reads a hole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    Model,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from dashboards import figures as registry
from dashboards.models import (
    Cell,
    Dimension,
    EventParty,
    EventRollup,
    EventShare,
    cell_key,
)
from events.models import Campaign, Event
from products.models import Product

Role = EventParty.Role
NO_PRODUCT = "none"
# A product kind's cells count the enterprises financed with a product of that
# kind: their parties are kept under a negative code per kind, apart from the
# event's own (0) and each lending institution's (its id).
KIND_PARTIES: dict[str, int] = {
    kind: -2 - n for n, kind in enumerate([*Product.Kind.values, NO_PRODUCT])
}
ZERO = Decimal("0")
CHUNK = 500
# Kept here too for the callers that read them from the rollups.
held = registry.held
counted_contracts = registry.counted_contracts
MEETING_STATUSES = registry.MEETING_STATUSES


def role_columns() -> dict[int, str]:
    """Each distinct figure's EventParty role and its Cell column."""
    return {f.role: f.field for f in registry.DISTINCT if f.role is not None}


Party = tuple[int, int, int]  # role, institution (0 = the event's own), party id


@dataclass(frozen=True)
class CellRef:
    key: str
    campaign_id: int | None
    dimension: str
    province_id: str | None
    value: str
    party_institution: int = 0

    def cell(self) -> Cell:
        return Cell(
            key=self.key,
            campaign_id=self.campaign_id,
            dimension=self.dimension,
            province_id=self.province_id,
            value=self.value,
        )


@dataclass
class Share:
    ref: CellRef
    counters: dict[str, Any] = field(
        default_factory=lambda: dict.fromkeys(registry.COUNTER_COLUMNS, 0)
    )

    def add(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            self.counters[name] += value or 0


def month_of(event: Event) -> str:
    return timezone.localtime(event.starts_at).strftime("%Y-%m")


def event_cells(event: Event, parks: Iterable[tuple[int, str]]) -> list[CellRef]:
    """The cells an event counts in as a whole; `parks` are the (park,
    province) pairs it covers."""
    c, p, month = event.campaign_id, event.host_province_id, month_of(event)
    refs = [
        CellRef(cell_key(c, Dimension.ALL), c, Dimension.ALL, None, ""),
        CellRef(cell_key(c, Dimension.PROVINCE, p), c, Dimension.PROVINCE, p, p),
        CellRef(cell_key(c, Dimension.MONTH, month), c, Dimension.MONTH, None, month),
        CellRef(cell_key(c, Dimension.MONTH, f"{p}:{month}"), c, Dimension.MONTH, p, month),
        CellRef(cell_key(c, Dimension.EVENT, event.pk), c, Dimension.EVENT, p, str(event.pk)),
    ]
    # A park's figures are the park's, whichever province hosted the event:
    # one cell per park, in the park's own province (docs/figures.md).
    refs += [
        CellRef(cell_key(c, Dimension.PARK, k), c, Dimension.PARK, province, str(k))
        for k, province in sorted(parks)
    ]
    return refs


def part_cells(event: Event, dimension: str, value: str, party_institution: int) -> list[CellRef]:
    """The cells of one institution's or product kind's part of an event:
    campaign-wide, and within the host province."""
    c, p = event.campaign_id, event.host_province_id
    return [
        CellRef(cell_key(c, dimension, value), c, dimension, None, value, party_institution),
        CellRef(cell_key(c, dimension, f"{p}:{value}"), c, dimension, p, value, party_institution),
    ]


def compute_shares(events: QuerySet[Event]) -> dict[int, dict[str, Share]]:
    """Each held event's share of each cell, from the rows: a handful of
    grouped queries, whatever the number of events."""
    published = list(held(events))
    ids = [e.pk for e in published]
    parks: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for event_id, park_id, province_id in Event.parks.through.objects.filter(
        event_id__in=ids
    ).values_list("event_id", "park_id", "park__province_id"):
        parks[event_id].append((park_id, province_id))
    shares: dict[int, dict[str, Share]] = {}
    whole: dict[int, list[Share]] = {}  # the cells an event counts in as a whole
    by_pk = {e.pk: e for e in published}
    for e in published:
        whole[e.pk] = [Share(ref) for ref in event_cells(e, parks[e.pk])]
        shares[e.pk] = {share.ref.key: share for share in whole[e.pk]}

    def add_to_event(event_id: int, values: dict[str, Any]) -> None:
        for share in whole[event_id]:
            share.add(values)

    def add_to_part(event_id: int, part: str, value: str, pi: int, values: dict[str, Any]) -> None:
        for ref in part_cells(by_pk[event_id], part, value, pi):
            shares[event_id].setdefault(ref.key, Share(ref)).add(values)

    def values_of(row: Mapping[str, Any]) -> dict[str, Any]:
        return {name[2:]: value for name, value in row.items() if name.startswith("n_")}

    # Per source, its additive figures grouped by event (and by the parts of
    # the event its rows count in): a query or two per source.
    for source in registry.SOURCES.values():
        counted = {f.field: f.aggregate() for f in registry.ADDITIVE if f.source == source.name}
        if not counted:
            continue
        rows = source.row_sets[0](ids)
        aliases = {f"n_{name}": expression for name, expression in counted.items()}
        by_institution = Dimension.INSTITUTION in source.parts
        group = ("event_id", "institution_id") if by_institution else ("event_id",)
        for row in rows.values(*group).annotate(**aliases):
            add_to_event(row["event_id"], values_of(row))
            if by_institution:
                i = row["institution_id"]
                add_to_part(row["event_id"], Dimension.INSTITUTION, str(i), i, values_of(row))
        if Dimension.PRODUCT_KIND in source.parts:
            for row in rows.values("event_id", "product__kind").annotate(**aliases):
                kind = row["product__kind"] or NO_PRODUCT
                add_to_part(
                    row["event_id"],
                    Dimension.PRODUCT_KIND,
                    kind,
                    KIND_PARTIES[kind],
                    values_of(row),
                )
    return shares


# (event, role, institution, party) rows, from whichever model counts the parties.
PartyRows = QuerySet[Model, tuple[int, int, int, int]]


def party_querysets(events: QuerySet[Event]) -> list[PartyRows]:
    """Every (event, role, institution, party) row of the events, as querysets
    that give the columns in that order: read by a refresh, inserted in one
    statement each by a rebuild. Per distinct figure and row set of its
    source: the event's own parties, and those of each part of the event its
    source counts in (a lending institution's, a product kind's)."""
    ids = held(events).values("pk")
    kind_parties = Case(
        *(When(product__kind=kind, then=Value(code)) for kind, code in KIND_PARTIES.items()),
        default=Value(KIND_PARTIES[NO_PRODUCT]),
    )
    of_part: dict[str, Any] = {
        Dimension.INSTITUTION: F("institution_id"),
        Dimension.PRODUCT_KIND: kind_parties,
    }

    def rows(qs: QuerySet[Model], role: int, institution: Any, party: str) -> PartyRows:
        institution = Value(0) if institution == 0 else institution
        # The plugin cannot follow values_list() through annotations on any model.
        parties: PartyRows = (
            qs.annotate(
                _role=Value(role, output_field=BigIntegerField()),
                _institution=Cast(institution, BigIntegerField()),
                _party=Cast(party, BigIntegerField()),
            )
            .values_list("event_id", "_role", "_institution", "_party")
            .order_by()
            .distinct()
        )
        return parties

    querysets = []
    for figure in registry.DISTINCT:
        source = registry.SOURCES[figure.source]
        role = int(figure.role or 0)
        for row_set in source.row_sets:
            qs = row_set(ids).filter(**{f"{figure.party}__isnull": False})
            querysets.append(rows(qs, role, 0, figure.party))
            querysets += [rows(qs, role, of_part[part], figure.party) for part in source.parts]
    return querysets


def _chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _present_elsewhere(*, key: str, role: int, pi: int, parties: set[int], event_id: int) -> set:
    """Which of `parties` another event of the cell still counts."""
    others = EventShare.objects.filter(cell=key).exclude(event_id=event_id).values("event_id")
    found: set[int] = set()
    for batch in _chunks(sorted(parties)):
        found.update(
            EventParty.objects.filter(
                role=role, institution_id=pi, party_id__in=batch, event_id__in=others
            )
            .values_list("party_id", flat=True)
            .distinct()
        )
    return found


@transaction.atomic
def refresh_for_event(*, event_id: int) -> None:
    """Bring the rollups up to date with one event's rows (see the module)."""
    if not Event.objects.filter(pk=event_id).exists():
        return
    EventRollup.objects.get_or_create(event_id=event_id)
    # One refresh of an event at a time; the cells are locked below, in key order.
    EventRollup.objects.select_for_update().get(pk=event_id)
    # When: an event rolled up before it started is rolled up again once it has.
    EventRollup.objects.filter(pk=event_id).update(refreshed_at=timezone.now())

    events = Event.objects.filter(pk=event_id)
    new_shares = compute_shares(events).get(event_id, {})
    new_parties: set[Party] = set()
    for qs in party_querysets(events):
        new_parties.update((r, i, p) for _e, r, i, p in qs)
    old_shares = {s.cell: s for s in EventShare.objects.filter(event_id=event_id)}
    old_rows = {
        (r, i, p): pk
        for pk, r, i, p in EventParty.objects.filter(event_id=event_id).values_list(
            "pk", "role", "institution_id", "party_id"
        )
    }
    old_parties = set(old_rows)

    keys = sorted(set(old_shares) | set(new_shares))
    Cell.objects.bulk_create([s.ref.cell() for s in new_shares.values()], ignore_conflicts=True)
    list(Cell.objects.select_for_update().filter(key__in=keys).order_by("key"))

    EventShare.objects.filter(event_id=event_id).delete()
    EventShare.objects.bulk_create(
        [
            EventShare(
                event_id=event_id,
                cell=s.ref.key,
                dimension=s.ref.dimension,
                party_institution=s.ref.party_institution,
                **s.counters,
            )
            for s in new_shares.values()
        ]
    )
    gone = [old_rows[p] for p in old_parties - new_parties]
    for batch in _chunks(gone):
        EventParty.objects.filter(pk__in=batch).delete()
    EventParty.objects.bulk_create(
        [
            EventParty(event_id=event_id, role=r, institution_id=i, party_id=p)
            for r, i, p in new_parties - old_parties
        ],
        batch_size=2000,
    )

    for key in keys:
        old, new = old_shares.get(key), new_shares.get(key)
        changes: dict[str, Any] = {}
        for name in registry.COUNTER_COLUMNS:
            before = getattr(old, name) if old else 0
            after = new.counters[name] if new else 0
            if after != before:
                changes[name] = F(name) + (after - before)
        if new is not None:
            pi = new.ref.party_institution
        elif old is not None:
            pi = old.party_institution
        else:  # every key is an old share's or a new one's
            continue
        for role, name in role_columns().items():
            was = {p for r, i, p in old_parties if r == role and i == pi} if old else set()
            now = {p for r, i, p in new_parties if r == role and i == pi} if new else set()
            came, left = now - was, was - now
            if not came and not left:
                continue
            elsewhere = _present_elsewhere(
                key=key, role=role, pi=pi, parties=came | left, event_id=event_id
            )
            delta = len(came - elsewhere) - len(left - elsewhere)
            if delta:
                changes[name] = F(name) + delta
        if changes:
            Cell.objects.filter(key=key).update(**changes)
        if new is None and not EventShare.objects.filter(cell=key).exists():
            Cell.objects.filter(key=key).delete()


def refresh_event_later(*, event_id: int) -> None:
    """Refresh after the current transaction commits, on the Celery worker
    (coalesced: see `refresh_event_soon`)."""
    transaction.on_commit(lambda: refresh_event_soon(event_id=event_id))


# How long an event stays marked pending at most: far longer than the delay,
# so the mark outlives the wait for the worker; short enough that a lost
# recount leaves the event's writes unqueued for a few minutes only.
PENDING_TTL = 300


def pending_key(event_id: int) -> str:
    return f"dashboards:rollup-pending:{event_id}"


def refresh_event_soon(*, event_id: int) -> bool:
    """Queue one recount of an event for the writes committed to it within
    `IPFIN_ROLLUP_DELAY` seconds; whether this call queued it. Call it after
    commit. A signing ceremony then costs the worker one recount every few
    seconds instead of one per contract (README, Benchmarks).

    The event is marked pending in the cache (`cache.add`, which only one
    caller wins); the caller that sets the mark queues the recount, with the
    delay as its countdown, and every later caller sees the mark and queues
    nothing. The recount (`dashboards.tasks.refresh_event_rollups`) clears the
    mark *before* it reads a row. So no committed write is missed: a write
    commits, then looks; if it finds the mark, it committed before the mark
    was cleared, hence before the recount reads the rows, which see it; a
    write that commits after the clear sets a new mark and queues a recount
    of its own. A recount that finds nothing new changes nothing (it is
    idempotent), so a mark the cache loses (eviction, a restart) costs one
    recount more, never a wrong figure.

    A recount that fails has cleared its mark, so the event's next write
    queues the next. A lost recount (a broker that lost it) leaves its mark:
    the mark expires after PENDING_TTL seconds and the next write queues
    again, and the nightly `dashboards.rebuild_rollups` rebuilds everything
    from the rows. With Celery eager (no Redis: `make run`, the tests) the
    recount runs here and now, and the figures equal the rows after every
    write."""
    from dashboards.tasks import refresh_event_rollups

    delay = settings.IPFIN_ROLLUP_DELAY
    if not cache.add(pending_key(event_id), True, timeout=PENDING_TTL + delay):
        return False
    refresh_event_rollups.apply_async((event_id,), countdown=delay)
    return True


def refresh_pending_event(*, event_id: int) -> None:
    """The queued recount: clear the mark first, then read the rows (see
    `refresh_event_soon` for why in that order)."""
    cache.delete(pending_key(event_id))
    refresh_for_event(event_id=event_id)


# How many events that started since their last rollup one read refreshes;
# the rest wait for the next read (or the periodic `roll_up_started`).
STARTED_PER_READ = 20


def unrolled(campaign_id: int | None = None) -> QuerySet[Event]:
    """Events (of one campaign) whose rollup is missing or out of date: never
    rolled up, or rolled up before they started and started since, so that
    their figures now count (docs/figures.md)."""
    missing = Event.objects.filter(
        Q(dashboard_rollup__isnull=True)
        | Q(
            status=Event.Status.PUBLISHED,
            starts_at__lte=timezone.now(),
            dashboard_rollup__refreshed_at__lt=F("starts_at"),
        )
    )
    if campaign_id is not None:
        missing = missing.filter(campaign_id=campaign_id)
    return missing.order_by()


def roll_up_missing(*, campaign_id: int | None = None) -> int:
    """Roll up the events that never were (rows loaded in bulk, such as the
    demo seed) and those that started since they were; how many there were.
    One never rolled up, or a few that started, are refreshed on their own;
    more never rolled up rebuild their campaign set-based."""
    rows = list(unrolled(campaign_id).values_list("pk", "dashboard_rollup")[:STARTED_PER_READ])
    never = [pk for pk, rollup in rows if not rollup]  # (no rollup row: None)
    if len(never) > 1:
        with transaction.atomic():
            if campaign_id is not None:
                # Two first readers at once: the second finds the work done.
                Campaign.objects.select_for_update().filter(pk=campaign_id).first()
            if unrolled(campaign_id).filter(dashboard_rollup__isnull=True).exists():
                rebuild_all(campaign_id=campaign_id)
                return len(rows)
    for pk, _rollup in rows:
        refresh_for_event(event_id=pk)
    return len(rows)


def _insert_rows(model: Any, columns: list[str], rows: Iterable[tuple], size: int = 500) -> int:
    """Plain multi-row INSERTs: a rebuild writes many rows, and building them
    as model instances would cost more than the database's work."""
    table = model._meta.db_table
    count = 0
    with connection.cursor() as cursor:
        for batch in _chunks(rows, size):
            row = "(" + ", ".join(["%s"] * len(columns)) + ")"
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                + ", ".join([row] * len(batch)),
                [value for values in batch for value in values],
            )
            count += len(batch)
    return count


def _insert_from(qs: QuerySet) -> None:
    sql, params = qs.query.sql_with_params()
    table = EventParty._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (event_id, role, institution_id, party_id) {sql}", params
        )


@transaction.atomic
def rebuild_all(*, campaign_id: int | None = None) -> dict[str, int]:
    """Every rollup (of one campaign) again from the rows, set-based; what was
    built. A campaign's cells only ever hold its own events."""
    events = Event.objects.all()
    cells_of = Cell.objects.all()
    if campaign_id is not None:
        events = events.filter(campaign_id=campaign_id)
        cells_of = cells_of.filter(campaign_id=campaign_id)
    cells_of.delete()
    EventShare.objects.filter(event__in=events).delete()
    EventParty.objects.filter(event__in=events).delete()
    EventRollup.objects.filter(event__in=events).delete()
    shares = compute_shares(events)
    counters = registry.COUNTER_COLUMNS
    refs: dict[str, CellRef] = {}
    rows: list[tuple] = []
    for event_id, event_shares in shares.items():
        for s in event_shares.values():
            refs[s.ref.key] = s.ref
            rows.append(
                (
                    event_id,
                    s.ref.key,
                    s.ref.dimension,
                    s.ref.party_institution,
                    *(s.counters[n] for n in counters),
                )
            )
    share_columns = ["event_id", "cell", "dimension", "party_institution", *counters]
    _insert_rows(EventShare, share_columns, rows)
    for qs in party_querysets(events):
        _insert_from(qs)

    totals = (
        EventShare.objects.filter(event__in=events)
        .values("cell")
        .annotate(**{f"sum_{n}": Sum(n) for n in counters})
    )
    cells: dict[str, Cell] = {}
    for total in totals:
        cell = refs[total["cell"]].cell()
        sums: dict[str, Any] = dict(total)
        for name in counters:
            setattr(cell, name, sums[f"sum_{name}"] or 0)
        cells[cell.key] = cell
    for role, name in role_columns().items():
        counts = (
            EventShare.objects.filter(
                event__in=events,
                event__dashboard_parties__role=role,
                event__dashboard_parties__institution_id=F("party_institution"),
            )
            .values("cell")
            .annotate(n=Count("event__dashboard_parties__party_id", distinct=True))
        )
        for row in counts:
            setattr(cells[row["cell"]], name, row["n"])
    cell_columns = [
        "key",
        "campaign_id",
        "dimension",
        "province_id",
        "value",
        *counters,
        *role_columns().values(),
    ]
    _insert_rows(
        Cell,
        cell_columns,
        [tuple(getattr(cell, name) for name in cell_columns) for cell in cells.values()],
    )
    now = timezone.now()
    _insert_rows(
        EventRollup,
        ["event_id", "refreshed_at"],
        ((pk, now) for pk in events.values_list("pk", flat=True)),
    )
    parties = EventParty.objects.filter(event__in=events).count()
    return {"cells": len(cells), "shares": len(rows), "parties": parties}
