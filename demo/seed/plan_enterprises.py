"""Planning the enterprises and their IP portfolios (patents, trademarks,
copyrights and the appraisals of each), as they stood when the campaign began."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from core.data.industries import INDUSTRIES
from core.data.provinces import PROVINCES_BY_CODE
from core.validators import CREDIT_CODE_ALPHABET, make_credit_code, make_patent_number
from demo.data import campaign as catalogue
from demo.data import ip_assets as ip_text
from demo.data.enterprises import enterprise_names
from demo.data.parks import PARKS
from demo.seed.common import DEMO_ENTERPRISE_PARK, SEED, money, random_day

# Portfolios and needs as they stood when the campaign began.
PORTFOLIO_DATE = dt.date(2020, 11, 1)


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


def plan_enterprises(rng: random.Random) -> list[EnterprisePlan]:
    total = catalogue.ENTERPRISES_INVOLVED + catalogue.ENTERPRISES_CANCELLED_ONLY
    parks_by_city: dict[tuple[str, str], list[str]] = defaultdict(list)
    for park in PARKS:
        parks_by_city[(park.province_code, park.city_zh)].append(park.slug)
    plans = []
    for index, name in enumerate(enterprise_names(total, seed=SEED)):
        size = rng.choices(_SIZES, _SIZE_WEIGHTS)[0]
        founded = random_day(rng, dt.date(2003, 1, 1), dt.date(2019, 6, 30))
        city_parks = parks_by_city.get((name.province_code, name.city_zh), [])
        # Most enterprises of a park city sit in one of its parks; a few outside.
        park_slug = rng.choice(city_parks) if city_parks and rng.random() < 0.92 else None
        high_tech = rng.random() < (0.55 if size in ("micro", "small") else 0.85)
        discoverable = rng.random() < 0.45
        need_amount = None
        need_term = None
        if discoverable or rng.random() < 0.3:
            need_amount = money(rng.randint(10, 200) * 100_000)
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
                park_slug=park_slug,
                industry=name.industry,
                size=size,
                high_tech_certified=high_tech,
                employees=rng.randint(*_EMPLOYEES[size]),
                annual_revenue=money(rng.randint(*_REVENUE_WAN[size]) * 10_000),
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


def demo_enterprise(enterprises: list[EnterprisePlan]) -> EnterprisePlan:
    """enterprise@example.com's company: the first Hangzhou enterprise, placed in
    the Hangzhou Hi-tech Zone, open to leads and with a stated need."""
    demo = next(e for e in enterprises if e.city_en == "Hangzhou")
    demo.park_slug = DEMO_ENTERPRISE_PARK
    demo.size = "small"
    demo.employees = max(demo.employees, 60)
    demo.high_tech_certified = True
    demo.discoverable = True
    demo.need_amount = money(5_000_000)
    demo.need_term_months = 24
    return demo


def _org_code(n: int) -> str:
    """Nine characters of the credit-code alphabet from a counter. Starting at
    3·31⁸ keeps clear of the test factories' counters (which start with "1")."""
    value = 3 * 31**8 + n * 7_919_153
    chars = []
    for _ in range(9):
        value, digit = divmod(value, len(CREDIT_CODE_ALPHABET))
        chars.append(CREDIT_CODE_ALPHABET[digit])
    return "".join(reversed(chars))


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
# Per patent kind: filing window, days from filing to grant, and term in years.
_PATENT_TERMS = {
    "invention_patent": (dt.date(2012, 1, 1), dt.date(2020, 6, 30), (540, 1400), 20),
    "utility_model": (dt.date(2009, 6, 1), dt.date(2020, 8, 31), (150, 330), 10),
    "design_patent": (dt.date(2013, 1, 1), dt.date(2020, 8, 31), (120, 270), 10),
}
_PATENT_TITLES = {
    "invention_patent": ip_text.invention_title,
    "utility_model": ip_text.utility_title,
    "design_patent": ip_text.design_title,
}
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


def plan_assets(
    rng: random.Random, enterprises: list[EnterprisePlan], demo_code: str
) -> list[AssetPlan]:
    serials = _Serials()
    assets: list[AssetPlan] = []
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
        earliest, latest, lag, life = _PATENT_TERMS[kind]
        if force:  # granted well before the campaign, and far from expiry
            earliest, latest = dt.date(2014, 1, 1), dt.date(2016, 6, 30)
        filed = random_day(rng, earliest, latest)
        serial = serials.draw(rng, kind, filed.year, 10_000, 1_499_999)
        number = make_patent_number(filed.year, _PATENT_DIGIT[kind], serial)
        title = _PATENT_TITLES[kind](industry, rng)
        granted: dt.date | None = filed + dt.timedelta(days=rng.randint(*lag))
        expires = _years_later(filed, life)
    elif kind == "trademark":
        filed = random_day(rng, dt.date(2010, 1, 1), dt.date(2018, 12, 31))
        serial = serials.draw(rng, kind, 0, 8_000_000, 49_999_999)
        number = str(serial)
        title = ip_text.trademark_title(brand_zh, enterprise.brand_en, rng)
        granted = filed + dt.timedelta(days=rng.randint(270, 450))
        expires = _years_later(granted, 10)
    elif kind == "software_copyright":
        granted = random_day(rng, dt.date(2014, 1, 1), dt.date(2020, 10, 30))
        filed = granted - dt.timedelta(days=rng.randint(30, 90))
        serial = serials.draw(rng, kind, granted.year, 100_000, 1_999_999)
        number = f"{granted.year}SR{serial:07d}"
        title = ip_text.software_title(industry, brand_zh, rng)
    else:  # copyright
        granted = random_day(rng, dt.date(2015, 1, 1), dt.date(2020, 10, 30))
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
        on = random_day(rng, max(granted or filed, dt.date(2019, 12, 1)), dt.date(2020, 11, 10))
        if granted is not None and granted < dt.date(2019, 6, 1) and rng.random() < 0.25:
            # An earlier appraisal, kept as history (values drift with the market).
            earlier = random_day(rng, max(granted, dt.date(2018, 1, 1)), dt.date(2019, 11, 30))
            old_value = money(round(float(value) * rng.uniform(0.7, 1.05) / 10_000) * 10_000)
            asset.appraisals.append(
                (max(old_value, money(100_000)), rng.choice(appraisers), earlier)
            )
        asset.appraisals.append((value, rng.choice(appraisers), on))
    return asset


def _years_later(day: dt.date, years: int) -> dt.date:
    # 29 February has no counterpart in most years.
    return day.replace(year=day.year + years, day=min(day.day, 28))


def _log_uniform(rng: random.Random, low: int, high: int, step: int) -> Decimal:
    # IP values spread over orders of magnitude: most are small, a few large.
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    return money(max(low, round(value / step) * step))
