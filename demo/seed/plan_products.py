"""Planning the institutions' financial products: amounts, rates, terms, whom
they serve and when they were published."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from core.data.industries import INDUSTRIES
from demo.data import campaign as catalogue
from demo.data.institutions import INSTITUTIONS_BY_CODE
from demo.seed.common import CENT, at, money, random_day

LOAN_KINDS = frozenset({catalogue.PATENT, catalogue.TRADEMARK, catalogue.MIXED})
_PLEDGE_RATIOS = {
    catalogue.PATENT: (30, 35, 40, 45, 50),
    catalogue.TRADEMARK: (30, 35, 40),
    catalogue.MIXED: (40, 45, 50, 55, 60),
    catalogue.INSURANCE: (50, 55, 60),
    catalogue.OTHER: (50, 60),
}
_INDUSTRY_CODES = tuple(industry.code for industry in INDUSTRIES)


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


def plan_products(rng: random.Random) -> list[ProductPlan]:
    first_station = {
        province: min(e.date for e in catalogue.EVENTS if e.province_code == province)
        for province in catalogue.HOST_PROVINCE_CODES
    }
    plans = []
    for spec in catalogue.PRODUCTS:
        institution = INSTITUTIONS_BY_CODE[spec.institution_code]
        amount_max = spec.amount_max_wan * 10_000
        amount_min = min(rng.choice((50, 100, 100, 200)) * 10_000, amount_max // 5)
        if spec.kind in LOAN_KINDS:
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
            day = random_day(rng, dt.date(2020, 5, 6), latest - dt.timedelta(days=5))
            published_at = at(day, rng.choice(("09:00", "10:30", "15:00")))
        plans.append(
            ProductPlan(
                spec=spec,
                amount_min=money(amount_min),
                amount_max=money(amount_max),
                rate_min=Decimal(rate_min).quantize(CENT),
                rate_max=Decimal(rate_max).quantize(CENT),
                term_min_months=term_min,
                term_max_months=term_max,
                max_pledge_ratio=money(rng.choice(_PLEDGE_RATIOS[spec.kind])),
                ip_kinds=catalogue.ACCEPTED_IP_KINDS[spec.kind],
                provinces_served=tuple(served),
                industries=industries,
                published_at=published_at,
            )
        )
    return plans
