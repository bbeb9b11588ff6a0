"""Reads for matchmaking: the ranking of products for an enterprise, leads for
an institution, the referral after a rejection, an event's pair fits and
schedule, and each party's agenda. Who may read which: docs/permissions.md
(Matching)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, overload

import numpy as np
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from core.models import IPKind
from enterprises.models import Enterprise
from enterprises.selectors import enterprises_for
from events.access import events_organised_by
from events.models import Event, Meeting, Registration
from matching import engine
from matching.engine import NONE, Evaluation, ProductArrays
from matching.models import LeadInvitation, Schedule, ScheduledMeeting
from matching.profiles import (
    catalogue,
    discoverable_enterprises,
    enterprise_arrays,
    enterprise_profile,
    hundredths,
    remember,
    unpledged_assets,
    yuan_of,
)
from matching.reasons import Reason, Terms, Words, borrow_line, reasons_for
from matching.scheduling import Candidate
from products.models import Product
from products.selectors import institutions_for

FIT = Decimal("0.001")


@dataclass
class Match:
    """One product for one enterprise: eligible or not, a score, the reasons."""

    product: Product
    eligible: bool
    score: int  # thousandths
    capacity: Decimal
    up_to: Decimal
    reasons: list[Reason]
    borrow: str

    @property
    def percent(self) -> int:
        return round(self.score / 10)

    @property
    def above_capacity(self) -> bool:
        """Eligible but for the pledge capacity: the enterprise may still
        apply, warned that it asks for more than its assets secure."""
        return not self.eligible and all(
            reason.ok for reason in self.reasons if reason.criterion != "capacity"
        )

    @property
    def fit(self) -> Decimal:
        return (Decimal(self.score) / 1000).quantize(FIT)


def _kind_names() -> dict[str, str]:
    """IP kinds are reference data: read once per process, named in the reader's language."""
    kinds = remember("ip-kinds", version=None, build=lambda: list(IPKind.objects.all()))
    return {kind.code: kind.name for kind in kinds}


def _terms(product: Product, row: int, products: ProductArrays, names: dict[str, str]) -> Terms:
    kinds = [
        names.get(code, code)
        for code, on in zip(engine.KINDS, products.accepted[row], strict=True)
        if on
    ]
    return Terms(
        amount_min=product.amount_min,
        amount_max=product.amount_max,
        rate_min=product.rate_min,
        rate_max=product.rate_max,
        term_min=product.term_min_months,
        term_max=product.term_max_months,
        ratio=product.max_pledge_ratio,
        kinds=kinds,
        nationwide=bool(products.nationwide[row]),
    )


def _pledgeable(
    products: ProductArrays, row: int, enterprises: engine.EnterpriseArrays, column: int
) -> Decimal:
    """The appraised value of the enterprise's assets of the kinds the product accepts."""
    return yuan_of(products.accepted[row] @ enterprises.values[column])


def _match(
    *,
    product: Product,
    row: int,
    column: int,
    products: ProductArrays,
    enterprises: engine.EnterpriseArrays,
    evaluation: Evaluation,
    province: str,
    names: dict[str, str],
    amount: Decimal | None,
    term: int | None,
    max_rate: Decimal | None,
    words: Words,
) -> Match:
    terms = _terms(product, row, products, names)
    accepted = products.accepted[row]
    capacity = yuan_of(evaluation.capacity[row, column])
    pledgeable = _pledgeable(products, row, enterprises, column)
    up_to = yuan_of(evaluation.up_to[row, column])
    checks = {name: bool(value[row, column]) for name, value in evaluation.checks.items()}
    return Match(
        product=product,
        eligible=bool(evaluation.eligible[row, column]),
        score=int(evaluation.score[row, column]),
        capacity=capacity,
        up_to=up_to,
        reasons=reasons_for(
            terms=terms,
            checks=checks,
            province=province,
            held=int(accepted @ enterprises.counts[column]),
            pledgeable=pledgeable,
            capacity=capacity,
            amount=amount,
            term=term,
            max_rate=max_rate,
            words=words,
        ),
        borrow=borrow_line(up_to=up_to, capacity=capacity, terms=terms, words=words),
    )


