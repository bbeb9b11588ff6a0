"""Planning the campaign's stations (events, their agendas, featured products and
participants) and who registered for each."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from core.data.provinces import PROVINCES_BY_CODE
from demo.data import campaign as catalogue
from demo.data import knowledge
from demo.data.institutions import INSTITUTIONS, INSTITUTIONS_BY_CODE
from demo.data.parks import PARKS_BY_SLUG
from demo.seed.common import REGISTRATION_PREFIX, at, money
from demo.seed.plan_enterprises import EnterprisePlan
from demo.seed.plan_products import ProductPlan

MEETING_SLOTS = 8


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


def events_by_park(events: list[EventPlan]) -> dict[str, EventPlan]:
    """The station that covers each park."""
    return {slug: event for event in events for slug in event.spec.park_slugs}


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


def plan_events(rng: random.Random, products: list[ProductPlan]) -> list[EventPlan]:
    plans = []
    featured_by_province: dict[str, list[str]] = defaultdict(list)
    for product in products:
        if product.spec.featured_in:
            featured_by_province[product.spec.featured_in].append(product.spec.code)
    for spec in catalogue.EVENTS:
        day = dt.date.fromisoformat(spec.date)
        starts_at = at(day, spec.start)
        description_zh, description_en = _describe(spec)
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
                agenda=_agenda(spec, starts_at),
                venue="线上直播"
                if online
                else f"{_short_park_name(spec.park_slugs[0])}管委会会议中心",
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=spec.hours),
                registration_deadline=at(day - dt.timedelta(days=1), "17:00"),
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


def _describe(spec: catalogue.EventSpec) -> tuple[str, str]:
    """The station's description, in Chinese and in English."""
    ip_office, regulator = catalogue.PROVINCIAL_OFFICES[spec.province_code]
    parks_zh = "、".join(_short_park_name(slug) for slug in spec.park_slugs)
    parks_en = ", ".join(PARKS_BY_SLUG[slug].name_en for slug in spec.park_slugs)
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
        guests_zh = "、".join(PROVINCES_BY_CODE[code].short_zh for code in spec.participating)
        guests_en = ", ".join(PROVINCES_BY_CODE[code].name_en for code in spec.participating)
        description_zh += f"{guests_zh}等地知识产权管理部门和金融机构代表应邀参加。"
        description_en += f" Delegations from {guests_en} took part."
    return description_zh, description_en


def _agenda(spec: catalogue.EventSpec, starts_at: dt.datetime) -> str:
    agenda_lines, clock = [], starts_at
    for kind in sorted(spec.kinds, key=_AGENDA_ORDER.index):
        text, minutes = _KIND_AGENDA[kind]
        agenda_lines.append(f"{clock:%H:%M} {text}")
        clock += dt.timedelta(minutes=minutes)
    return "\n".join(agenda_lines)


def _short_park_name(slug: str) -> str:
    name = PARKS_BY_SLUG[slug].name_zh
    return name if name.startswith("中国（") else name.split("（")[0]


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Integers proportional to `weights` that add up to `total` exactly."""
    weight_sum = sum(weights)
    raw = [total * w / weight_sum for w in weights]
    shares = [math.floor(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (-(raw[i] - shares[i]), i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


# --------------------------------------------------------------------------- registrations


def plan_registrations(
    rng: random.Random,
    *,
    products: list[ProductPlan],
    enterprises: list[EnterprisePlan],
    demo_enterprise: str,
    events: list[EventPlan],
) -> list[RegistrationPlan]:
    events_by_province: dict[str, list[EventPlan]] = defaultdict(list)
    for event in events:
        events_by_province[event.spec.province_code].append(event)
    event_by_park = events_by_park(events)
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
            need_amount = enterprise.need_amount or money(rng.randint(10, 200) * 100_000)
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
    demo_index = next(e.index for e in enterprises if e.credit_code == demo_enterprise)
    candidates = [e.index for e in enterprises if e.index != demo_index]
    cancelled_only = set(rng.sample(candidates, catalogue.ENTERPRISES_CANCELLED_ONLY))
    for enterprise in enterprises:
        province_events = events_by_province[enterprise.province_code]
        first = event_by_park.get(enterprise.park_slug or "") or rng.choice(province_events)
        if enterprise.index in cancelled_only:
            add(first, status="cancelled", enterprise=enterprise)
            continue
        if enterprise.index == demo_index:
            add(first, status="checked_in", enterprise=enterprise)
            continue
        attended = [first]
        if rng.random() < 0.3:
            attended.append(rng.choice([e for e in province_events if e is not first]))
        for event in attended:
            add(event, status=_turnout(rng, 0.82), enterprise=enterprise)

    # Institutions: those releasing a product at a station come to it; others
    # (and the 13 banks of Chongqing's agreement) pick one or two stations.
    featured_at: dict[str, list[EventPlan]] = defaultdict(list)
    for event in events:
        for code in event.featured:
            institution = next(p.spec.institution_code for p in products if p.spec.code == code)
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
            chosen = featured_at.get(code) or rng.sample(
                events_by_province[province], rng.randint(1, 2)
            )
            for event in sorted(chosen, key=events.index):
                status = "checked_in" if code in featured_at else _turnout(rng, 0.85)
                add(event, status=status, institution=code)
    # Institutions of the 13 participating provinces join a station their province
    # takes part in: one from each province, and a few more.
    guest_events = {
        province: [e for e in events if province in e.spec.participating]
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
        add(event, status=_turnout(rng, 0.8), institution=code)
    # A few institutions also cancelled a second station (they still count once).
    active = [r for r in registrations if r.institution and r.status != "cancelled"]
    for registration in rng.sample(active, 6):
        twice = INSTITUTIONS_BY_CODE[registration.institution or ""]
        taken = {r.event for r in registrations if r.institution == twice.code}
        spare = [
            e for e in events_by_province.get(twice.province_code, []) if e.spec.slug not in taken
        ]
        if spare:
            add(rng.choice(spare), status="cancelled", institution=twice.code)
    return registrations


def _turnout(rng: random.Random, chance: float) -> str:
    """Whether a registrant came (`chance` of checking in) or only confirmed."""
    return "checked_in" if rng.random() < chance else "confirmed"
