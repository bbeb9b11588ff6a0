"""A worker process killed with SIGKILL in the middle of a PDF report: the
worker gives its task back, the next delivery takes the job over and the
report is made once (CI's second run, PostgreSQL and Redis).

The worker is a real `celery worker` process, so its pool process can be
killed; it reads the test's database and Redis database from the settings
passed on in its environment."""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.conf import settings
from django.db import connection

from reports.models import Job
from reports.services import job_create
from tests.workers import celery_worker

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

@pytest.fixture
def worker_process():
    # Prefork: the test kills the process that runs the job, not the worker.
    with celery_worker(
        "killed", pool="prefork", environment={"MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    ) as process:
        yield process


def wait_for(job: Job, done, timeout: float = 45.0) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if done(job):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job.pk}: {job.status} at {job.progress}%, attempt {job.attempts}")


def test_a_report_whose_worker_process_is_killed_is_made_once_by_the_next(worker_process, national):
    job = job_create(
        owner=national,
        kind=Job.Kind.REPORT,
        params={"campaign": "park-campaign-2020", "language": "en"},
    )
    running = wait_for(job, lambda j: j.status == Job.Status.RUNNING)
    pid = int(running.worker.rpartition(":")[2])

    os.kill(pid, signal.SIGKILL)

    done = wait_for(job, lambda j: j.finished)
    assert done.status == Job.Status.DONE, done.message
    assert done.attempts == 2
    assert done.result.read(5) == b"%PDF-"
    assert list(done.history.values_list("from_status", "to_status")) == [
        ("", "queued"),
        ("queued", "running"),
        ("running", "running"),
        ("running", "done"),
    ]
