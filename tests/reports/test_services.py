"""A job's status moves only forward, once, through the services."""

from __future__ import annotations

import pytest

from core.exceptions import Conflict
from reports.models import Job
from reports.services import job_fail, job_finish, job_progress, job_start
from reports.tasks import run_job

pytestmark = pytest.mark.django_db


def test_a_job_runs_once_even_when_its_task_arrives_twice(national):
    job = Job.objects.create(owner=national, kind=Job.Kind.REPORT, params={"event": "gone"})

    assert run_job(job.pk) is False  # the event is not there: it fails, with a reason
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    finished = job.finished_at

    assert run_job(job.pk) is False
    job.refresh_from_db()
    assert job.finished_at == finished


def test_a_finished_job_cannot_start_or_finish_again(national):
    job = job_start(job=Job.objects.create(owner=national, kind=Job.Kind.IMPORT))
    job_finish(job=job, message="Done")

    with pytest.raises(Conflict):
        job_start(job=job)
    with pytest.raises(Conflict):
        job_fail(job=job, message="late")
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.DONE, "Done")


def test_progress_is_kept_within_0_and_100_and_only_while_running(national):
    job = Job.objects.create(owner=national, kind=Job.Kind.IMPORT)

    job_progress(job=job, progress=50, message="half")
    job.refresh_from_db()
    assert job.progress == 0  # still queued: nothing moves

    job = job_start(job=job)
    job_progress(job=job, progress=140, message="over")
    job.refresh_from_db()
    assert (job.progress, job.message) == (100, "over")


def test_a_job_of_someone_who_is_no_longer_a_regulator_fails(
    national, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    job = Job.objects.create(
        owner=UserFactory(language="en"),
        kind=Job.Kind.REPORT,
        params={"campaign": "park-campaign-2020"},
    )

    run_job(job.pk)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "Only regulators" in job.message
