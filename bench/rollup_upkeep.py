"""What keeping the dashboard's rollups current costs each write, on the
benchmark campaign of bench/generate_dashboards.py (1,000,000 contracts).

    DATABASE_URL=postgres://…/ipfin_bench_dash python bench/rollup_upkeep.py

Two writes that move an event's figures, each made N times with the rollups
kept current and N times without, interleaved so both meet the same load:

- an application moves through the workflow: its bank signs the loan
  contract of an application that came from an event registration
  (`application_sign_contract`), so the contract counts for that event;
- a contract is recorded on site at the event (`contract_record_onsite`).

With the rollups kept current, the write announces `event_figures_changed`
after commit and the dashboards recount that event (dashboards.receivers);
without, the dashboards' receiver is disconnected. Here the recount runs in
this process when the write commits (Celery eager, no REDIS_URL), so the
figures are the whole work a write causes; in production the recount runs on
a worker and the request pays only for queueing it. After the run every
touched event is recounted, so the rollups stay equal to the rows for
bench/dashboards_bench.py. The rows written stay (a few per run)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from common import setup_django
from generate_dashboards import BENCH_CAMPAIGN

ENVIRONMENT = {
    "CELERY_TASK_ALWAYS_EAGER": "true",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "LOG_LEVEL": "WARNING",
}
EVENTS = 5  # the writes go round this many of the campaign's events


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@contextmanager
def upkeep(on: bool) -> Iterator[None]:
    """The dashboards' receiver connected (as always) or, for the block, not."""
    from dashboards.receivers import recount_event
    from events.signals import event_figures_changed

    if on:
        yield
        return
    event_figures_changed.disconnect(dispatch_uid="dashboards.recount_event")
    try:
        yield
    finally:
        event_figures_changed.connect(recount_event, dispatch_uid="dashboards.recount_event")


class Writes:
    """The parties of the writes: per event, an enterprise's registration, an
    institution registered there, its officer and one of its products."""

    def __init__(self) -> None:
        from accounts.models import User
        from events.meeting_selectors import ACTIVE_REGISTRATION
        from events.models import Campaign, Event, Registration
        from products.models import InstitutionMembership, Product

        campaign = Campaign.objects.get(slug=BENCH_CAMPAIGN)
        self.officer, _ = User.objects.get_or_create(
            email="upkeep@bench.example", defaults={"full_name": "Rollup upkeep benchmark"}
        )
        self.run = uuid.uuid4().hex[:8]
        self.count = 0
        self.parties: list[tuple[Any, Any, Any, Any]] = []
        for event in Event.objects.filter(campaign=campaign).order_by("pk")[:EVENTS]:
            active = Registration.objects.filter(event=event, status__in=ACTIVE_REGISTRATION)
            lender = active.filter(institution__isnull=False).select_related("institution").first()
            registration = active.filter(enterprise__isnull=False).order_by("pk").first()
            if lender is None or registration is None:
                continue
            institution = lender.institution
            InstitutionMembership.objects.get_or_create(user=self.officer, institution=institution)
            product = Product.objects.filter(institution=institution).order_by("pk").first()
            if product is None:
                continue
            self.parties.append((event, registration, institution, product))
        if not self.parties:
            raise SystemExit("The benchmark campaign is incomplete: run generate_dashboards.py.")

    def reference(self) -> str:
        self.count += 1
        return f"UPKEEP-{self.run}-{self.count:05d}"

    def sign_contract(self, n: int) -> Callable[[], Any]:
        """An approved application from an event registration (made directly,
        untimed); the timed write is its bank signing the contract."""
        from financing.models import Application
        from financing.services import application_sign_contract

        _, registration, institution, product = self.parties[n % len(self.parties)]
        now = dt.datetime.now(dt.UTC)
        application = Application.objects.create(
            enterprise_id=registration.enterprise_id,
            product=product,
            institution=institution,
            amount_requested=Decimal("1000000.00"),
            term_months=12,
            amount_approved=Decimal("1000000.00"),
            status=Application.Status.APPROVED,
            source_registration=registration,
            submitted_at=now,
            decided_at=now,
        )
        reference = self.reference()
        return lambda: application_sign_contract(
            application=application,
            actor=self.officer,
            amount=Decimal("800000.00"),
            signed_on=dt.date.today(),
            reference=reference,
        )

    def record_onsite(self, n: int) -> Callable[[], Any]:
        from django.utils import timezone

        from financing.models import Contract
        from financing.services import contract_record_onsite

        event, registration, institution, product = self.parties[n % len(self.parties)]
        reference = self.reference()
        return lambda: contract_record_onsite(
            event=event,
            actor=self.officer,
            kind=Contract.Kind.INTENTION,
            amount=Decimal("500000.00"),
            signed_on=timezone.localdate(event.starts_at),
            reference=reference,
            registration=registration,
            institution=institution,
            product=product,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=40, help="of each kind, each way")
    args = parser.parse_args()
    os.environ.pop("REDIS_URL", None)
    os.environ.update(ENVIRONMENT)
    setup_django()
    from django.db import connection

    from dashboards.rollups import refresh_for_event

    writes = Writes()
    kinds: dict[str, Callable[[int], Callable[[], Any]]] = {
        "application signs its contract": writes.sign_contract,
        "contract recorded on site": writes.record_onsite,
    }
    print(
        f"\nrollup upkeep per write: {args.writes} writes of each kind each way, interleaved, "
        f"over {len(writes.parties)} events of the benchmark campaign"
    )
    print(
        f"\n{'write':<32} {'without rollups':>17} {'with rollups':>17} {'ratio':>7} "
        f"{'upkeep':>9}\n{'':<32} {'p50 / p95 ms':>17} {'p50 / p95 ms':>17} {'p50':>7} "
        f"{'p50 ms':>9}"
    )
    for label, make in kinds.items():
        times: dict[bool, list[float]] = {True: [], False: []}
        for n in range(args.writes + 1):  # the first round warms up
            for on in (n % 2 == 0, n % 2 == 1):  # which goes first alternates
                write = make(n)
                with upkeep(on):
                    started = time.perf_counter()
                    write()
                    elapsed = (time.perf_counter() - started) * 1000
                if n:
                    times[on].append(elapsed)
        off, on_ = times[False], times[True]
        p50_off, p50_on = statistics.median(off), statistics.median(on_)
        print(
            f"{label:<32} {p50_off:7.1f} / {percentile(off, 95):7.1f} "
            f"{p50_on:7.1f} / {percentile(on_, 95):7.1f} {p50_on / p50_off:7.2f} "
            f"{p50_on - p50_off:9.1f}"
        )
    for event, *_ in writes.parties:  # the writes made without upkeep left these stale
        refresh_for_event(event_id=event.pk)
    connection.close()


if __name__ == "__main__":
    main()
