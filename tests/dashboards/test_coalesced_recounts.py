"""A burst of writes at one event (a signing ceremony) is recounted once: the
first write queues the event's recount with a countdown, the writes before the
recount starts ride along, and a write after it started queues another. The
figures equal the rows once the queued recounts ran, whatever the cache kept."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from dashboards import rollups
from dashboards.cells import dashboard_figures
from dashboards.receivers import recount_event
from dashboards.rollups import pending_key
from dashboards.selectors import Scope, campaign_figures
from dashboards.tasks import refresh_event_rollups
from events.models import Campaign, Event, Registration
from financing.models import Contract
from tests.rows import first

pytestmark = pytest.mark.django_db


class Queue:
    """Stands in for the broker: what was queued, and a worker to run it."""

    def __init__(self) -> None:
        self.queued: list[tuple[int, Any]] = []

    def apply_async(self, args: tuple[int], countdown: Any = None, **_: Any) -> None:
        self.queued.append((args[0], countdown))

    def run_next(self) -> None:
        event_id, _countdown = self.queued.pop(0)
        refresh_event_rollups.run(event_id)


@pytest.fixture
def queue(monkeypatch) -> Queue:
    queue = Queue()
    monkeypatch.setattr(refresh_event_rollups, "apply_async", queue.apply_async)
    return queue


@pytest.fixture
def ceremony(django_capture_on_commit_callbacks):
    """An event of the demo campaign and a way to record contracts at it,
    each through its service, in its own committed transaction."""
    from accounts.models import User
    from financing.services import contract_record_onsite

    regulator = User.objects.get(email="regulator@example.com")
    campaign = Campaign.objects.get(slug="park-campaign-2020")
    event = first(Event.objects.filter(campaign=campaign, host_province_id="330000"))
    registration = first(
        Registration.objects.filter(event=event, enterprise__isnull=False).exclude(
            status=Registration.Status.CANCELLED
        )
    )
    lender = first(
        Registration.objects.filter(event=event, institution__isnull=False).exclude(
            status=Registration.Status.CANCELLED
        )
    ).institution
    assert lender is not None
    dashboard_figures(scope=Scope(campaign=campaign))  # rolled up on first read
    count = 0

    def record(amount: str = "1000000.00") -> None:
        nonlocal count
        count += 1
        with django_capture_on_commit_callbacks(execute=True):
            contract_record_onsite(
                event=event,
                actor=regulator,
                kind=Contract.Kind.INTENTION,
                amount=Decimal(amount),
                signed_on=timezone.localtime(event.starts_at).date(),
                reference=f"CEREMONY-{count}",
                registration=registration,
                institution=lender,
            )

    return event, record


def scopes(event: Event) -> list[Scope]:
    return [Scope(campaign=event.campaign), Scope(campaign=event.campaign, event=event)]


def assert_figures_equal_rows(event: Event) -> None:
    for scope in scopes(event):
        assert dashboard_figures(scope=scope) == campaign_figures(scope=scope), scope


def test_a_burst_of_writes_at_one_event_queues_one_recount(queue, ceremony, settings):
    settings.IPFIN_ROLLUP_DELAY = 7
    event, record = ceremony
    before = dashboard_figures(scope=Scope(campaign=event.campaign, event=event))

    for _ in range(5):
        record("1000000.00")

    assert queue.queued == [(event.pk, 7)]
    queue.run_next()
    after = dashboard_figures(scope=Scope(campaign=event.campaign, event=event))
    assert after.contracts_signed - before.contracts_signed == 5
    assert after.intention_amount - before.intention_amount == Decimal("5000000.00")
    assert_figures_equal_rows(event)
    assert cache.get(pending_key(event.pk)) is None


def test_a_write_once_the_recount_started_queues_another(queue, ceremony, monkeypatch):
    event, record = ceremony
    record()
    assert len(queue.queued) == 1

    # A write commits after the recount cleared the mark and before it reads.
    real: Callable[..., None] = rollups.refresh_for_event

    def write_meanwhile(*, event_id: int) -> None:
        record("2500000.00")
        real(event_id=event_id)

    monkeypatch.setattr(rollups, "refresh_for_event", write_meanwhile)
    queue.run_next()
    monkeypatch.setattr(rollups, "refresh_for_event", real)

    assert queue.queued == [(event.pk, 5)]
    queue.run_next()
    assert_figures_equal_rows(event)
    # ... and a write after the last recount queues again.
    record()
    assert len(queue.queued) == 1


def test_the_writes_at_another_event_queue_their_own_recount(queue, ceremony):
    event, record = ceremony
    other = first(
        Event.objects.filter(campaign=event.campaign, status=Event.Status.PUBLISHED).exclude(
            pk=event.pk
        )
    )

    record()
    recount_event(event_id=other.pk)  # what the other event's write announces
    record()

    assert sorted(queue.queued) == sorted([(event.pk, 5), (other.pk, 5)])


def test_a_cache_that_loses_the_mark_costs_a_recount_more_and_nothing_else(queue, ceremony):
    event, record = ceremony
    record("1000000.00")
    cache.clear()  # evicted, or Redis restarted
    record("3000000.00")

    assert len(queue.queued) == 2
    queue.run_next()
    assert_figures_equal_rows(event)
    queue.run_next()  # finds nothing new
    assert_figures_equal_rows(event)


def test_a_mark_left_by_a_lost_recount_expires(queue, ceremony, settings):
    event, record = ceremony
    record()
    queue.queued.clear()  # the broker lost it
    record()
    assert queue.queued == []  # still marked pending: the nightly rebuild repairs

    cache.delete(pending_key(event.pk))  # what the mark's expiry does
    record()
    assert queue.queued == [(event.pk, 5)]
    queue.run_next()
    assert_figures_equal_rows(event)


def test_with_tasks_in_process_the_dashboard_follows_every_write(ceremony):
    """`make run` and the tests: no worker, the recount runs at each commit."""
    event, record = ceremony
    for amount in ("1000000.00", "2000000.00", "3000000.00"):
        before = dashboard_figures(scope=Scope(campaign=event.campaign, event=event))
        record(amount)
        after = dashboard_figures(scope=Scope(campaign=event.campaign, event=event))
        assert after.intention_amount - before.intention_amount == Decimal(amount)
        assert_figures_equal_rows(event)
        assert cache.get(pending_key(event.pk)) is None
