"""A signing ceremony with a real worker (CI's second run, PostgreSQL and
Redis): the contracts recorded in a row at one event queue one recount, the
worker runs it after the delay and clears the event's mark in the shared
cache, and the dashboard then shows every contract; the next write queues
the next recount.

The worker is a real `celery worker` process reading the test's database and
Redis database from the settings passed on in its environment."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from dashboards.cells import dashboard_figures
from dashboards.rollups import pending_key
from dashboards.selectors import Scope, campaign_figures
from dashboards.tasks import refresh_event_rollups
from events.models import Campaign, Event, Registration
from financing.models import Contract
from tests.rows import first
from tests.workers import celery_worker

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

@pytest.fixture
def worker_process():
    with celery_worker("recounts") as process:
        yield process


def wait_for(done: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():
            return
        time.sleep(0.1)
    raise AssertionError("the dashboard did not catch up with the rows")


def test_a_ceremony_at_one_event_is_recounted_once_by_the_worker(
    worker_process, monkeypatch, settings
):
    from accounts.models import User
    from financing.services import contract_record_onsite

    settings.IPFIN_ROLLUP_DELAY = 2
    queued: list[Any] = []
    real = refresh_event_rollups.apply_async

    def spy(*args: Any, **kwargs: Any) -> Any:
        queued.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(refresh_event_rollups, "apply_async", spy)
    regulator = User.objects.get(email="regulator@example.com")
    campaign = Campaign.objects.get(slug="park-campaign-2020")
    event = first(Event.objects.filter(campaign=campaign, host_province_id="330000"))
    active = Registration.objects.filter(event=event).exclude(status=Registration.Status.CANCELLED)
    registration = first(active.filter(enterprise__isnull=False))
    lender = first(active.filter(institution__isnull=False)).institution
    assert lender is not None
    scope = Scope(campaign=campaign, event=event)
    before = dashboard_figures(scope=scope).contracts_signed

    def record(n: int) -> None:
        contract_record_onsite(
            event=event,
            actor=regulator,
            kind=Contract.Kind.INTENTION,
            amount=Decimal("1000000.00"),
            signed_on=timezone.localtime(event.starts_at).date(),
            reference=f"WORKER-CEREMONY-{n}",
            registration=registration,
            institution=lender,
        )

    for n in range(5):
        record(n)

    assert len(queued) == 1
    wait_for(lambda: dashboard_figures(scope=scope).contracts_signed == before + 5)
    assert dashboard_figures(scope=scope) == campaign_figures(scope=scope)
    wait_for(lambda: cache.get(pending_key(event.pk)) is None)

    record(5)

    assert len(queued) == 2
    wait_for(lambda: dashboard_figures(scope=scope).contracts_signed == before + 6)
    assert dashboard_figures(scope=Scope(campaign=campaign)) == campaign_figures(
        scope=Scope(campaign=campaign)
    )
