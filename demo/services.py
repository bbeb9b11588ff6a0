"""Loads the 2020 "entering the park" campaign as demo data (PRODUCT.md §6).

The seed is first *planned* in plain Python, from the catalogues under
`demo/data` and one `random.Random(2020)` drawn in a fixed order, and only then
*written*. The plan never looks at the database (ids differ between SQLite and
PostgreSQL, and between a first and a second run), so every run plans the same
rows. Writes are upserts on natural keys and many-to-many links are
synchronised exactly, so a second run changes nothing.

The figures the campaign report gives (22 activities, 53 parks, 1,400
enterprises, 226 institutions, 470,000 participants, 710 million yuan …) are
not stored anywhere: they come out of these rows through
`dashboards.selectors.campaign_figures`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import models, transaction

from accounts.models import OfficeMembership, RegulatorOffice, User
from core.data.industries import INDUSTRIES
from core.data.provinces import PROVINCES_BY_CODE
from core.models import Membership
from core.validators import CREDIT_CODE_ALPHABET, make_credit_code, make_patent_number
from demo.data import campaign as catalogue
from demo.data import ip_assets as ip_text
from demo.data import knowledge
from demo.data.enterprises import enterprise_names
from demo.data.institutions import INSTITUTIONS, INSTITUTIONS_BY_CODE
from demo.data.parks import PARKS, PARKS_BY_SLUG
from enterprises.models import Enterprise, EnterpriseMembership, IPAppraisal, IPAsset
from events.models import Campaign, Event, EventSlot, Meeting, Registration
from financing.models import Contract
from knowledge.models import (
    Collection,
    CollectionDownload,
    CooperationAgreement,
    MediaReport,
    Policy,
    TrainingSession,
    TypicalCase,
)
from parks.models import Park, ParkMembership
from products.models import Institution, InstitutionMembership, Product

SEED = 2020
TZ = ZoneInfo("Asia/Shanghai")
CENT = Decimal("0.01")

# Seeded registrations and contracts carry these prefixes, so a re-run can tell
# its own rows from those users made and remove only its own stale ones.
REGISTRATION_PREFIX = "S20"
CONTRACT_PREFIX = "RYHQ2020-"
# Seeded downloads are all dated before this day; later ones are real visitors'.
DOWNLOADS_UNTIL = dt.date(2021, 1, 31)

# Portfolios and needs as they stood when the campaign began.
PORTFOLIO_DATE = dt.date(2020, 11, 1)

DEMO_ENTERPRISE_PARK = "hangzhou-hitech-binjiang"
DEMO_BANK = "hzbank-sci-tech"

# The apps whose rows the seed writes or must leave alone (for the summary).
PORTAL_APPS = (
    "core",
    "parks",
    "accounts",
    "enterprises",
    "products",
    "events",
    "knowledge",
    "financing",
)

M = TypeVar("M", bound=models.Model)
Log = Callable[[str], None]


# =========================================================================== report


@dataclass(frozen=True)
class SeedReport:
    """Rows per model after the seed, and how long it took."""

    counts: dict[str, int]
    seconds: float

    def summary_lines(self) -> list[str]:
        lines = [f"  {label:<44} {count:>7,}" for label, count in self.counts.items() if count]
        return [
            "Rows now in the portal's tables:",
            *lines,
            f"Seeded the 2020 campaign in {self.seconds:.1f} s.",
        ]


# =========================================================================== plan


@dataclass(slots=True)
class EnterprisePlan:
    index: int
    credit_code: str
    name_zh: str
    name_en: str
    brand_zh: str
    brand_en: str
    province_code: str
    city_zh: str
    city_en: str
    park_slug: str | None
    industry: str
    size: str
    high_tech_certified: bool
    employees: int
    annual_revenue: Decimal
    founded_on: dt.date
    description: str
    discoverable: bool
    need_amount: Decimal | None
    need_term_months: int | None


@dataclass(slots=True)
class AssetPlan:
    credit_code: str
    kind: str
    number: str
    title: str
    filed_on: dt.date | None
    granted_on: dt.date | None
    expires_on: dt.date | None
    legal_status: str
    # (value, appraiser, date), oldest first; the last one is the asset's latest.
    appraisals: list[tuple[Decimal, str, dt.date]] = field(default_factory=list)

    @property
    def latest(self) -> tuple[Decimal, str, dt.date] | None:
        return self.appraisals[-1] if self.appraisals else None


@dataclass(slots=True)
class ProductPlan:
    spec: catalogue.ProductSpec
    amount_min: Decimal
    amount_max: Decimal
    rate_min: Decimal
    rate_max: Decimal
    term_min_months: int
    term_max_months: int
    max_pledge_ratio: Decimal
    ip_kinds: tuple[str, ...]
    provinces_served: tuple[str, ...]
    industries: tuple[str, ...]
    published_at: dt.datetime | None


@dataclass(slots=True)
class EventPlan:
    spec: catalogue.EventSpec
    slug: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    agenda: str
    venue: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    registration_deadline: dt.datetime
    capacity: int | None
    participants_online: int = 0
    participants_offline: int = 0
    featured: list[str] = field(default_factory=list)  # product codes

    @property
    def slots(self) -> list[tuple[dt.datetime, dt.datetime]]:
        # 1:1 meetings: eight 20-minute slots from an hour after the opening.
        first = self.starts_at + dt.timedelta(hours=1)
        return [
            (first + dt.timedelta(minutes=20 * i), first + dt.timedelta(minutes=20 * (i + 1)))
            for i in range(MEETING_SLOTS)
        ]


MEETING_SLOTS = 8


@dataclass(slots=True)
class RegistrationPlan:
    code: str
    event: str  # EventSpec.slug
    enterprise: str | None  # credit code
    institution: str | None  # institution code
    status: str
    need_amount: Decimal | None
    need_term_months: int | None
    max_meetings: int | None
    checked_in_at: dt.datetime | None
    created_at: dt.datetime


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


@dataclass(slots=True)
class MediaPlan:
    outlet_zh: str
    outlet_en: str
    title: str
    published_on: dt.date
    event: str | None


@dataclass(slots=True)
class Plan:
    products: list[ProductPlan] = field(default_factory=list)
    enterprises: list[EnterprisePlan] = field(default_factory=list)
    assets: list[AssetPlan] = field(default_factory=list)
    events: list[EventPlan] = field(default_factory=list)
    registrations: list[RegistrationPlan] = field(default_factory=list)
    meetings: list[MeetingPlan] = field(default_factory=list)
    contracts: list[ContractPlan] = field(default_factory=list)
    trainings: list[tuple[knowledge.TrainingSession, int]] = field(default_factory=list)
    media: list[MediaPlan] = field(default_factory=list)
    downloads: dict[str, list[tuple[str, dt.date]]] = field(default_factory=dict)
    demo_enterprise: str = ""


def build_plan() -> Plan:
    """Everything the seed writes, decided without touching the database."""
    rng = random.Random(SEED)
    plan = Plan()
    # The order of these calls is the order of the random draws: keep it.
    plan.products = _plan_products(rng)
    plan.enterprises = _plan_enterprises(rng)
    plan.demo_enterprise = _demo_enterprise(plan.enterprises).credit_code
    plan.assets = _plan_assets(rng, plan.enterprises, plan.demo_enterprise)
    plan.events = _plan_events(rng, plan.products)
    plan.registrations = _plan_registrations(rng, plan)
    plan.meetings, plan.contracts = _plan_contracts(rng, plan)
    plan.trainings = [
        (session, rng.randint(40, 260))
        for session in knowledge.zhejiang_training_sessions(32, seed=SEED)
    ]
    plan.media = _plan_media(rng, plan.events)
    plan.downloads = _plan_downloads(rng)
    return plan


# --------------------------------------------------------------------------- helpers


def _money(value: float | int | Decimal) -> Decimal:
    return Decimal(value).quantize(CENT)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _years_later(day: dt.date, years: int) -> dt.date:
    # 29 February has no counterpart in most years.
    return day.replace(year=day.year + years, day=min(day.day, 28))


def _at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _log_uniform(rng: random.Random, low: int, high: int, step: int) -> Decimal:
    # IP values spread over orders of magnitude: most are small, a few large.
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    return _money(max(low, round(value / step) * step))


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Integers proportional to `weights` that add up to `total` exactly."""
    weight_sum = sum(weights)
    raw = [total * w / weight_sum for w in weights]
    shares = [math.floor(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (-(raw[i] - shares[i]), i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


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
    return [_money(a * step) for a in alloc]


def _org_code(n: int) -> str:
    """Nine characters of the credit-code alphabet from a counter. Starting at
    3·31⁸ keeps clear of the test factories' counters (which start with "1")."""
    value = 3 * 31**8 + n * 7_919_153
    chars = []
    for _ in range(9):
        value, digit = divmod(value, len(CREDIT_CODE_ALPHABET))
        chars.append(CREDIT_CODE_ALPHABET[digit])
    return "".join(reversed(chars))


def _and(items: Iterable[str]) -> str:
    """ "a, b and c"."""
    words = list(items)
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def _short_park_name(slug: str) -> str:
    name = PARKS_BY_SLUG[slug].name_zh
    return name if name.startswith("中国（") else name.split("（")[0]


# --------------------------------------------------------------------------- products

_LOAN_KINDS = frozenset({catalogue.PATENT, catalogue.TRADEMARK, catalogue.MIXED})
_PLEDGE_RATIOS = {
    catalogue.PATENT: (30, 35, 40, 45, 50),
    catalogue.TRADEMARK: (30, 35, 40),
    catalogue.MIXED: (40, 45, 50, 55, 60),
    catalogue.INSURANCE: (50, 55, 60),
    catalogue.OTHER: (50, 60),
}
_INDUSTRY_CODES = tuple(industry.code for industry in INDUSTRIES)


def _plan_products(rng: random.Random) -> list[ProductPlan]:
    first_station = {
        province: min(e.date for e in catalogue.EVENTS if e.province_code == province)
        for province in catalogue.HOST_PROVINCE_CODES
    }
    plans = []
    for spec in catalogue.PRODUCTS:
        institution = INSTITUTIONS_BY_CODE[spec.institution_code]
        amount_max = spec.amount_max_wan * 10_000
        amount_min = min(rng.choice((50, 100, 100, 200)) * 10_000, amount_max // 5)
        if spec.kind in _LOAN_KINDS:
            # Loan prime rate was 3.85 % in 2020; IP loans price above it.
            rate_min = rng.choice(("3.85", "4.00", "4.15", "4.35", "4.50"))
            spread = Decimal(rng.choice(("1.00", "1.50", "2.00")))
            rate_max = min(Decimal(rate_min) + spread, Decimal("6.50"))
        else:  # premium or guarantee fee rate
            rate_min = rng.choice(("0.80", "1.00", "1.20"))
            rate_max = Decimal(rate_min) + Decimal("1.00")
        term_min = rng.choice((6, 12))
        term_max = rng.choice((12, 24, 36)) if term_min == 6 else rng.choice((24, 36))
        served = [institution.province_code]
        if spec.code == "bob-zhongguancun-zhiquan-loan":
            # Offered across Beijing-Tianjin-Hebei under the alliance's initiative.
            served += [catalogue.TIANJIN, catalogue.HEBEI]
        industries: tuple[str, ...] = ()
        if rng.random() < 0.5:
            industries = tuple(sorted(rng.sample(_INDUSTRY_CODES, rng.randint(2, 4))))
        published_at = None
        if spec.status != "draft":
            latest = dt.date.fromisoformat(first_station.get(spec.featured_in or "", "2020-11-10"))
            day = _day(rng, dt.date(2020, 5, 6), latest - dt.timedelta(days=5))
            published_at = _at(day, rng.choice(("09:00", "10:30", "15:00")))
        plans.append(
            ProductPlan(
                spec=spec,
                amount_min=_money(amount_min),
                amount_max=_money(amount_max),
                rate_min=Decimal(rate_min).quantize(CENT),
                rate_max=Decimal(rate_max).quantize(CENT),
                term_min_months=term_min,
                term_max_months=term_max,
                max_pledge_ratio=_money(rng.choice(_PLEDGE_RATIOS[spec.kind])),
                ip_kinds=catalogue.ACCEPTED_IP_KINDS[spec.kind],
                provinces_served=tuple(served),
                industries=industries,
                published_at=published_at,
            )
        )
    return plans


# --------------------------------------------------------------------------- enterprises

_SIZES = ("micro", "small", "medium", "large")
_SIZE_WEIGHTS = (20, 50, 25, 5)
_EMPLOYEES = {"micro": (5, 19), "small": (20, 99), "medium": (100, 499), "large": (500, 2400)}
_REVENUE_WAN = {
    "micro": (80, 500),
    "small": (500, 5_000),
    "medium": (5_000, 40_000),
    "large": (40_000, 200_000),
}
_INDUSTRY_ZH = {industry.code: industry.name_zh for industry in INDUSTRIES}


def _plan_enterprises(rng: random.Random) -> list[EnterprisePlan]:
    total = catalogue.ENTERPRISES_INVOLVED + catalogue.ENTERPRISES_CANCELLED_ONLY
    parks_by_city: dict[tuple[str, str], list[str]] = defaultdict(list)
    for park in PARKS:
        parks_by_city[(park.province_code, park.city_zh)].append(park.slug)
    plans = []
    for index, name in enumerate(enterprise_names(total, seed=SEED)):
        size = rng.choices(_SIZES, _SIZE_WEIGHTS)[0]
        founded = _day(rng, dt.date(2003, 1, 1), dt.date(2019, 6, 30))
        city_parks = parks_by_city.get((name.province_code, name.city_zh), [])
        # Most enterprises of a park city sit in one of its parks; a few outside.
        park = rng.choice(city_parks) if city_parks and rng.random() < 0.92 else None
        high_tech = rng.random() < (0.55 if size in ("micro", "small") else 0.85)
        discoverable = rng.random() < 0.45
        need_amount = None
        need_term = None
        if discoverable or rng.random() < 0.3:
            need_amount = _money(rng.randint(10, 200) * 100_000)
            need_term = rng.choice((12, 12, 24, 36))
        division = catalogue.CITY_DIVISION_CODES[name.city_en]
        plans.append(
            EnterprisePlan(
                index=index,
                credit_code=make_credit_code("91" + division + _org_code(index)),
                name_zh=name.name_zh,
                name_en=name.name_en,
                brand_zh=name.brand_zh,
                brand_en=name.brand_en,
                province_code=name.province_code,
                city_zh=name.city_zh,
                city_en=name.city_en,
                park_slug=park,
                industry=name.industry,
                size=size,
                high_tech_certified=high_tech,
                employees=rng.randint(*_EMPLOYEES[size]),
                annual_revenue=_money(rng.randint(*_REVENUE_WAN[size]) * 10_000),
                founded_on=founded,
                description=(
                    f"{name.name_zh}成立于{founded.year}年，专注于"
                    f"{_INDUSTRY_ZH[name.industry]}领域的技术研发、生产与服务。"
                ),
                discoverable=discoverable,
                need_amount=need_amount,
                need_term_months=need_term,
            )
        )
    return plans


def _demo_enterprise(enterprises: list[EnterprisePlan]) -> EnterprisePlan:
    """enterprise@example.com's company: the first Hangzhou enterprise, placed in
    the Hangzhou Hi-tech Zone, open to leads and with a stated need."""
    demo = next(e for e in enterprises if e.city_en == "Hangzhou")
    demo.park_slug = DEMO_ENTERPRISE_PARK
    demo.size = "small"
    demo.employees = max(demo.employees, 60)
    demo.high_tech_certified = True
    demo.discoverable = True
    demo.need_amount = _money(5_000_000)
    demo.need_term_months = 24
    return demo


# --------------------------------------------------------------------------- IP assets

_ASSET_KINDS = (
    "invention_patent",
    "utility_model",
    "design_patent",
    "trademark",
    "software_copyright",
    "copyright",
)
_ASSET_KIND_WEIGHTS = (28, 34, 8, 16, 12, 2)
_ASSET_COUNT = {"micro": (1, 3), "small": (2, 6), "medium": (4, 10), "large": (6, 15)}
_PATENT_DIGIT = {"invention_patent": 1, "utility_model": 2, "design_patent": 3}
# Appraised values in yuan, by kind (log-uniform between the bounds).
_VALUE_RANGE = {
    "invention_patent": (1_000_000, 20_000_000),
    "utility_model": (500_000, 5_000_000),
    "design_patent": (500_000, 2_000_000),
    "trademark": (500_000, 10_000_000),
    "software_copyright": (500_000, 3_000_000),
    "copyright": (500_000, 1_500_000),
}
# The demo enterprise's portfolio: enough valid, appraised IP to borrow against.
_DEMO_PORTFOLIO = (
    "invention_patent",
    "invention_patent",
    "utility_model",
    "utility_model",
    "trademark",
    "software_copyright",
)


class _Serials:
    """Unique registration serials per (kind, year), drawn at random."""

    def __init__(self) -> None:
        self.used: set[tuple[str, int, int]] = set()

    def draw(self, rng: random.Random, kind: str, year: int, low: int, high: int) -> int:
        while True:
            serial = rng.randint(low, high)
            if (kind, year, serial) not in self.used:
                self.used.add((kind, year, serial))
                return serial


def _plan_assets(
    rng: random.Random, enterprises: list[EnterprisePlan], demo_code: str
) -> list[AssetPlan]:
    serials = _Serials()
    assets = []
    for enterprise in enterprises:
        if enterprise.credit_code == demo_code:
            kinds: Sequence[str] = _DEMO_PORTFOLIO
        else:
            count = rng.randint(*_ASSET_COUNT[enterprise.size])
            kinds = rng.choices(_ASSET_KINDS, _ASSET_KIND_WEIGHTS, k=count)
        force = enterprise.credit_code == demo_code
        assets.extend(_plan_asset(rng, serials, enterprise, kind, force=force) for kind in kinds)
    return assets


def _plan_asset(
    rng: random.Random, serials: _Serials, enterprise: EnterprisePlan, kind: str, *, force: bool
) -> AssetPlan:
    """One asset; `force` makes it valid and appraised (for the demo account)."""
    industry, brand_zh = enterprise.industry, enterprise.brand_zh
    status = "valid"
    expires = None
    if kind in _PATENT_DIGIT:
        earliest, latest, lag, life = {
            "invention_patent": (dt.date(2012, 1, 1), dt.date(2020, 6, 30), (540, 1400), 20),
            "utility_model": (dt.date(2009, 6, 1), dt.date(2020, 8, 31), (150, 330), 10),
            "design_patent": (dt.date(2013, 1, 1), dt.date(2020, 8, 31), (120, 270), 10),
        }[kind]
        if force:  # granted well before the campaign, and far from expiry
            earliest, latest = dt.date(2014, 1, 1), dt.date(2016, 6, 30)
        filed = _day(rng, earliest, latest)
        serial = serials.draw(rng, kind, filed.year, 10_000, 1_499_999)
        number = make_patent_number(filed.year, _PATENT_DIGIT[kind], serial)
        title = {
            "invention_patent": ip_text.invention_title,
            "utility_model": ip_text.utility_title,
            "design_patent": ip_text.design_title,
        }[kind](industry, rng)
        granted: dt.date | None = filed + dt.timedelta(days=rng.randint(*lag))
        expires = _years_later(filed, life)
    elif kind == "trademark":
        filed = _day(rng, dt.date(2010, 1, 1), dt.date(2018, 12, 31))
        serial = serials.draw(rng, kind, 0, 8_000_000, 49_999_999)
        number = str(serial)
        title = ip_text.trademark_title(brand_zh, enterprise.brand_en, rng)
        granted = filed + dt.timedelta(days=rng.randint(270, 450))
        expires = _years_later(granted, 10)
    elif kind == "software_copyright":
        granted = _day(rng, dt.date(2014, 1, 1), dt.date(2020, 10, 30))
        filed = granted - dt.timedelta(days=rng.randint(30, 90))
        serial = serials.draw(rng, kind, granted.year, 100_000, 1_999_999)
        number = f"{granted.year}SR{serial:07d}"
        title = ip_text.software_title(industry, brand_zh, rng)
    else:  # copyright
        granted = _day(rng, dt.date(2015, 1, 1), dt.date(2020, 10, 30))
        filed = granted - dt.timedelta(days=rng.randint(20, 60))
        serial = serials.draw(rng, kind, granted.year, 100_000, 9_999_999)
        short = PROVINCES_BY_CODE[enterprise.province_code].short_zh
        number = f"{short}作登字-{granted.year}-F-{serial:08d}"
        title = ip_text.copyright_title(brand_zh, rng)

    if granted is not None and granted > PORTFOLIO_DATE:
        granted, status = None, "pending"
    elif expires is not None and expires <= PORTFOLIO_DATE:
        status = "expired"
    elif kind in _PATENT_DIGIT and not force:
        chance = rng.random()
        if chance < 0.015:
            status = "invalidated"
        elif chance < 0.025:
            status = "transferred"

    asset = AssetPlan(
        credit_code=enterprise.credit_code,
        kind=kind,
        number=number,
        title=title,
        filed_on=filed,
        granted_on=granted,
        expires_on=expires,
        legal_status=status,
    )
    if status == "valid" and (force or rng.random() < 0.8):
        appraisers = catalogue.APPRAISERS_NATIONAL + catalogue.APPRAISERS_LOCAL.get(
            enterprise.province_code, ()
        )
        value = _log_uniform(rng, *_VALUE_RANGE[kind], step=10_000)
        on = _day(rng, max(granted or filed, dt.date(2019, 12, 1)), dt.date(2020, 11, 10))
        if granted is not None and granted < dt.date(2019, 6, 1) and rng.random() < 0.25:
            # An earlier appraisal, kept as history (values drift with the market).
            earlier = _day(rng, max(granted, dt.date(2018, 1, 1)), dt.date(2019, 11, 30))
            old_value = _money(round(float(value) * rng.uniform(0.7, 1.05) / 10_000) * 10_000)
            asset.appraisals.append(
                (max(old_value, _money(100_000)), rng.choice(appraisers), earlier)
            )
        asset.appraisals.append((value, rng.choice(appraisers), on))
    return asset


# --------------------------------------------------------------------------- events

_KIND_AGENDA = {
    "policy_training": ("知识产权质押融资政策解读", 30),
    "product_release": ("银行知识产权金融产品发布", 40),
    "bank_promotion": ("金融机构产品推介", 30),
    "roadshow": ("企业融资需求路演", 45),
    "matchmaking": ("银企一对一对接洽谈", 40),
    "signing": ("知识产权质押融资现场签约", 20),
}
_KIND_ZH = {code: text for code, (text, _minutes) in _KIND_AGENDA.items()}
_KIND_EN = {
    "policy_training": "policy briefings",
    "product_release": "product releases",
    "bank_promotion": "bank promotions",
    "roadshow": "enterprise roadshows",
    "matchmaking": "one-to-one matchmaking",
    "signing": "an on-site signing",
}
# The order in which the parts of an afternoon or morning follow each other.
_AGENDA_ORDER = (
    "policy_training",
    "product_release",
    "bank_promotion",
    "roadshow",
    "signing",
    "matchmaking",
)


def _plan_events(rng: random.Random, products: list[ProductPlan]) -> list[EventPlan]:
    plans = []
    featured_by_province: dict[str, list[str]] = defaultdict(list)
    for product in products:
        if product.spec.featured_in:
            featured_by_province[product.spec.featured_in].append(product.spec.code)
    for spec in catalogue.EVENTS:
        day = dt.date.fromisoformat(spec.date)
        starts_at = _at(day, spec.start)
        ip_office, regulator = catalogue.PROVINCIAL_OFFICES[spec.province_code]
        parks_zh = "、".join(_short_park_name(slug) for slug in spec.park_slugs)
        parks_en = ", ".join(PARKS_BY_SLUG[slug].name_en for slug in spec.park_slugs)
        guests_zh = "、".join(PROVINCES_BY_CODE[code].short_zh for code in spec.participating)
        guests_en = ", ".join(PROVINCES_BY_CODE[code].name_en for code in spec.participating)
        description_zh = (
            f"由{ip_office.name_zh}、{regulator.name_zh}联合主办，{parks_zh}承办。"
            f"活动安排{'、'.join(_KIND_ZH[k] for k in spec.kinds)}等环节，"
            "帮助园区科技型中小企业盘活知识产权、解决融资难题。"
        )
        description_en = (
            f"Organised by the {ip_office.name_en} and the {regulator.name_en}, hosted by "
            f"{parks_en}: {', '.join(_KIND_EN[k] for k in spec.kinds)}, helping the parks' "
            "technology SMEs turn their IP into finance."
        )
        if spec.participating:
            description_zh += f"{guests_zh}等地知识产权管理部门和金融机构代表应邀参加。"
            description_en += f" Delegations from {guests_en} took part."
        agenda_lines, clock = [], starts_at
        for kind in sorted(spec.kinds, key=_AGENDA_ORDER.index):
            text, minutes = _KIND_AGENDA[kind]
            agenda_lines.append(f"{clock:%H:%M} {text}")
            clock += dt.timedelta(minutes=minutes)
        online = spec.format == "online"
        province_featured = featured_by_province[spec.province_code]
        if "product_release" in spec.kinds:
            featured = list(province_featured)  # the release station shows them all
        else:
            count = rng.randint(3, min(6, len(province_featured)))
            chosen = set(rng.sample(province_featured, count))
            featured = [code for code in province_featured if code in chosen]
        plans.append(
            EventPlan(
                spec=spec,
                slug=f"{catalogue.CAMPAIGN_SLUG}-{spec.slug}",
                title_zh=catalogue.EVENT_TITLE_ZH.format(station=spec.station_zh),
                title_en=catalogue.EVENT_TITLE_EN.format(station=spec.station_en),
                description_zh=description_zh,
                description_en=description_en,
                agenda="\n".join(agenda_lines),
                venue="线上直播"
                if online
                else f"{_short_park_name(spec.park_slugs[0])}管委会会议中心",
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=spec.hours),
                registration_deadline=_at(day - dt.timedelta(days=1), "17:00"),
                capacity=None if online else rng.choice((200, 300, 300, 400)),
                featured=featured,
            )
        )
    # Reported participants: a few hundred on site, the live streams the rest,
    # adding up to the 470,000 the report gives.
    for event in plans:
        event.participants_offline = 0 if event.spec.format == "online" else rng.randint(150, 600)
    weights = [
        0.0
        if event.spec.format == "offline"
        else rng.uniform(2.0, 3.0)
        if "product_release" in event.spec.kinds
        else rng.uniform(0.6, 1.4)
        for event in plans
    ]
    online_total = catalogue.PARTICIPANTS_TOTAL - sum(e.participants_offline for e in plans)
    for event, online_count in zip(plans, _apportion(online_total, weights), strict=True):
        event.participants_online = online_count
    return plans


# --------------------------------------------------------------------------- registrations


def _plan_registrations(rng: random.Random, plan: Plan) -> list[RegistrationPlan]:
    events_by_province: dict[str, list[EventPlan]] = defaultdict(list)
    event_by_park: dict[str, EventPlan] = {}
    for event in plan.events:
        events_by_province[event.spec.province_code].append(event)
        for slug in event.spec.park_slugs:
            event_by_park[slug] = event
    registrations: list[RegistrationPlan] = []

    def add(
        event: EventPlan,
        *,
        status: str,
        enterprise: EnterprisePlan | None = None,
        institution: str | None = None,
    ) -> None:
        created = event.starts_at - dt.timedelta(
            days=rng.randint(2, 14), hours=rng.randint(0, 8), minutes=rng.randint(0, 59)
        )
        checked_in = None
        if status == "checked_in":
            checked_in = event.starts_at - dt.timedelta(minutes=rng.randint(5, 40))
        need_amount = need_term = max_meetings = None
        if enterprise is not None:
            need_amount = enterprise.need_amount or _money(rng.randint(10, 200) * 100_000)
            need_term = enterprise.need_term_months or rng.choice((6, 12, 12, 24, 36))
        elif INSTITUTIONS_BY_CODE[institution or ""].kind == "bank":
            max_meetings = rng.choice((4, 6, 8))
        registrations.append(
            RegistrationPlan(
                code=f"{REGISTRATION_PREFIX}{len(registrations) + 1:05d}",
                event=event.spec.slug,
                enterprise=enterprise.credit_code if enterprise else None,
                institution=institution,
                status=status,
                need_amount=need_amount,
                need_term_months=need_term,
                max_meetings=max_meetings,
                checked_in_at=checked_in,
                created_at=created,
            )
        )

    # Enterprises: 1,400 take part in one or two stations of their own province,
    # starting with the one that covers their park; 50 more cancelled their only one.
    demo_index = next(e.index for e in plan.enterprises if e.credit_code == plan.demo_enterprise)
    candidates = [e.index for e in plan.enterprises if e.index != demo_index]
    cancelled_only = set(rng.sample(candidates, catalogue.ENTERPRISES_CANCELLED_ONLY))
    for enterprise in plan.enterprises:
        province_events = events_by_province[enterprise.province_code]
        first = event_by_park.get(enterprise.park_slug or "") or rng.choice(province_events)
        if enterprise.index in cancelled_only:
            add(first, status="cancelled", enterprise=enterprise)
            continue
        if enterprise.index == demo_index:
            add(first, status="checked_in", enterprise=enterprise)
            continue
        events = [first]
        if rng.random() < 0.3:
            events.append(rng.choice([e for e in province_events if e is not first]))
        for event in events:
            status = "checked_in" if rng.random() < 0.82 else "confirmed"
            add(event, status=status, enterprise=enterprise)

    # Institutions: those releasing a product at a station come to it; others
    # (and the 13 banks of Chongqing's agreement) pick one or two stations.
    featured_at: dict[str, list[EventPlan]] = defaultdict(list)
    for event in plan.events:
        for code in event.featured:
            institution = next(
                p.spec.institution_code for p in plan.products if p.spec.code == code
            )
            if event not in featured_at[institution]:
                featured_at[institution].append(event)
    for province in catalogue.HOST_PROVINCE_CODES:
        required = [
            code for code in featured_at if INSTITUTIONS_BY_CODE[code].province_code == province
        ]
        if province == catalogue.CHONGQING:
            required += [c for c in knowledge.CHONGQING_13_BANKS if c not in required]
        pool = [
            i.code for i in INSTITUTIONS if i.province_code == province and i.code not in required
        ]
        others = rng.sample(pool, catalogue.INSTITUTIONS_INVOLVED[province] - len(required))
        for code in required + others:
            events = featured_at.get(code) or rng.sample(
                events_by_province[province], rng.randint(1, 2)
            )
            for event in sorted(events, key=plan.events.index):
                status = "checked_in" if code in featured_at or rng.random() < 0.85 else "confirmed"
                add(event, status=status, institution=code)
    # Institutions of the 13 participating provinces join a station their province
    # takes part in: one from each province, and a few more.
    guest_events = {
        province: [e for e in plan.events if province in e.spec.participating]
        for province in catalogue.PARTICIPATING_PROVINCE_CODES
    }
    by_province = {
        province: [i.code for i in INSTITUTIONS if i.province_code == province]
        for province in catalogue.PARTICIPATING_PROVINCE_CODES
    }
    guests = [rng.choice(codes) for codes in by_province.values()]
    rest = [code for codes in by_province.values() for code in codes if code not in guests]
    guests += rng.sample(rest, catalogue.INSTITUTIONS_INVOLVED_ELSEWHERE - len(guests))
    for code in guests:
        event = rng.choice(guest_events[INSTITUTIONS_BY_CODE[code].province_code])
        add(event, status="checked_in" if rng.random() < 0.8 else "confirmed", institution=code)
    # A few institutions also cancelled a second station (they still count once).
    active = [r for r in registrations if r.institution and r.status != "cancelled"]
    for registration in rng.sample(active, 6):
        institution = INSTITUTIONS_BY_CODE[registration.institution or ""]
        taken = {r.event for r in registrations if r.institution == institution.code}
        spare = [
            e
            for e in events_by_province.get(institution.province_code, [])
            if e.spec.slug not in taken
        ]
        if spare:
            add(rng.choice(spare), status="cancelled", institution=institution.code)
    return registrations


# --------------------------------------------------------------------------- contracts


def _plan_contracts(rng: random.Random, plan: Plan) -> tuple[list[MeetingPlan], list[ContractPlan]]:
    products = {p.spec.code: p for p in plan.products}
    portfolio: dict[str, Decimal] = defaultdict(Decimal)
    for asset in plan.assets:
        if asset.legal_status == "valid" and asset.latest:
            portfolio[asset.credit_code] += asset.latest[0]
    park_of = {e.credit_code: e.park_slug for e in plan.enterprises}
    active_at: dict[str, list[RegistrationPlan]] = defaultdict(list)
    for registration in plan.registrations:
        if registration.status != "cancelled":
            active_at[registration.event].append(registration)

    meetings: list[MeetingPlan] = []
    contracts: list[ContractPlan] = []
    financed: set[str] = {plan.demo_enterprise}  # the demo account starts unfinanced
    for province, (count, total, kind, low, high, step) in catalogue.CONTRACT_PLAN.items():
        tag = catalogue.PROVINCE_TAGS[province]
        stations = [
            event
            for event in plan.events
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
                products[code]
                for code in event.featured
                if products[code].spec.kind in _LOAN_KINDS
                and products[code].spec.institution_code in present
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
                    fit_score=Decimal(str(round(rng.uniform(0.78, 0.98), 3))),
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
    for event in plan.events:
        taken = [m for m in meetings if m.event == event.spec.slug]
        met = {m.enterprise for m in taken}
        enterprises = [
            r.enterprise
            for r in active_at[event.spec.slug]
            if r.enterprise and r.status == "checked_in" and r.enterprise not in met
        ]
        banks = sorted(
            {
                products[code].spec.institution_code
                for code in event.featured
                if products[code].spec.kind in _LOAN_KINDS
            }
        )
        for slot in range(len(taken), min(len(taken) + 2, MEETING_SLOTS)):
            enterprise = rng.choice(enterprises)
            enterprises.remove(enterprise)
            meetings.append(
                MeetingPlan(
                    event=event.spec.slug,
                    slot=slot,
                    enterprise=enterprise or "",
                    institution=rng.choice(banks),
                    outcome=rng.choice(("follow_up", "follow_up", "no_further_contact")),
                    fit_score=Decimal(str(round(rng.uniform(0.45, 0.85), 3))),
                    note="",
                )
            )
    return meetings, contracts


# --------------------------------------------------------------------------- knowledge


def _plan_media(rng: random.Random, events: list[EventPlan]) -> list[MediaPlan]:
    national = [m for m in knowledge.MEDIA_OUTLETS if m.scope == "national"]
    local: dict[str | None, list[knowledge.MediaOutlet]] = defaultdict(list)
    for outlet in knowledge.MEDIA_OUTLETS:
        if outlet.scope != "national":
            local[outlet.province_code].append(outlet)
    event_by_park = {slug: e for e in events for slug in e.spec.park_slugs}
    reports = []
    for title_zh, _title_en, park_slug in knowledge.report_titles(106, seed=SEED):
        event = event_by_park[park_slug]
        province = PARKS_BY_SLUG[park_slug].province_code
        outlets = local[province] if local[province] and rng.random() < 0.6 else national
        outlet = rng.choice(outlets)
        reports.append(
            MediaPlan(
                outlet_zh=outlet.name_zh,
                outlet_en=outlet.name_en,
                title=title_zh,
                published_on=event.starts_at.date() + dt.timedelta(days=rng.randint(0, 4)),
                event=event.spec.slug if rng.random() < 0.8 else None,
            )
        )
    return reports


GUANGDONG_FIRST_DAY_DOWNLOADS = 677


def _plan_downloads(rng: random.Random) -> dict[str, list[tuple[str, dt.date]]]:
    """Counted downloads (one per visitor per day) of each collection: 677 on
    the day Guangdong put its collection online, tailing off afterwards."""
    downloads: dict[str, list[tuple[str, dt.date]]] = {}
    for collection in knowledge.COLLECTIONS:
        published = dt.date.fromisoformat(collection.published_on)
        if collection.province_code == catalogue.GUANGDONG:
            per_day = [GUANGDONG_FIRST_DAY_DOWNLOADS] + [
                int(677 * 0.35 * 0.8 ** (d - 1) * rng.uniform(0.85, 1.15)) for d in range(1, 21)
            ]
        else:
            per_day = [rng.randint(8, 60) for _ in range(15)]
        rows = []
        for offset, count in enumerate(per_day):
            day = published + dt.timedelta(days=offset)
            rows += [(_visitor(collection.code, day, i), day) for i in range(count)]
        downloads[collection.code] = rows
    return downloads


def _visitor(collection: str, day: dt.date, n: int) -> str:
    # The shape a real counter stores: a hash, never the visitor's address.
    return hashlib.sha256(f"ipfin-demo|{collection}|{day}|{n}".encode()).hexdigest()[:32]


# =========================================================================== write


def seed_campaign(*, password: str, log: Log | None = None) -> SeedReport:
    """Create or bring up to date the 2020 campaign and the demo accounts.

    Idempotent: a second run leaves every row as it was. Demo passwords are set
    only when an account is created, so a re-run never logs anybody out.
    """
    say = log or (lambda _message: None)
    started = time.perf_counter()
    plan = build_plan()
    say(
        f"Planned {len(plan.enterprises):,} enterprises, {len(plan.assets):,} IP assets, "
        f"{len(plan.events)} events, {len(plan.registrations):,} registrations."
    )
    with transaction.atomic():
        offices = _write_offices()
        parks = _write_parks()
        institutions = _write_institutions()
        say(
            f"Organisations: {len(offices)} offices, {len(parks)} parks, "
            f"{len(institutions)} institutions."
        )
        enterprises = _write_enterprises(plan, parks)
        asset_count, appraisal_count = _write_assets(plan, enterprises)
        say(
            f"Enterprises: {len(enterprises):,} with {asset_count:,} IP assets "
            f"and {appraisal_count:,} appraisals."
        )
        users = _write_users(
            password,
            offices=offices,
            institutions=institutions,
            enterprise=enterprises[plan.demo_enterprise],
            park=parks[DEMO_ENTERPRISE_PARK],
        )
        say(f"Demo accounts: {', '.join(users)}.")
        products = _write_products(plan, institutions)
        campaign = _write_campaign(offices)
        events = _write_events(plan, campaign, parks, offices, products, users)
        say(f"Campaign {catalogue.CAMPAIGN_SLUG}: {len(products)} products, {len(events)} events.")
        registrations = _write_registrations(plan, events, enterprises, institutions, users)
        meetings = _write_meetings(plan, events, enterprises, institutions)
        _write_contracts(
            plan, events, enterprises, institutions, products, registrations, meetings, users
        )
        say(
            f"Registrations: {len(registrations):,}; meetings: {len(meetings)}; "
            f"contracts: {len(plan.contracts)}."
        )
        _write_knowledge(plan, campaign, offices, parks, institutions, events)
        say(
            f"Knowledge: {len(knowledge.POLICIES)} policies, {len(knowledge.CASES)} cases, "
            f"{len(knowledge.COLLECTIONS)} collections, {len(plan.trainings)} trainings, "
            f"{len(plan.media)} media reports, {len(knowledge.AGREEMENTS)} agreements."
        )
    return SeedReport(counts=row_counts(), seconds=time.perf_counter() - started)


def row_counts() -> dict[str, int]:
    """Rows of every model of the portal's apps, many-to-many tables included."""
    counts = {}
    for label in PORTAL_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            counts[model._meta.label] = model.objects.count()
    return counts


# --------------------------------------------------------------------------- write helpers


def _upsert(
    model: type[M], rows: Sequence[M], *, unique: Sequence[str], update: Sequence[str]
) -> None:
    """Insert new rows, update existing ones (matched on `unique`) in place."""
    if rows:
        model._default_manager.bulk_create(
            rows, update_conflicts=True, unique_fields=list(unique), update_fields=list(update)
        )


def _ids(model: type[models.Model], key: str, values: Iterable[Any]) -> dict[Any, int]:
    """Primary keys by natural key, read back after an upsert (bulk_create does
    not return the ids of updated rows on every backend)."""
    return dict(
        model._default_manager.filter(**{f"{key}__in": list(values)}).values_list(key, "pk")
    )


def _sync_m2m(
    model: type[models.Model], name: str, owners: Iterable[Any], pairs: Iterable[tuple[Any, Any]]
) -> None:
    """Make the links of `owners` through `model.name` exactly `pairs`."""
    m2m = model._meta.get_field(name)
    through = m2m.remote_field.through
    source = m2m.m2m_field_name() + "_id"
    target = m2m.m2m_reverse_field_name() + "_id"
    wanted = set(pairs)
    existing = list(
        through.objects.filter(**{f"{source}__in": list(owners)}).values_list("pk", source, target)
    )
    stale = [pk for pk, s, t in existing if (s, t) not in wanted]
    if stale:
        through.objects.filter(pk__in=stale).delete()
    missing = sorted(wanted - {(s, t) for _pk, s, t in existing})
    through.objects.bulk_create(
        [through(**{source: s, target: t}) for s, t in missing], ignore_conflicts=True
    )


def _sync_rows(
    model: type[M], existing: Iterable[M], key: Sequence[str], rows: Sequence[dict[str, Any]]
) -> dict[tuple[Any, ...], int]:
    """Upsert for models without a unique natural key (titles, meeting pairs):
    match `existing` rows on `key`, update only what changed, create the rest."""
    by_key: dict[tuple[Any, ...], M] = {}
    for obj in existing:
        by_key.setdefault(tuple(getattr(obj, f) for f in key), obj)
    fields = sorted({f for row in rows for f in row} - set(key))
    new, changed = [], []
    for row in rows:
        obj = by_key.get(tuple(row[f] for f in key))
        if obj is None:
            new.append(model(**row))
            continue
        if any(getattr(obj, f) != row[f] for f in fields):
            for f in fields:
                setattr(obj, f, row[f])
            changed.append(obj)
    model._default_manager.bulk_create(new)  # sets the pks on SQLite ≥ 3.35 and PostgreSQL
    if changed:
        model._default_manager.bulk_update(changed, fields)
    wanted = {tuple(row[f] for f in key) for row in rows}
    ids: dict[tuple[Any, ...], int] = {}
    for obj in [*by_key.values(), *new]:
        found = tuple(getattr(obj, f) for f in key)
        if found in wanted:
            assert obj.pk is not None
            ids.setdefault(found, obj.pk)
    return ids


def _backdate(model: type[models.Model], ids: dict[Any, int], when: dict[Any, dt.datetime]) -> None:
    """Set `created_at` to when the row would have been made in 2020 (auto_now_add
    stamps today on insert); touches only rows that differ."""
    rows = model._default_manager.filter(pk__in=list(ids.values())).only("pk", "created_at")
    key_by_id = {pk: key for key, pk in ids.items()}
    stale = []
    for obj in rows:
        wanted = when[key_by_id[obj.pk]]
        if obj.created_at != wanted:
            obj.created_at = wanted
            stale.append(obj)
    if stale:
        model._default_manager.bulk_update(stale, ["created_at"], batch_size=500)


# --------------------------------------------------------------------------- organisations


def _write_offices() -> dict[str, int]:
    rows = [
        RegulatorOffice(
            code=o.code,
            name_zh=o.name_zh,
            name_en=o.name_en,
            kind=o.kind,
            level=o.level,
            province_id=o.province_code,
        )
        for o in catalogue.OFFICES
    ]
    _upsert(
        RegulatorOffice,
        rows,
        unique=["code"],
        update=["name_zh", "name_en", "kind", "level", "province"],
    )
    return _ids(RegulatorOffice, "code", (o.code for o in catalogue.OFFICES))


_PARK_KIND_ZH = {
    "national_hitech_zone": "国家级高新技术产业开发区",
    "economic_development_zone": "经济技术开发区",
    "science_park": "科技园区",
    "industrial_park": "产业园区",
    "free_trade_zone": "自由贸易试验区片区",
}


def _write_parks() -> dict[str, int]:
    rows = [
        Park(
            slug=p.slug,
            name_zh=p.name_zh,
            name_en=p.name_en,
            province_id=p.province_code,
            city_zh=p.city_zh,
            city_en=p.city_en,
            kind=p.kind,
            description=f"{p.name_zh}位于{p.city_zh}，是{_PARK_KIND_ZH[p.kind]}。",
        )
        for p in PARKS
    ]
    _upsert(
        Park,
        rows,
        unique=["slug"],
        update=["name_zh", "name_en", "province", "city_zh", "city_en", "kind", "description"],
    )
    return _ids(Park, "slug", PARKS_BY_SLUG)


def _write_institutions() -> dict[str, int]:
    rows = [
        Institution(
            code=i.code,
            name_zh=i.name_zh,
            name_en=i.name_en,
            kind=i.kind,
            province_id=i.province_code,
            city_zh=i.city_zh,
            city_en=i.city_en,
        )
        for i in INSTITUTIONS
    ]
    _upsert(
        Institution,
        rows,
        unique=["code"],
        update=["name_zh", "name_en", "kind", "province", "city_zh", "city_en"],
    )
    return _ids(Institution, "code", INSTITUTIONS_BY_CODE)


def _write_enterprises(plan: Plan, parks: dict[str, int]) -> dict[str, int]:
    rows = [
        Enterprise(
            credit_code=e.credit_code,
            name_zh=e.name_zh,
            name_en=e.name_en,
            province_id=e.province_code,
            city_zh=e.city_zh,
            city_en=e.city_en,
            park_id=parks[e.park_slug] if e.park_slug else None,
            industry_id=e.industry,
            size=e.size,
            high_tech_certified=e.high_tech_certified,
            employees=e.employees,
            annual_revenue=e.annual_revenue,
            founded_on=e.founded_on,
            description=e.description,
            discoverable=e.discoverable,
            need_amount=e.need_amount,
            need_term_months=e.need_term_months,
        )
        for e in plan.enterprises
    ]
    _upsert(
        Enterprise,
        rows,
        unique=["credit_code"],
        update=[
            "name_zh",
            "name_en",
            "province",
            "city_zh",
            "city_en",
            "park",
            "industry",
            "size",
            "high_tech_certified",
            "employees",
            "annual_revenue",
            "founded_on",
            "description",
            "discoverable",
            "need_amount",
            "need_term_months",
        ],
    )
    return _ids(Enterprise, "credit_code", (e.credit_code for e in plan.enterprises))


def _write_assets(plan: Plan, enterprises: dict[str, int]) -> tuple[int, int]:
    rows = []
    for a in plan.assets:
        value, appraiser, on = a.latest or (None, "", None)
        rows.append(
            IPAsset(
                enterprise_id=enterprises[a.credit_code],
                kind_id=a.kind,
                number=a.number,
                title=a.title,
                filed_on=a.filed_on,
                granted_on=a.granted_on,
                expires_on=a.expires_on,
                legal_status=a.legal_status,
                appraised_value=value,
                appraiser=appraiser,
                appraised_on=on,
            )
        )
    _upsert(
        IPAsset,
        rows,
        unique=["kind", "number"],
        update=[
            "enterprise",
            "title",
            "filed_on",
            "granted_on",
            "expires_on",
            "legal_status",
            "appraised_value",
            "appraiser",
            "appraised_on",
        ],
    )
    asset_ids = {
        (kind, number): pk
        for pk, kind, number in IPAsset.objects.filter(
            enterprise_id__in=list(enterprises.values())
        ).values_list("pk", "kind_id", "number")
    }
    # Appraisal history: exactly the planned rows among those nobody recorded by hand.
    wanted = {
        (asset_ids[(a.kind, a.number)], on, appraiser, value)
        for a in plan.assets
        for value, appraiser, on in a.appraisals
    }
    seeded = IPAppraisal.objects.filter(
        asset_id__in=list(asset_ids.values()), recorded_by__isnull=True
    ).values_list("pk", "asset_id", "appraised_on", "appraiser", "value")
    have = {}
    for pk, asset_id, on, appraiser, value in seeded:
        have[(asset_id, on, appraiser, _money(value))] = pk
    stale = [pk for key, pk in have.items() if key not in wanted]
    if stale:
        IPAppraisal.objects.filter(pk__in=stale).delete()
    IPAppraisal.objects.bulk_create(
        [
            IPAppraisal(asset_id=asset_id, appraised_on=on, appraiser=appraiser, value=value)
            for asset_id, on, appraiser, value in sorted(wanted - set(have))
        ]
    )
    return len(rows), len(wanted)


# --------------------------------------------------------------------------- accounts


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    language: str = "zh-hans"
    staff: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("regulator@example.com", "王立新"),
    DemoAccount("zhejiang.regulator@example.com", "陈晓燕"),
    DemoAccount("bank@example.com", "周志远"),
    DemoAccount("enterprise@example.com", "刘思远"),
    DemoAccount("park@example.com", "赵敏"),
    DemoAccount("admin@example.com", "Platform Operator", language="en", staff=True),
)


def _write_users(
    password: str,
    *,
    offices: dict[str, int],
    institutions: dict[str, int],
    enterprise: int,
    park: int,
) -> dict[str, User]:
    existing = {u.email: u for u in User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS])}
    users: dict[str, User] = {}
    for account in DEMO_ACCOUNTS:
        wanted = {
            "full_name": account.full_name,
            "language": account.language,
            "is_staff": account.staff,
            "is_superuser": account.staff,
        }
        user = existing.get(account.email)
        if user is None:
            user = User.objects.create_user(email=account.email, password=password, **wanted)
        else:
            changed = [name for name, value in wanted.items() if getattr(user, name) != value]
            for name in changed:
                setattr(user, name, wanted[name])
            if changed:
                user.save(update_fields=changed)
        users[account.email] = user
    admin = Membership.Role.ADMIN
    _upsert(
        OfficeMembership,
        [
            OfficeMembership(
                user=users["regulator@example.com"], office_id=offices["cnipa"], role=admin
            ),
            OfficeMembership(
                user=users["zhejiang.regulator@example.com"],
                office_id=offices["zhejiang-ip-office"],
                role=admin,
            ),
        ],
        unique=["user", "office"],
        update=["role"],
    )
    _upsert(
        InstitutionMembership,
        [
            InstitutionMembership(
                user=users["bank@example.com"], institution_id=institutions[DEMO_BANK], role=admin
            )
        ],
        unique=["user", "institution"],
        update=["role"],
    )
    _upsert(
        EnterpriseMembership,
        [
            EnterpriseMembership(
                user=users["enterprise@example.com"], enterprise_id=enterprise, role=admin
            )
        ],
        unique=["user", "enterprise"],
        update=["role"],
    )
    _upsert(
        ParkMembership,
        [ParkMembership(user=users["park@example.com"], park_id=park, role=admin)],
        unique=["user", "park"],
        update=["role"],
    )
    return users


# --------------------------------------------------------------------------- products and events


def _write_products(plan: Plan, institutions: dict[str, int]) -> dict[str, int]:
    rows = []
    for p in plan.products:
        summary_zh, summary_en = catalogue.PRODUCT_SUMMARIES[p.spec.kind]
        rows.append(
            Product(
                institution_id=institutions[p.spec.institution_code],
                code=p.spec.code,
                name_zh=p.spec.name_zh,
                name_en=p.spec.name_en,
                kind=p.spec.kind,
                amount_min=p.amount_min,
                amount_max=p.amount_max,
                rate_min=p.rate_min,
                rate_max=p.rate_max,
                term_min_months=p.term_min_months,
                term_max_months=p.term_max_months,
                max_pledge_ratio=p.max_pledge_ratio,
                summary_zh=summary_zh,
                summary_en=summary_en,
                requirements=catalogue.PRODUCT_REQUIREMENTS,
                status=p.spec.status,
                published_at=p.published_at,
            )
        )
    _upsert(
        Product,
        rows,
        unique=["code"],
        update=[
            "institution",
            "name_zh",
            "name_en",
            "kind",
            "amount_min",
            "amount_max",
            "rate_min",
            "rate_max",
            "term_min_months",
            "term_max_months",
            "max_pledge_ratio",
            "summary_zh",
            "summary_en",
            "requirements",
            "status",
            "published_at",
        ],
    )
    ids = _ids(Product, "code", (p.spec.code for p in plan.products))
    owners = list(ids.values())
    _sync_m2m(
        Product,
        "accepted_ip_kinds",
        owners,
        ((ids[p.spec.code], k) for p in plan.products for k in p.ip_kinds),
    )
    _sync_m2m(
        Product,
        "provinces_served",
        owners,
        ((ids[p.spec.code], c) for p in plan.products for c in p.provinces_served),
    )
    _sync_m2m(
        Product,
        "target_industries",
        owners,
        ((ids[p.spec.code], c) for p in plan.products for c in p.industries),
    )
    _backdate(
        Product,
        ids,
        {
            p.spec.code: (p.published_at or _at(dt.date(2020, 11, 1), "10:00"))
            - dt.timedelta(days=7)
            for p in plan.products
        },
    )
    return ids


def _write_campaign(offices: dict[str, int]) -> Campaign:
    _upsert(
        Campaign,
        [
            Campaign(
                slug=catalogue.CAMPAIGN_SLUG,
                name_zh=catalogue.CAMPAIGN_NAME_ZH,
                name_en=catalogue.CAMPAIGN_NAME_EN,
                description_zh=catalogue.CAMPAIGN_DESCRIPTION_ZH,
                description_en=catalogue.CAMPAIGN_DESCRIPTION_EN,
                starts_on=dt.date.fromisoformat(catalogue.CAMPAIGN_STARTS_ON),
                ends_on=dt.date.fromisoformat(catalogue.CAMPAIGN_ENDS_ON),
                is_public=True,
            )
        ],
        unique=["slug"],
        update=[
            "name_zh",
            "name_en",
            "description_zh",
            "description_en",
            "starts_on",
            "ends_on",
            "is_public",
        ],
    )
    campaign = Campaign.objects.get(slug=catalogue.CAMPAIGN_SLUG)
    _sync_m2m(
        Campaign,
        "organisers",
        [campaign.pk],
        ((campaign.pk, offices[o.code]) for o in catalogue.OFFICES),
    )
    return campaign


def _write_events(
    plan: Plan,
    campaign: Campaign,
    parks: dict[str, int],
    offices: dict[str, int],
    products: dict[str, int],
    users: dict[str, User],
) -> dict[str, int]:
    rows = []
    for e in plan.events:
        author = (
            users["zhejiang.regulator@example.com"]
            if e.spec.province_code == catalogue.ZHEJIANG
            else users["regulator@example.com"]
        )
        rows.append(
            Event(
                campaign=campaign,
                slug=e.slug,
                title_zh=e.title_zh,
                title_en=e.title_en,
                description_zh=e.description_zh,
                description_en=e.description_en,
                agenda=e.agenda,
                host_province_id=e.spec.province_code,
                city_zh=e.spec.city_zh,
                city_en=e.spec.city_en,
                venue=e.venue,
                starts_at=e.starts_at,
                ends_at=e.ends_at,
                format=e.spec.format,
                capacity=e.capacity,
                registration_deadline=e.registration_deadline,
                participants_online=e.participants_online,
                participants_offline=e.participants_offline,
                status=Event.Status.PUBLISHED,
                created_by=author,
            )
        )
    _upsert(
        Event,
        rows,
        unique=["slug"],
        update=[
            "campaign",
            "title_zh",
            "title_en",
            "description_zh",
            "description_en",
            "agenda",
            "host_province",
            "city_zh",
            "city_en",
            "venue",
            "starts_at",
            "ends_at",
            "format",
            "capacity",
            "registration_deadline",
            "participants_online",
            "participants_offline",
            "status",
            "created_by",
        ],
    )
    by_slug = _ids(Event, "slug", (e.slug for e in plan.events))
    ids = {e.spec.slug: by_slug[e.slug] for e in plan.events}
    owners = list(ids.values())
    _sync_m2m(
        Event, "kinds", owners, ((ids[e.spec.slug], k) for e in plan.events for k in e.spec.kinds)
    )
    _sync_m2m(
        Event,
        "parks",
        owners,
        ((ids[e.spec.slug], parks[s]) for e in plan.events for s in e.spec.park_slugs),
    )
    _sync_m2m(
        Event,
        "organisers",
        owners,
        (
            (ids[e.spec.slug], offices[o.code])
            for e in plan.events
            for o in catalogue.PROVINCIAL_OFFICES[e.spec.province_code]
        ),
    )
    _sync_m2m(
        Event,
        "featured_products",
        owners,
        ((ids[e.spec.slug], products[c]) for e in plan.events for c in e.featured),
    )
    _sync_m2m(
        Event,
        "participating_provinces",
        owners,
        ((ids[e.spec.slug], c) for e in plan.events for c in e.spec.participating),
    )
    _upsert(
        EventSlot,
        [
            EventSlot(event_id=ids[e.spec.slug], starts_at=start, ends_at=end)
            for e in plan.events
            for start, end in e.slots
        ],
        unique=["event", "starts_at"],
        update=["ends_at"],
    )
    _backdate(
        Event,
        ids,
        {e.spec.slug: e.registration_deadline - dt.timedelta(days=21) for e in plan.events},
    )
    return ids


def _write_registrations(
    plan: Plan,
    events: dict[str, int],
    enterprises: dict[str, int],
    institutions: dict[str, int],
    users: dict[str, User],
) -> dict[str, int]:
    demo_user = users["enterprise@example.com"]
    rows = [
        Registration(
            code=r.code,
            event_id=events[r.event],
            enterprise_id=enterprises[r.enterprise] if r.enterprise else None,
            institution_id=institutions[r.institution] if r.institution else None,
            status=r.status,
            registered_by=demo_user if r.enterprise == plan.demo_enterprise else None,
            need_amount=r.need_amount,
            need_term_months=r.need_term_months,
            max_meetings=r.max_meetings,
            checked_in_at=r.checked_in_at,
        )
        for r in plan.registrations
    ]
    # Earlier versions of the seed may have left registrations this plan drops.
    codes = {r.code for r in plan.registrations}
    stale = [
        pk
        for pk, code in Registration.objects.filter(
            event_id__in=list(events.values()), code__startswith=REGISTRATION_PREFIX
        ).values_list("pk", "code")
        if code not in codes
    ]
    if stale:
        Registration.objects.filter(pk__in=stale).delete()
    _upsert(
        Registration,
        rows,
        unique=["code"],
        update=[
            "event",
            "enterprise",
            "institution",
            "status",
            "registered_by",
            "need_amount",
            "need_term_months",
            "max_meetings",
            "checked_in_at",
        ],
    )
    ids = _ids(Registration, "code", codes)
    _backdate(Registration, ids, {r.code: r.created_at for r in plan.registrations})
    return ids


def _write_meetings(
    plan: Plan, events: dict[str, int], enterprises: dict[str, int], institutions: dict[str, int]
) -> dict[tuple[Any, ...], int]:
    slots = {
        (event_id, starts_at): pk
        for pk, event_id, starts_at in EventSlot.objects.filter(
            event_id__in=list(events.values())
        ).values_list("pk", "event_id", "starts_at")
    }
    event_plans = {e.spec.slug: e for e in plan.events}
    rows = [
        {
            "event_id": events[m.event],
            "enterprise_id": enterprises[m.enterprise],
            "institution_id": institutions[m.institution],
            "slot_id": slots[(events[m.event], event_plans[m.event].slots[m.slot][0])],
            "status": Meeting.Status.HELD,
            "source": Meeting.Source.REQUESTED
            if m.outcome != "no_further_contact"
            else Meeting.Source.MATCHER,
            "fit_score": m.fit_score,
            "outcome": m.outcome,
            "note": m.note,
        }
        for m in plan.meetings
    ]
    return _sync_rows(
        Meeting,
        Meeting.objects.filter(event_id__in=list(events.values())),
        ("event_id", "enterprise_id", "institution_id"),
        rows,
    )


def _write_contracts(
    plan: Plan,
    events: dict[str, int],
    enterprises: dict[str, int],
    institutions: dict[str, int],
    products: dict[str, int],
    registrations: dict[str, int],
    meetings: dict[tuple[Any, ...], int],
    users: dict[str, User],
) -> None:
    bank_user = users["bank@example.com"]
    rows = []
    for c in plan.contracts:
        event, enterprise, institution = (
            events[c.event],
            enterprises[c.enterprise],
            institutions[c.institution],
        )
        rows.append(
            Contract(
                reference=c.reference,
                kind=c.kind,
                amount=c.amount,
                signed_on=c.signed_on,
                institution_id=institution,
                enterprise_id=enterprise,
                product_id=products[c.product] if c.product else None,
                event_id=event,
                registration_id=registrations[c.registration],
                meeting_id=meetings.get((event, enterprise, institution)),
                pledge_registration_number=c.pledge_registration_number,
                pledge_registered_on=c.pledge_registered_on,
                disbursed_amount=c.disbursed_amount,
                disbursed_on=c.disbursed_on,
                created_by=bank_user if c.institution == DEMO_BANK else None,
            )
        )
    references = {c.reference for c in plan.contracts}
    stale = [
        pk
        for pk, reference in Contract.objects.filter(
            reference__startswith=CONTRACT_PREFIX
        ).values_list("pk", "reference")
        if reference not in references
    ]
    if stale:
        Contract.objects.filter(pk__in=stale).delete()
    _upsert(
        Contract,
        rows,
        unique=["reference"],
        update=[
            "kind",
            "amount",
            "signed_on",
            "institution",
            "enterprise",
            "product",
            "event",
            "registration",
            "meeting",
            "pledge_registration_number",
            "pledge_registered_on",
            "disbursed_amount",
            "disbursed_on",
            "created_by",
        ],
    )
    ids = _ids(Contract, "reference", references)
    _backdate(Contract, ids, {c.reference: _at(c.signed_on, "16:00") for c in plan.contracts})


# --------------------------------------------------------------------------- knowledge


def _write_knowledge(
    plan: Plan,
    campaign: Campaign,
    offices: dict[str, int],
    parks: dict[str, int],
    institutions: dict[str, int],
    events: dict[str, int],
) -> None:
    ip_office = {code: offices[pair[0].code] for code, pair in catalogue.PROVINCIAL_OFFICES.items()}

    policies = _sync_rows(
        Policy,
        Policy.objects.filter(title_zh__in=[p.title_zh for p in knowledge.POLICIES]),
        ("title_zh",),
        [
            {
                "title_zh": p.title_zh,
                "title_en": p.title_en,
                "issuer_zh": p.issuer_zh,
                "issuer_en": p.issuer_en,
                "level": p.level,
                "province_id": p.province_code,
                "issued_on": dt.date.fromisoformat(p.issued_on),
                "document_number": p.doc_number or "",
            }
            for p in knowledge.POLICIES
        ],
    )

    published = {
        c.province_code: dt.date.fromisoformat(c.published_on) for c in knowledge.COLLECTIONS
    }
    cases = _sync_rows(
        TypicalCase,
        TypicalCase.objects.filter(title_zh__in=[c.title_zh for c in knowledge.CASES]),
        ("title_zh",),
        [
            {
                "title_zh": c.title_zh,
                "title_en": c.title_en,
                "summary_zh": c.summary_zh,
                "summary_en": c.summary_en,
                "province_id": c.province_code,
                "institution_name": (
                    INSTITUTIONS_BY_CODE[catalogue.CASE_INSTITUTIONS[c.code]].name_zh
                    if c.code in catalogue.CASE_INSTITUTIONS
                    else ""
                ),
                "amount": _money(c.amount_yuan),
                # Cases were published with their province's collection.
                "published_on": published.get(c.province_code, dt.date(2020, 12, 18)),
            }
            for c in knowledge.CASES
        ],
    )
    _sync_m2m(
        TypicalCase,
        "ip_kinds",
        cases.values(),
        ((cases[(c.title_zh,)], kind) for c in knowledge.CASES for kind in c.ip_kinds),
    )

    contents_zh = {"cases": "典型案例", "policies": "政策文件", "products": "金融产品"}
    contents_en = {
        "cases": "typical cases",
        "policies": "policies",
        "products": "financial products",
    }
    collections = _sync_rows(
        Collection,
        Collection.objects.filter(title_zh__in=[c.title_zh for c in knowledge.COLLECTIONS]),
        ("title_zh",),
        [
            {
                "title_zh": c.title_zh,
                "title_en": c.title_en,
                "summary_zh": (
                    f"汇集{c.publisher_zh}整理的知识产权质押融资"
                    f"{'、'.join(contents_zh[k] for k in c.contents)}，"
                    + (
                        "在线发布并印制成册。"
                        if c.medium == "online"
                        else "印制成册，发放至园区企业。"
                    )
                ),
                "summary_en": (
                    f"{_and(contents_en[k] for k in c.contents).capitalize()} of IP pledge "
                    f"financing compiled by the {c.publisher_en}, "
                    + ("published online and in print." if c.medium == "online" else "in print.")
                ),
                "publisher_id": ip_office[c.province_code],
                "province_id": c.province_code,
                "campaign_id": campaign.pk,
                "published_on": dt.date.fromisoformat(c.published_on),
                # Hunan, Zhejiang, Guangdong and Chongqing all printed theirs.
                "is_printed": True,
            }
            for c in knowledge.COLLECTIONS
        ],
    )
    by_code = {c.code: collections[(c.title_zh,)] for c in knowledge.COLLECTIONS}
    _sync_m2m(
        Collection,
        "policies",
        by_code.values(),
        (
            (by_code[c.code], policies[(p.title_zh,)])
            for c in knowledge.COLLECTIONS
            if "policies" in c.contents
            for p in knowledge.POLICIES
            if p.province_code in (None, c.province_code) and p.issued_on <= c.published_on
        ),
    )
    _sync_m2m(
        Collection,
        "cases",
        by_code.values(),
        (
            (by_code[c.code], cases[(case.title_zh,)])
            for c in knowledge.COLLECTIONS
            if "cases" in c.contents
            for case in knowledge.CASES
            if case.province_code == c.province_code
        ),
    )
    _write_downloads(plan, by_code)

    zhejiang_office = offices["zhejiang-ip-office"]
    _sync_rows(
        TrainingSession,
        TrainingSession.objects.filter(title_zh__in=[s.title_zh for s, _n in plan.trainings]),
        ("title_zh",),
        [
            {
                "title_zh": s.title_zh,
                "title_en": s.title_en,
                "summary_zh": (
                    "讲解知识产权质押融资政策、价值评估和质押登记流程，推介银行产品并现场答疑。"
                ),
                "summary_en": (
                    "IP pledge financing policies, valuation and pledge registration explained, "
                    "bank products introduced, questions answered."
                ),
                "province_id": catalogue.ZHEJIANG,
                "city_zh": s.city_zh,
                "city_en": s.city_en,
                "park_id": parks[s.park_slug],
                "campaign_id": campaign.pk,
                "organiser_id": zhejiang_office,
                "held_on": dt.date.fromisoformat(s.held_on),
                "participants": participants,
            }
            for s, participants in plan.trainings
        ],
    )

    _upsert(
        MediaReport,
        [
            MediaReport(
                outlet_zh=m.outlet_zh,
                outlet_en=m.outlet_en,
                title=m.title,
                published_on=m.published_on,
                campaign=campaign,
                event_id=events[m.event] if m.event else None,
            )
            for m in plan.media
        ],
        unique=["outlet_zh", "title"],
        update=["outlet_en", "published_on", "campaign", "event"],
    )

    kinds = {
        knowledge.CHONGQING_BANK_AGREEMENT.code: CooperationAgreement.Kind.AGREEMENT,
        knowledge.CHONGQING_ALLIANCE.code: CooperationAgreement.Kind.ALLIANCE,
        knowledge.BEIJING_JJJ_INITIATIVE.code: CooperationAgreement.Kind.INITIATIVE,
    }
    agreements = _sync_rows(
        CooperationAgreement,
        CooperationAgreement.objects.filter(
            title_zh__in=[a.title_zh for a in knowledge.AGREEMENTS]
        ),
        ("title_zh",),
        [
            {
                "title_zh": a.title_zh,
                "title_en": a.title_en,
                "summary_zh": f"{a.organizer_zh}牵头，{len(a.member_codes)}家金融及服务机构参与。",
                "summary_en": (
                    f"Convened by: {a.organizer_en}. {len(a.member_codes)} banks and other "
                    "financial and service institutions take part."
                ),
                "kind": kinds[a.code],
                "office_id": ip_office[a.province_code],
                "signed_on": dt.date.fromisoformat(a.signed_on),
                "campaign_id": campaign.pk,
            }
            for a in knowledge.AGREEMENTS
        ],
    )
    _sync_m2m(
        CooperationAgreement,
        "institutions",
        agreements.values(),
        (
            (agreements[(a.title_zh,)], institutions[code])
            for a in knowledge.AGREEMENTS
            for code in a.member_codes
        ),
    )


def _write_downloads(plan: Plan, collections: dict[str, int]) -> None:
    wanted = {
        (collections[code], visitor, day)
        for code, rows in plan.downloads.items()
        for visitor, day in rows
    }
    seeded = CollectionDownload.objects.filter(
        collection_id__in=list(collections.values()), day__lte=DOWNLOADS_UNTIL
    ).values_list("pk", "collection_id", "visitor", "day")
    have = {(c, v, d): pk for pk, c, v, d in seeded}
    stale = [pk for key, pk in have.items() if key not in wanted]
    if stale:
        CollectionDownload.objects.filter(pk__in=stale).delete()
    CollectionDownload.objects.bulk_create(
        [
            CollectionDownload(collection_id=c, visitor=v, day=d)
            for c, v, d in sorted(wanted - set(have))
        ],
        ignore_conflicts=True,
    )
    # The counter is kept in step with the rows (real downloads after the seed included).
    totals = dict(
        CollectionDownload.objects.filter(collection_id__in=list(collections.values()))
        .values("collection_id")
        .annotate(n=models.Count("pk"))
        .values_list("collection_id", "n")
    )
    stale_counts = []
    for collection in Collection.objects.filter(pk__in=list(collections.values())):
        if collection.download_count != totals.get(collection.pk, 0):
            collection.download_count = totals.get(collection.pk, 0)
            stale_counts.append(collection)
    if stale_counts:
        Collection.objects.bulk_update(stale_counts, ["download_count"])
