"""The whole plan: every row the seed writes, decided in plain Python from the
catalogues under `demo/data` and one `random.Random(2020)`, without touching the
database."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from demo.data import knowledge
from demo.seed.common import SEED
from demo.seed.plan_contracts import ContractPlan, MeetingPlan, plan_contracts
from demo.seed.plan_enterprises import (
    AssetPlan,
    EnterprisePlan,
    demo_enterprise,
    plan_assets,
    plan_enterprises,
)
from demo.seed.plan_events import EventPlan, RegistrationPlan, plan_events, plan_registrations
from demo.seed.plan_knowledge import MediaPlan, plan_downloads, plan_media, plan_trainings
from demo.seed.plan_products import ProductPlan, plan_products


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
    plan.products = plan_products(rng)
    plan.enterprises = plan_enterprises(rng)
    plan.demo_enterprise = demo_enterprise(plan.enterprises).credit_code
    plan.assets = plan_assets(rng, plan.enterprises, plan.demo_enterprise)
    plan.events = plan_events(rng, plan.products)
    plan.registrations = plan_registrations(
        rng,
        products=plan.products,
        enterprises=plan.enterprises,
        demo_enterprise=plan.demo_enterprise,
        events=plan.events,
    )
    plan.meetings, plan.contracts = plan_contracts(
        rng,
        products=plan.products,
        enterprises=plan.enterprises,
        demo_enterprise=plan.demo_enterprise,
        assets=plan.assets,
        events=plan.events,
        registrations=plan.registrations,
    )
    plan.trainings = plan_trainings(rng)
    plan.media = plan_media(rng, plan.events)
    plan.downloads = plan_downloads(rng)
    return plan
