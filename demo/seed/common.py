"""What the planners and the writers share: the seed, the clock, money, and the
organisations the demo accounts act for."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

SEED = 2020
TZ = ZoneInfo("Asia/Shanghai")
CENT = Decimal("0.01")

# Seeded registrations and contracts carry these prefixes, so a re-run can tell
# its own rows from those users made and remove only its own stale ones.
REGISTRATION_PREFIX = "S20"
CONTRACT_PREFIX = "RYHQ2020-"

DEMO_ENTERPRISE_PARK = "hangzhou-hitech-binjiang"
DEMO_BANK = "hzbank-sci-tech"


def money(value: float | int | Decimal) -> Decimal:
    return Decimal(value).quantize(CENT)


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)
