"""An import through a real Celery worker on Redis (CI's second run).

Skipped without REDIS_URL: the newcomer's run executes tasks in-process."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.files.base import ContentFile

from events.models import Event
from financing.models import Contract
from ipfin.celery import app
from reports.models import Job
from reports.services import job_create
from tests.reports.conftest import CONTRACT_HEADER, bureau_workbook

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)"),
    # The worker reads what the test commits, so the test cannot run inside a transaction.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker():
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        yield


def finished(job: Job, timeout: float = 60.0) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job.pk} still {job.status} at {job.progress}%")


def upload(owner, data: bytes) -> Job:
    return job_create(
        owner=owner,
        kind=Job.Kind.IMPORT,
        params={"language": "en"},
        upload=ContentFile(data, name="bureau.xlsx"),
    )


def test_the_worker_imports_a_bureau_report_and_a_second_run_changes_nothing(
    worker, national, parties
):
    data = bureau_workbook(parties)

    first = finished(upload(national, data))
    assert first.status == Job.Status.DONE, first.errors
    assert Contract.objects.filter(reference__startswith="ZJ-IMP-").count() == 2

    second = finished(upload(national, data))
    assert second.status == Job.Status.DONE
    assert second.summary["contracts"]["unchanged"] == 2
    assert Contract.objects.filter(reference__startswith="ZJ-IMP-").count() == 2


def test_the_worker_refuses_a_file_with_a_bad_row_and_writes_nothing(worker, national, parties):
    contracts = [
        CONTRACT_HEADER,
        [
            "ZJ-W-1",
            "zj-import-station",
            "loan",
            "-5",
            "2020-12-08",
            "",
            parties["institution"].code,
        ],
    ]

    job = finished(upload(national, bureau_workbook(parties, contracts=contracts)))

    assert job.status == Job.Status.FAILED
    assert {(e["row"], e["column"]) for e in job.errors} == {(2, "amount"), (2, "credit_code")}
    assert not Event.objects.filter(slug="zj-import-station").exists()
