"""Planning the one-to-one meetings at the stations and the contracts signed
there: which bank lent to which enterprise, how much, and the pledge behind it."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from demo.data import campaign as catalogue
from demo.seed.common import CONTRACT_PREFIX, money
from demo.seed.plan_enterprises import AssetPlan, EnterprisePlan
from demo.seed.plan_events import MEETING_SLOTS, EventPlan, RegistrationPlan
from demo.seed.plan_products import LOAN_KINDS, ProductPlan


@dataclass(slots=True)
class MeetingPlan:
    event: str
    slot: int
    enterprise: str
    institution: str
    outcome: str
    fit_score: Decimal
    note: str


@dataclass(slots=True)
class ContractPlan:
    reference: str
    kind: str
    amount: Decimal
    signed_on: dt.date
    institution: str
    enterprise: str
    product: str | None
    event: str
    registration: str
    pledge_registration_number: str
    pledge_registered_on: dt.date | None
    disbursed_amount: Decimal | None
    disbursed_on: dt.date | None


def plan_contracts(
    rng: random.Random,
    *,
    products: list[ProductPlan],
    enterprises: list[EnterprisePlan],
    demo_enterprise: str,
    assets: list[AssetPlan],
    events: list[EventPlan],
    registrations: list[RegistrationPlan],
) -> tuple[list[MeetingPlan], list[ContractPlan]]:
    by_code = {p.spec.code: p for p in products}
    portfolio: dict[str, Decimal] = defaultdict(Decimal)
    for asset in assets:
        if asset.legal_status == "valid" and asset.latest:
            portfolio[asset.credit_code] += asset.latest[0]
    park_of = {e.credit_code: e.park_slug for e in enterprises}
    active_at: dict[str, list[RegistrationPlan]] = defaultdict(list)
    for registration in registrations:
        if registration.status != "cancelled":
            active_at[registration.event].append(registration)

    meetings: list[MeetingPlan] = []
    contracts: list[ContractPlan] = []
    financed: set[str] = {demo_enterprise}  # the demo account starts unfinanced
    for province, (count, total, kind, low, high, step) in catalogue.CONTRACT_PLAN.items():
        tag = catalogue.PROVINCE_TAGS[province]
        stations = [
            event
            for event in events
            if event.spec.province_code == province
            for _ in range(event.spec.contracts)
        ]
        assert len(stations) == count
        # Lenders: banks whose product was shown at the station; the larger the
        # product, the likelier it is to be signed.
        lenders: list[ProductPlan] = []
        for event in stations:
            present = {r.institution for r in active_at[event.spec.slug] if r.institution}
            choices = [
                product
                for product in _loans_featured(event, by_code)
                if product.spec.institution_code in present
            ]
            lenders.append(rng.choices(choices, [float(p.amount_max) for p in choices])[0])
        caps = [
            high if kind == "intention" else min(high, int(product.amount_max))
            for product in lenders
        ]
        amounts = _split_amount(rng, total, caps, low, step)
        pledge_serial = rng.randint(100, 400)
        for n, (event, product, amount) in enumerate(
            zip(stations, lenders, amounts, strict=True), start=1
        ):
            # Signers are the station's own park enterprises where there are enough,
            # and the larger portfolios carry the larger loans.
            candidates = [
                r
                for r in active_at[event.spec.slug]
                if r.enterprise and r.status == "checked_in" and r.enterprise not in financed
            ]
            local = [r for r in candidates if park_of[r.enterprise or ""] in event.spec.park_slugs]
            if len(local) >= 5:
                candidates = local
            candidates.sort(key=lambda r: (-portfolio[r.enterprise or ""], r.code))
            registration = rng.choice(candidates[:12])
            enterprise = registration.enterprise or ""
            financed.add(enterprise)
            signed_on = event.starts_at.date()
            pledge_number, pledged_on, disbursed, disbursed_on = "", None, None, None
            if kind == "loan":
                pledge_serial += rng.randint(1, 9)
                pledge_number = f"Y2020{province}{pledge_serial:04d}"
                pledged_on = signed_on + dt.timedelta(days=rng.randint(2, 10))
                if rng.random() < 0.85:
                    disbursed = amount
                    disbursed_on = pledged_on + dt.timedelta(days=rng.randint(1, 5))
            slot = sum(1 for m in meetings if m.event == event.spec.slug)
            meetings.append(
                MeetingPlan(
                    event=event.spec.slug,
                    slot=slot,
                    enterprise=enterprise,
                    institution=product.spec.institution_code,
                    outcome="intention" if kind == "intention" else "contract",
                    fit_score=_fit_score(rng, 0.78, 0.98),
                    note="现场签约" if kind == "loan" else "签订融资意向协议",
                )
            )
            contracts.append(
                ContractPlan(
                    reference=f"{CONTRACT_PREFIX}{tag}-{n:03d}",
                    kind=kind,
                    amount=amount,
                    signed_on=signed_on,
                    institution=product.spec.institution_code,
                    enterprise=enterprise,
                    product=product.spec.code,
                    event=event.spec.slug,
                    registration=registration.code,
                    pledge_registration_number=pledge_number,
                    pledge_registered_on=pledged_on,
                    disbursed_amount=disbursed,
                    disbursed_on=disbursed_on,
                )
            )
    # Every station also had a couple of talks that did not (yet) end in a contract.
    for event in events:
        taken = [m for m in meetings if m.event == event.spec.slug]
        met = {m.enterprise for m in taken}
        talkers = [
            r.enterprise
            for r in active_at[event.spec.slug]
            if r.enterprise and r.status == "checked_in" and r.enterprise not in met
        ]
        banks = sorted({p.spec.institution_code for p in _loans_featured(event, by_code)})
        for slot in range(len(taken), min(len(taken) + 2, MEETING_SLOTS)):
            enterprise = rng.choice(talkers)
            talkers.remove(enterprise)
            meetings.append(
                MeetingPlan(
                    event=event.spec.slug,
                    slot=slot,
                    enterprise=enterprise or "",
                    institution=rng.choice(banks),
                    outcome=rng.choice(("follow_up", "follow_up", "no_further_contact")),
                    fit_score=_fit_score(rng, 0.45, 0.85),
                    note="",
                )
            )
    return meetings, contracts


def _loans_featured(event: EventPlan, products: dict[str, ProductPlan]) -> list[ProductPlan]:
    """The loan products shown at the station, in the order it shows them."""
    return [products[code] for code in event.featured if products[code].spec.kind in LOAN_KINDS]


def _fit_score(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), 3)))


def _split_amount(
    rng: random.Random, total: int, highs: Sequence[int], low: int, step: int
) -> list[Decimal]:
    """Round amounts between `low` and each cap that add up to `total` exactly,
    uneven the way real contracts are."""
    units = total // step
    floor_units = -(-low // step)
    caps = [high // step for high in highs]
    alloc = [floor_units] * len(caps)
    remaining = units - sum(alloc)
    if not 0 <= remaining <= sum(cap - floor_units for cap in caps):
        raise ValueError(f"cannot split {total} into {len(caps)} amounts within {low}…{highs}")
    weights = [rng.uniform(0.2, 1.8) for _ in caps]
    while remaining:
        open_ = [i for i in range(len(caps)) if alloc[i] < caps[i]]
        open_weight = sum(weights[i] for i in open_)
        given = 0
        for i in open_:
            share = min(caps[i] - alloc[i], int(remaining * weights[i] / open_weight))
            alloc[i] += share
            given += share
        if not given:  # what is left is smaller than every share: one unit at a time
            for i in sorted(open_, key=lambda i: -weights[i])[:remaining]:
                alloc[i] += 1
                given += 1
        remaining -= given
    return [money(a * step) for a in alloc]
