"""A job's status moves only forward, once, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.exceptions import Conflict
from reports.models import Job
from reports.services import job_fail, job_finish, job_progress, job_restart, job_start
from reports.tasks import fail_stalled_jobs, run_job

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


def test_the_sweep_restarts_jobs_that_lost_their_worker_and_fails_them_after_their_attempts(
    national, monkeypatch
):
    from reports import tasks
    from reports.services import LEASE, MAX_ATTEMPTS
    from tests.factories import UserFactory

    hour_ago = timezone.now() - dt.timedelta(minutes=61)
    stale = timezone.now() - LEASE - dt.timedelta(seconds=1)
    english = UserFactory(language="en")
    exhausted = job_start(
        job=Job.objects.create(owner=english, kind=Job.Kind.REPORT, attempts=MAX_ATTEMPTS - 1)
    )
    Job.objects.filter(pk=exhausted.pk).update(started_at=hour_ago, heartbeat_at=stale)
    lost_once = job_start(job=Job.objects.create(owner=national, kind=Job.Kind.REPORT))
    Job.objects.filter(pk=lost_once.pk).update(heartbeat_at=stale)
    queued_long = Job.objects.create(owner=UserFactory(language="zh-hans"), kind=Job.Kind.IMPORT)
    Job.objects.filter(pk=queued_long.pk).update(created_at=hour_ago)
    # Started an hour ago, but its worker is alive: it is left to run.
    running_long = job_start(job=Job.objects.create(owner=national, kind=Job.Kind.REPORT))
    Job.objects.filter(pk=running_long.pk).update(started_at=hour_ago)
    queued_now = Job.objects.create(owner=national, kind=Job.Kind.IMPORT)
    done_long_ago = job_start(job=Job.objects.create(owner=national, kind=Job.Kind.IMPORT))
    job_finish(job=done_long_ago, message="Done")
    Job.objects.filter(pk=done_long_ago.pk).update(
        created_at=hour_ago, started_at=hour_ago, heartbeat_at=hour_ago
    )
    handed_back: list[int] = []
    monkeypatch.setattr(tasks.run_job, "delay", handed_back.append)

    assert fail_stalled_jobs() == 2

    mine = [exhausted, lost_once, queued_long, running_long, queued_now, done_long_ago]
    statuses = dict(Job.objects.filter(pk__in=[j.pk for j in mine]).values_list("pk", "status"))
    assert statuses == {
        exhausted.pk: Job.Status.FAILED,
        lost_once.pk: Job.Status.RUNNING,
        queued_long.pk: Job.Status.FAILED,
        running_long.pk: Job.Status.RUNNING,
        queued_now.pk: Job.Status.QUEUED,
        done_long_ago.pk: Job.Status.DONE,
    }
    assert handed_back == [lost_once.pk]  # a worker takes it over
    assert "Try again" in Job.objects.get(pk=exhausted.pk).message
    assert "重试" in Job.objects.get(pk=queued_long.pk).message
    handed_back.clear()
    assert fail_stalled_jobs() == 0


def test_every_periodic_task_names_a_task_the_workers_know():
    from django.conf import settings

    from ipfin.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert scheduled == {
        "reports.fail_stalled_jobs",
        "dashboards.rebuild_rollups",
        "organisations.expire_invitations",
        "ops.record_heartbeat",
    }
    assert scheduled <= set(app.tasks)


def test_a_job_given_up_on_while_it_ran_stays_failed_when_its_worker_ends(national, monkeypatch):
    from reports import runners
    from reports.services import LEASE, MAX_ATTEMPTS, jobs_fail_stalled

    # Its last attempt: the sweep gives up on it once its heartbeat is stale.
    job = Job.objects.create(owner=national, kind=Job.Kind.REPORT, attempts=MAX_ATTEMPTS - 1)

    def slow_report(running: Job):
        Job.objects.filter(pk=running.pk).update(
            heartbeat_at=timezone.now() - LEASE - dt.timedelta(seconds=1)
        )
        assert jobs_fail_stalled() == 1
        return runners.Outcome(message="Done", summary={})

    monkeypatch.setitem(runners.RUNNERS, Job.Kind.REPORT, slow_report)

    assert run_job(job.pk) is False
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.result.name == ""


# --- the job workflow: the portal's own moves, each with its history row


def _history(job: Job) -> list[tuple[str, str, int | None]]:
    return list(job.history.values_list("from_status", "to_status", "actor"))


def test_the_workflow_follows_the_specification():
    from reports.workflows import JOB

    S = Job.Status
    assert JOB.moves() == {
        S.QUEUED: {S.RUNNING, S.FAILED},
        S.RUNNING: {S.RUNNING, S.DONE, S.FAILED},
        S.DONE: set(),
        S.FAILED: set(),
    }
    assert JOB.services == {
        "start": job_start,
        "restart": job_restart,
        "finish": job_finish,
        "fail": job_fail,
    }


def test_a_job_keeps_who_asked_for_it_and_the_worker_s_moves_without_an_actor(
    national, django_capture_on_commit_callbacks
):
    from reports.services import job_create

    with django_capture_on_commit_callbacks(execute=True):  # the worker, in-process
        job = job_create(owner=national, kind=Job.Kind.REPORT, params={"event": "gone"})

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert _history(job) == [
        ("", Job.Status.QUEUED, national.pk),
        (Job.Status.QUEUED, Job.Status.RUNNING, None),
        (Job.Status.RUNNING, Job.Status.FAILED, None),
    ]


def test_a_finished_job_is_refused_with_the_one_move_code_and_no_history_row(national):
    job = job_start(job=Job.objects.create(owner=national, kind=Job.Kind.IMPORT))
    job_finish(job=job, message="Done")

    with pytest.raises(Conflict) as refusal:
        job_start(job=job)

    assert refusal.value.code == "move_not_allowed"
    assert "Done" in refusal.value.message
    assert _history(job)[-1] == (Job.Status.RUNNING, Job.Status.DONE, None)
    assert len(_history(job)) == 2


def test_nobody_but_the_portal_moves_a_job(national):
    from django.core.exceptions import PermissionDenied

    job = Job.objects.create(owner=national, kind=Job.Kind.IMPORT)

    with pytest.raises(PermissionDenied):
        job_fail(job=job, actor=national, message="Mine")

    job.refresh_from_db()
    assert (job.status, job.history.count()) == (Job.Status.QUEUED, 0)


def test_the_sweep_fails_a_stalled_job_as_the_portal(national):
    job = Job.objects.create(owner=national, kind=Job.Kind.IMPORT)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))

    assert fail_stalled_jobs() == 1

    assert _history(job) == [(Job.Status.QUEUED, Job.Status.FAILED, None)]