@dataclass
class Ranking(Sequence[Match]):
    """Every published product for one enterprise and need, best first. A
    sequence whose slices build their `Match`es (with the product rows) only
    for the products asked for, so a paginator reads one page."""

    enterprise: Enterprise
    amount: Decimal | None
    term: int | None
    max_rate: Decimal | None
    products: ProductArrays
    profile: engine.EnterpriseArrays
    evaluation: Evaluation
    order: np.ndarray
    eligible_count: int
    _names: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.order)

    def count(self, value: Any = None) -> int:
        return len(self.order)

    @overload
    def __getitem__(self, index: int) -> Match: ...

    @overload
    def __getitem__(self, index: slice) -> list[Match]: ...

    def __getitem__(self, index: int | slice) -> Match | list[Match]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        rows = self.order[index]
        return self.matches(rows)

    def matches(self, rows: np.ndarray) -> list[Match]:
        ids = [int(self.products.ids[row]) for row in rows]
        found = Product.objects.select_related("institution").in_bulk(ids)
        if not self._names:
            self._names = _kind_names()
        words = Words()
        return [
            _match(
                product=found[product_id],
                row=int(row),
                column=0,
                products=self.products,
                enterprises=self.profile,
                evaluation=self.evaluation,
                province=self.enterprise.province.name,
                names=self._names,
                amount=self.amount,
                term=self.term,
                max_rate=self.max_rate,
                words=words,
            )
            for row, product_id in zip(rows, ids, strict=True)
            if product_id in found
        ]

    def for_product(self, product_id: int) -> Match | None:
        rows = np.flatnonzero(self.products.ids == product_id)
        return self.matches(rows)[0] if len(rows) else None


def product_ranking(
    *,
    enterprise: Enterprise,
    amount: Decimal | None = None,
    term: int | None = None,
    max_rate: Decimal | None = None,
    use_stated_need: bool = True,
) -> Ranking:
    """Every published product for the enterprise, ranked. Without an amount
    or term, the need stated on its profile is used (unless told not to)."""
    if use_stated_need:
        amount = enterprise.need_amount if amount is None else amount
        term = enterprise.need_term_months if term is None else term
    products = catalogue()
    profile = enterprise_profile(enterprise=enterprise, amount=amount, term=term)
    evaluation = engine.evaluate(
        products, profile, max_rate=NONE if max_rate is None else hundredths(max_rate)
    )
    return Ranking(
        enterprise=enterprise,
        amount=amount,
        term=term,
        max_rate=max_rate,
        products=products,
        profile=profile,
        evaluation=evaluation,
        order=engine.ranking_order(evaluation, products),
        eligible_count=int(evaluation.eligible.sum()),
    )


@dataclass(frozen=True)
class PledgeCapacity:
    """What assets secure under one product, as the ranking computes it:
    their appraised value × the product's maximum pledge ratio."""

    value: Decimal  # Σ appraised value of the assets the product accepts
    ratio: Decimal  # the product's maximum pledge ratio, in percent
    capacity: Decimal
    chosen: bool  # of the assets chosen, or of every asset the enterprise may pledge


def pledge_capacity_for(
    *, enterprise: Enterprise, product: Product, asset_ids: Sequence[int] | None = None
) -> PledgeCapacity | None:
    """The pledge capacity of the enterprise under a published product: of its
    valid, unpledged assets of the kinds the product accepts, or of those among
    `asset_ids` only. The same numbers the ranking shows (None when the product
    is not published)."""
    products = catalogue()
    rows = np.flatnonzero(products.ids == product.pk)
    if not len(rows):
        return None
    products = products.take(rows)
    assets = None
    if asset_ids is not None:
        assets = unpledged_assets().filter(enterprise_id=enterprise.pk, pk__in=list(asset_ids))
    profile = enterprise_arrays(
        [(enterprise.pk, enterprise.province_id, None, None)], assets=assets
    )
    evaluation = engine.evaluate(products, profile)
    return PledgeCapacity(
        value=_pledgeable(products, 0, profile, 0),
        ratio=product.max_pledge_ratio,
        capacity=yuan_of(evaluation.capacity[0, 0]),
        chosen=asset_ids is not None,
    )


def own_enterprise(*, user: User | AnonymousUser, enterprise_id: int | None = None) -> Enterprise:
    """The enterprise the user acts for (the one asked for, or the first);
    Http404 when there is none."""
    enterprises = enterprises_for(user=user).select_related("province").order_by("pk")
    if enterprise_id is not None:
        enterprises = enterprises.filter(pk=enterprise_id)
    enterprise = enterprises.first()
    if enterprise is None:
        raise Http404
    return enterprise


def referral_products(
    *, enterprise: Enterprise, amount: Decimal, term: int, exclude_product_id: int, limit: int = 3
) -> list[Match]:
    """The best other products the enterprise is eligible for, for the same need:
    what an enterprise is offered when an application is rejected."""
    ranking = product_ranking(enterprise=enterprise, amount=amount, term=term)
    rows = [
        row
        for row in ranking.order[: ranking.eligible_count]
        if ranking.products.ids[row] != exclude_product_id
    ][:limit]
    return ranking.matches(np.array(rows, dtype=np.int64))


