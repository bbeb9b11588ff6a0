"""Planning the campaign's knowledge side: Zhejiang's training sessions, the
media reports on the stations, and the downloads of the provinces' collections."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass

from demo.data import campaign as catalogue
from demo.data import knowledge
from demo.data.parks import PARKS_BY_SLUG
from demo.seed.common import SEED
from demo.seed.plan_events import EventPlan, events_by_park

GUANGDONG_FIRST_DAY_DOWNLOADS = 677


@dataclass(slots=True)
class MediaPlan:
    outlet_zh: str
    outlet_en: str
    title: str
    published_on: dt.date
    event: str | None


def plan_trainings(rng: random.Random) -> list[tuple[knowledge.TrainingSession, int]]:
    """Zhejiang's training sessions and how many came to each."""
    return [
        (session, rng.randint(40, 260))
        for session in knowledge.zhejiang_training_sessions(32, seed=SEED)
    ]


def plan_media(rng: random.Random, events: list[EventPlan]) -> list[MediaPlan]:
    national = [m for m in knowledge.MEDIA_OUTLETS if m.scope == "national"]
    local: dict[str | None, list[knowledge.MediaOutlet]] = defaultdict(list)
    for outlet in knowledge.MEDIA_OUTLETS:
        if outlet.scope != "national":
            local[outlet.province_code].append(outlet)
    event_by_park = events_by_park(events)
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


def plan_downloads(rng: random.Random) -> dict[str, list[tuple[str, dt.date]]]:
    """Counted downloads (one per visitor per day) of each collection: 677 on
    the day Guangdong put its collection online, tailing off afterwards."""
    first_day = GUANGDONG_FIRST_DAY_DOWNLOADS
    downloads: dict[str, list[tuple[str, dt.date]]] = {}
    for collection in knowledge.COLLECTIONS:
        published = dt.date.fromisoformat(collection.published_on)
        if collection.province_code == catalogue.GUANGDONG:
            per_day = [first_day] + [
                int(first_day * 0.35 * 0.8 ** (d - 1) * rng.uniform(0.85, 1.15))
                for d in range(1, 21)
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
