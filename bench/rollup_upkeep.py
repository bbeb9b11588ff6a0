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
bench/dashboards_bench.py. The rows written stay (a few per run).

    DATABASE_URL=… REDIS_URL=redis://…/14 python bench/rollup_upkeep.py --burst 10

measures a burst instead: K contracts recorded on site at one event in quick
succession (`--gap` seconds apart), with a real Celery worker (one process,
started by this script on REDIS_URL, which is its broker and the portal's
cache), three ways: one recount queued per write (the dashboards' receiver
replaced by one that queues the task for every write, as before recounts were
coalesced), coalesced with IPFIN_ROLLUP_DELAY=0 and coalesced with
IPFIN_ROLLUP_DELAY=5. For each: how many recounts the worker ran, the
seconds it spent in them, the time from the first write until the event's
dashboard shows all K contracts (and from the last write), and until the
worker ended the burst's last recount (free for other events' work). The
Redis database's Celery queue is purged first: give the benchmark one of its
own."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
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
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
RECOUNT = "dashboards.refresh_event_rollups"
# The worker records each recount it ran here, and whether one is running.
RECOUNTS, RUNNING = "bench:rollup-recounts", "bench:rollup-recount-running"


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


def serve_worker() -> None:
    """The burst's Celery worker (run by `--worker`): one process taking the
    tasks one at a time, recording each recount's start and end in Redis."""
    setup_django()
    import redis
    from celery.signals import task_postrun, task_prerun

    from ipfin.celery import app

    # (as root, on a benchmark machine)
    warnings.filterwarnings("ignore", message="You're running the worker with superuser")
    store = redis.Redis.from_url(os.environ["REDIS_URL"])
    started: dict[str, float] = {}

    @task_prerun.connect(weak=False)
    def recount_started(task_id: str, task: Any, **_: Any) -> None:
        if task.name == RECOUNT:
            store.set(RUNNING, 1)
            started[task_id] = time.time()

    @task_postrun.connect(weak=False)
    def recount_ended(task_id: str, task: Any, **_: Any) -> None:
        if task.name == RECOUNT:
            store.rpush(RECOUNTS, json.dumps([started.pop(task_id), time.time()]))
            store.delete(RUNNING)

    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
            f"--hostname=rollup-burst-{os.getpid()}@%h",
        ]
    )


@contextmanager
def one_recount_per_write() -> Iterator[None]:
    """For the block, the dashboards answer each write with a recount of its
    own, queued at once: how they did before recounts were coalesced."""
    from dashboards.receivers import recount_event
    from dashboards.tasks import refresh_event_rollups
    from events.signals import event_figures_changed

    def queue_every_time(*, event_id: int, **_: Any) -> None:
        refresh_event_rollups.delay(event_id)

    event_figures_changed.disconnect(dispatch_uid="dashboards.recount_event")
    event_figures_changed.connect(queue_every_time, dispatch_uid="bench.queue_every_time")
    try:
        yield
    finally:
        event_figures_changed.disconnect(dispatch_uid="bench.queue_every_time")
        event_figures_changed.connect(recount_event, dispatch_uid="dashboards.recount_event")


def burst(writes: Writes, *, k: int, gap: float, redis_url: str) -> None:
    """K contracts at one event, three ways, with a real worker (module doc)."""
    import redis
    from django.conf import settings
    from django.core.cache import cache

    from dashboards.cells import dashboard_figures
    from dashboards.rollups import pending_key
    from dashboards.selectors import Scope
    from ipfin.celery import app

    store = redis.Redis.from_url(redis_url)
    app.control.purge()
    store.delete(RECOUNTS, RUNNING)
    event = writes.parties[0][0]
    scope = Scope(campaign=event.campaign, event=event)

    def shown() -> int:
        return int(dashboard_figures(scope=scope).contracts_signed)

    def quiet() -> bool:
        return cache.get(pending_key(event.pk)) is None and not store.exists(RUNNING)

    worker = subprocess.Popen(
        [sys.executable, __file__, "--worker"],
        env={**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false"},
        stdout=subprocess.DEVNULL,  # its banner
    )
    ways: list[tuple[str, int | None]] = [
        ("one recount per write", None),
        ("coalesced, IPFIN_ROLLUP_DELAY=0", 0),
        ("coalesced, IPFIN_ROLLUP_DELAY=5", 5),
    ]
    print(
        f"\nburst: {k} contracts recorded on site at one event, {gap:g} s apart, "
        "one worker process\n"
        f"\n{'recounts':<34} {'run':>5} {'worker s':>9} {'s each':>7} "
        f"{'shown after first':>18} {'after last':>11} {'worker free after':>18}"
    )
    try:
        for label, delay in ways:
            while not quiet():  # the previous way's recounts end first
                time.sleep(0.5)
            store.delete(RECOUNTS)
            before = shown()
            settings.IPFIN_ROLLUP_DELAY = delay or 0
            with one_recount_per_write() if delay is None else nullcontext():
                first = time.time()
                for _ in range(k):
                    writes.record_onsite(0)()
                    time.sleep(gap)
                last = time.time() - gap
            while shown() < before + k:
                time.sleep(0.2)
            seen = time.time()
            # Every recount the burst queued has run (one per write, or the mark gone).
            while not quiet() or (delay is None and store.llen(RECOUNTS) < k):
                time.sleep(0.5)
            spans = [json.loads(item) for item in store.lrange(RECOUNTS, 0, -1)]
            busy = sum(end - start for start, end in spans)
            print(
                f"{label:<34} {len(spans):5d} {busy:9.1f} {busy / max(1, len(spans)):7.1f} "
                f"{seen - first:16.1f} s {seen - last:9.1f} s "
                f"{max(end for _, end in spans) - first:16.1f} s"
            )
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=40, help="of each kind, each way")
    parser.add_argument(
        "--burst", type=int, default=0, metavar="K", help="measure a burst of K writes instead"
    )
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between the burst's writes")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        serve_worker()
        return
    if args.burst:
        os.environ.setdefault("REDIS_URL", DEFAULT_REDIS)
        os.environ.update(ENVIRONMENT, CELERY_TASK_ALWAYS_EAGER="false")
        setup_django()
        burst(Writes(), k=args.burst, gap=args.gap, redis_url=os.environ["REDIS_URL"])
        return
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