def referral_for(*, application: Any) -> list[Match]:
    """For a rejected application: the best other products its enterprise is
    eligible for, for the amount and term it asked."""
    return referral_products(
        enterprise=application.enterprise,
        amount=application.amount_requested,
        term=application.term_months,
        exclude_product_id=application.product_id,
    )


# --- leads ------------------------------------------------------------------


@dataclass
class Lead:
    enterprise: Enterprise
    best: Match
    fitting_products: int


@dataclass
class Leads(Sequence[Lead]):
    """Discoverable enterprises that fit the institutions' products, best
    first. Slices evaluate only the enterprises on the page, for the reasons."""

    products: ProductArrays
    enterprises: engine.EnterpriseArrays
    best: engine.Best
    columns: np.ndarray  # enterprise columns, best first
    _names: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.columns)

    def count(self, value: Any = None) -> int:
        return len(self.columns)

    @overload
    def __getitem__(self, index: int) -> Lead: ...

    @overload
    def __getitem__(self, index: slice) -> list[Lead]: ...

    def __getitem__(self, index: int | slice) -> Lead | list[Lead]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        columns = self.columns[index]
        page = self.enterprises.take(columns)
        evaluation = engine.evaluate(self.products, page)
        rows = [int(self.best.rows[c]) for c in columns]
        enterprises = Enterprise.objects.select_related("province", "industry").in_bulk(
            [int(pk) for pk in page.ids]
        )
        products = Product.objects.select_related("institution").in_bulk(
            {int(self.products.ids[r]) for r in rows}
        )
        if not self._names:
            self._names = _kind_names()
        words = Words(to_enterprise=False)
        leads = []
        for n, (column, row) in enumerate(zip(columns, rows, strict=True)):
            enterprise = enterprises.get(int(page.ids[n]))
            product = products.get(int(self.products.ids[row]))
            if enterprise is None or product is None:
                continue
            amount = page.need_amount[n]
            term = page.need_term[n]
            best = _match(
                product=product,
                row=row,
                column=n,
                products=self.products,
                enterprises=page,
                evaluation=evaluation,
                province=enterprise.province.name,
                names=self._names,
                amount=None if amount == NONE else yuan_of(amount),
                term=None if term == NONE else int(term),
                max_rate=None,
                words=words,
            )
            fitting = int(self.best.fitting[column])
            leads.append(Lead(enterprise=enterprise, best=best, fitting_products=fitting))
        return leads


def institution_leads(*, user: User | AnonymousUser) -> Leads:
    """For the institutions the user acts for: every enterprise that opted in
    to be discoverable, stated a need and is eligible for at least one of
    their published products; the best fit first."""
    institution_ids = list(institutions_for(user=user).values_list("pk", flat=True))
    products = catalogue()
    products = products.take(np.flatnonzero(np.isin(products.institution_ids, institution_ids)))
    enterprises = discoverable_enterprises()
    best = engine.best_per_enterprise(products, enterprises)
    fits = np.flatnonzero(best.scores > 0)
    order = np.lexsort((enterprises.ids[fits], -enterprises.need_amount[fits], -best.scores[fits]))
    return Leads(products, enterprises, best, fits[order])


# --- events: fits, schedules, agendas ----------------------------------------

ACTIVE_REGISTRATIONS = (
    Registration.Status.REGISTERED,
    Registration.Status.CONFIRMED,
    Registration.Status.CHECKED_IN,
)
OPEN_MEETINGS = (Meeting.Status.REQUESTED, Meeting.Status.ACCEPTED)


@dataclass
class EventPairs:
    """What the scheduler needs to know of an event."""

    slots: list[int]  # EventSlot ids, in time order
    candidates: list[Candidate]
    enterprise_caps: dict[int, int]
    institution_caps: dict[int, int]


