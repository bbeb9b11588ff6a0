"""Loads the 2020 "entering the park" campaign as demo data (README.md).

The seed is first *planned* in plain Python (`plan.build_plan`, from the
catalogues under `demo/data` and one `random.Random(2020)` drawn in a fixed
order), and only then *written* (the `write_*` modules). The plan never looks at
the database (ids differ between SQLite and PostgreSQL, and between a first and
a second run), so every run plans the same rows. Writes are upserts on natural
keys and many-to-many links are synchronised exactly (`write`), so a second run
changes nothing.

The figures the campaign report gives (22 activities, 53 parks, 1,400
enterprises, 226 institutions, 470,000 participants, 710 million yuan …) are
not stored anywhere: they come out of these rows through
`dashboards.selectors.campaign_figures`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import transaction

from demo.data import campaign as catalogue
from demo.data import knowledge
from demo.seed.common import DEMO_ENTERPRISE_PARK
from demo.seed.plan import build_plan
from demo.seed.write_contracts import write_contracts, write_meetings, write_registrations
from demo.seed.write_enterprises import write_assets, write_enterprises
from demo.seed.write_events import write_campaign, write_events, write_products
from demo.seed.write_joining import write_joining
from demo.seed.write_knowledge import write_knowledge
from demo.seed.write_organisations import (
    write_institutions,
    write_invitation,
    write_offices,
    write_parks,
    write_users,
)
from search.services import index_rebuild

__all__ = ["SeedReport", "row_counts", "seed_campaign"]

Log = Callable[[str], None]


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
        offices = write_offices()
        parks = write_parks()
        institutions = write_institutions()
        say(
            f"Organisations: {len(offices)} offices, {len(parks)} parks, "
            f"{len(institutions)} institutions."
        )
        enterprises = write_enterprises(plan, parks)
        asset_count, appraisal_count = write_assets(plan, enterprises)
        say(
            f"Enterprises: {len(enterprises):,} with {asset_count:,} IP assets "
            f"and {appraisal_count:,} appraisals."
        )
        users = write_users(
            password,
            offices=offices,
            institutions=institutions,
            enterprise=enterprises[plan.demo_enterprise],
            park=parks[DEMO_ENTERPRISE_PARK],
        )
        users |= write_joining(
            password=password,
            park=parks[DEMO_ENTERPRISE_PARK],
            demo_enterprise=enterprises[plan.demo_enterprise],
        )
        say(f"Demo accounts: {', '.join(users)}.")
        write_invitation(institutions, users)
        products = write_products(plan, institutions)
        campaign = write_campaign(offices)
        events = write_events(plan, campaign, parks, offices, products, users)
        say(f"Campaign {catalogue.CAMPAIGN_SLUG}: {len(products)} products, {len(events)} events.")
        registrations = write_registrations(plan, events, enterprises, institutions, users)
        meetings = write_meetings(plan, events, enterprises, institutions)
        write_contracts(
            plan, events, enterprises, institutions, products, registrations, meetings, users
        )
        say(
            f"Registrations: {len(registrations):,}; meetings: {len(meetings)}; "
            f"contracts: {len(plan.contracts)}."
        )
        write_knowledge(plan, campaign, offices, parks, institutions, events)
        say(
            f"Knowledge: {len(knowledge.POLICIES)} policies, {len(knowledge.CASES)} cases, "
            f"{len(knowledge.COLLECTIONS)} collections, {len(plan.trainings)} trainings, "
            f"{len(plan.media)} media reports, {len(knowledge.AGREEMENTS)} agreements."
        )
    # The seed writes in bulk, which sends no signals: the search index is
    # brought up to date once, at the end.
    index_rebuild()
    say("Search index up to date.")
    return SeedReport(counts=row_counts(), seconds=time.perf_counter() - started)


def row_counts() -> dict[str, int]:
    """Rows of every model of the portal's apps, many-to-many tables included."""
    counts = {}
    for label in settings.PORTAL_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            counts[model._meta.label] = model._default_manager.count()
    return counts