def event_pairs(*, event: Event) -> EventPairs:
    """The candidate pairs of an event: every registered enterprise and
    institution whose products it is eligible for, with the fit of the best
    such product, and every meeting requested between registered parties."""
    slots = list(event.slots.order_by("starts_at").values_list("pk", flat=True))
    registrations = list(
        Registration.objects.filter(event=event, status__in=ACTIVE_REGISTRATIONS).values_list(
            "enterprise_id",
            "institution_id",
            "max_meetings",
            "need_amount",
            "need_term_months",
            "enterprise__province_id",
            "enterprise__need_amount",
            "enterprise__need_term_months",
        )
    )
    everyone = len(slots)
    enterprise_caps: dict[int, int] = {}
    institution_caps: dict[int, int] = {}
    rows = []
    for e, i, cap, amount, term, province, stated_amount, stated_term in registrations:
        cap = everyone if cap is None else cap
        if e is not None:
            enterprise_caps[e] = cap
            rows.append(
                (
                    e,
                    province,
                    amount if amount is not None else stated_amount,
                    term if term is not None else stated_term,
                )
            )
        else:
            institution_caps[i] = cap
    products = catalogue()
    products = products.take(
        np.flatnonzero(np.isin(products.institution_ids, list(institution_caps)))
    )
    enterprises = enterprise_arrays(rows)
    institutions, scores = engine.best_per_institution(products, enterprises)
    fits: dict[tuple[int, int], int] = {}
    for n, c in zip(*np.nonzero(scores), strict=True):
        fits[(int(enterprises.ids[c]), int(institutions[n]))] = int(scores[n, c])
    requested = set(
        Meeting.objects.filter(
            event=event,
            status__in=OPEN_MEETINGS,
            source=Meeting.Source.REQUESTED,
            enterprise_id__in=list(enterprise_caps),
            institution_id__in=list(institution_caps),
        ).values_list("enterprise_id", "institution_id")
    )
    candidates = [Candidate(e, i, fit, (e, i) in requested) for (e, i), fit in fits.items()] + [
        Candidate(e, i, 0, True) for e, i in requested if (e, i) not in fits
    ]
    return EventPairs(slots, candidates, enterprise_caps, institution_caps)


def organised_event(*, slug: str, user: User | AnonymousUser) -> Event:
    """An event the user may run; Http404 otherwise."""
    event = events_organised_by(user=user).filter(slug=slug).first()
    if event is None:
        raise Http404
    return event


def schedule_of(*, event: Event) -> Schedule | None:
    return Schedule.objects.filter(event=event).first()


def scheduled_meetings(*, schedule: Schedule) -> QuerySet[ScheduledMeeting]:
    return ScheduledMeeting.objects.filter(schedule=schedule).select_related(
        "slot", "enterprise", "institution"
    )


def agenda_for(*, user: User | AnonymousUser) -> QuerySet[Meeting]:
    """The meetings with a slot of the enterprises and institutions the user
    acts for, earliest first."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    mine = Q(enterprise__memberships__user=user) | Q(institution__memberships__user=user)
    return (
        Meeting.objects.filter(
            pk__in=Meeting.objects.filter(mine, slot__isnull=False).values("pk"),
            status__in=(Meeting.Status.REQUESTED, Meeting.Status.ACCEPTED, Meeting.Status.HELD),
        )
        .select_related("event", "slot", "enterprise", "institution")
        .order_by("slot__starts_at", "pk")
    )


# --- invitations to leads ----------------------------------------------------


def own_published_products(*, user: User | AnonymousUser) -> QuerySet[Product]:
    """The published products of the institutions the user acts for: what a lead may be offered."""
    return (
        Product.objects.filter(
            institution__in=institutions_for(user=user), status=Product.Status.PUBLISHED
        )
        .select_related("institution")
        .order_by("name_zh", "pk")
    )


def lead_enterprise(*, pk: int) -> Enterprise:
    """An enterprise open to leads (404 for one that did not opt in)."""
    enterprise = Enterprise.objects.filter(pk=pk, discoverable=True).first()
    if enterprise is None:
        raise Http404
    return enterprise


def events_taken_part_in(*, user: User | AnonymousUser) -> QuerySet[Event]:
    """Published events still to come where an institution the user acts for
    is registered: where it may invite a lead to meet."""
    registered = Registration.objects.filter(
        institution__in=institutions_for(user=user), status__in=ACTIVE_REGISTRATIONS
    )
    return Event.objects.filter(
        pk__in=registered.values("event_id"),
        status=Event.Status.PUBLISHED,
        ends_at__gte=timezone.now(),
    ).order_by("starts_at", "pk")


def invitations_sent(
    *, user: User | AnonymousUser, enterprise_ids: Sequence[int]
) -> dict[int, list[LeadInvitation]]:
    """The invitations the user's institutions sent to these enterprises,
    newest first, by enterprise; no other institution's."""
    found: dict[int, list[LeadInvitation]] = {}
    rows = LeadInvitation.objects.filter(
        institution__in=institutions_for(user=user), enterprise_id__in=list(enterprise_ids)
    ).select_related("product", "event")
    for invitation in rows:
        found.setdefault(invitation.enterprise_id, []).append(invitation)
    return found


def invitations_received(*, user: User | AnonymousUser) -> QuerySet[LeadInvitation]:
    """The open invitations to the enterprises the user is a member of."""
    return (
        LeadInvitation.objects.filter(
            enterprise__in=enterprises_for(user=user), open_until__gt=timezone.now()
        )
        .select_related("institution", "product", "event")
        .order_by("-created_at", "-pk")
    )
