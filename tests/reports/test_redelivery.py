"""A job whose worker died mid-way: the broker delivers its task again, and
the next delivery takes the job over from its stale heartbeat and finishes
it once; after its attempts it fails and its owner is told (README, "Long
work"). Tasks run in-process: a redelivery is `run_job` called again on a
job left running, as the dead worker left it."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess

import pytest
from django.utils import timezone

from accounts.models import Notification
from core.exceptions import Conflict
from reports import runners
from reports.models import Job
from reports.services import (
    LEASE,
    MAX_ATTEMPTS,
    job_finish,
    job_progress,
    job_restart,
    job_start,
)
from reports.tasks import fail_stalled_jobs, run_job

pytestmark = pytest.mark.django_db

STALE = LEASE + dt.timedelta(seconds=1)


@pytest.fixture
def report_runs(monkeypatch) -> list[int]:
    """The PDF runner, replaced by one that records each run and returns a small file."""
    runs: list[int] = []

    def report(job: Job) -> runners.Outcome:
        runs.append(job.pk)
        job_progress(job=job, progress=50, message="Halfway")
        return runners.Outcome(
            message="The report is ready.", result_name="report.pdf", result=b"%PDF-1.7 one"
        )

    monkeypatch.setitem(runners.RUNNERS, Job.Kind.REPORT, report)
    return runs


def left_by_a_dead_worker(owner, *, attempts: int = 1, beat_ago: dt.timedelta = STALE) -> Job:
    """A report whose worker died at 70 %: running, its heartbeat as old as `beat_ago`."""
    job = job_start(
        job=Job.objects.create(owner=owner, kind=Job.Kind.REPORT, attempts=attempts - 1)
    )
    job_progress(job=job, progress=70, message="Laying out the PDF…")
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - beat_ago)
    return job


def test_a_redelivered_task_takes_over_a_job_whose_worker_died_and_finishes_it(
    national, report_runs
):
    job = left_by_a_dead_worker(national)

    assert run_job(job.pk) is True

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.attempts == 2
    assert job.progress == 100
    assert job.result.read() == b"%PDF-1.7 one"
    assert report_runs == [job.pk]
    assert list(job.history.values_list("from_status", "to_status")) == [
        ("queued", "running"),
        ("running", "running"),  # taken over
        ("running", "done"),
    ]
    # Once done, a further delivery runs nothing.
    assert run_job(job.pk) is False
    assert report_runs == [job.pk]


def test_a_second_delivery_while_the_worker_is_alive_does_not_run_the_job_twice(
    national, report_runs
):
    job = left_by_a_dead_worker(national, beat_ago=dt.timedelta(seconds=5))

    assert run_job(job.pk) is False

    job.refresh_from_db()
    assert report_runs == []
    assert (job.status, job.attempts, job.progress) == (Job.Status.RUNNING, 1, 70)


def test_a_task_given_back_by_a_killed_worker_process_takes_the_job_over_at_once(
    national, report_runs
):
    """A worker process killed (SIGKILL, out of memory): the worker gives its
    task back at once, long before the heartbeat is stale; the job names a
    process of this host that is gone."""
    killed = subprocess.Popen(["true"])
    killed.wait()
    job = left_by_a_dead_worker(national, beat_ago=dt.timedelta(seconds=5))
    Job.objects.filter(pk=job.pk).update(worker=f"{socket.gethostname()}:{killed.pid}")

    assert run_job(job.pk) is True

    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.DONE, 2)
    assert report_runs == [job.pk]


def test_the_worker_that_was_taken_over_cannot_finish_or_report_progress(national):
    first = left_by_a_dead_worker(national)
    second = job_restart(job=first)
    job_finish(job=second, message="Done", result_name="report.pdf", result=b"second")

    job_progress(job=first, progress=90, message="late")
    with pytest.raises(Conflict):
        job_finish(job=first, message="Done too", result_name="report.pdf", result=b"first")

    second.refresh_from_db()
    assert (second.status, second.message, second.progress) == (Job.Status.DONE, "Done", 100)
    assert second.result.read() == b"second"
    assert second.history.filter(to_status=Job.Status.DONE).count() == 1


def test_the_last_attempt_lost_fails_and_tells_the_owner_once_in_their_language(
    national, report_runs, mailoutbox, django_capture_on_commit_callbacks
):
    national.language = "zh-hans"
    national.save(update_fields=["language"])
    job = left_by_a_dead_worker(national, attempts=MAX_ATTEMPTS)

    with django_capture_on_commit_callbacks(execute=True):
        assert run_job(job.pk) is False
        assert run_job(job.pk) is False  # delivered once more: nothing new

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert report_runs == []
    notification = Notification.objects.get(recipient=national, kind="job-failed")
    assert notification.subject == "您的PDF 报告未能完成"
    assert notification.link == f"/reports/jobs/{job.pk}/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [national.email]
    assert "后台进程先后中断 3 次" in mailoutbox[0].body
    assert f"/zh-hans/reports/jobs/{job.pk}/" in mailoutbox[0].body


def test_the_sweep_fails_a_job_after_its_attempts_and_mails_its_owner_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    english = UserFactory(language="en")
    job = left_by_a_dead_worker(english, attempts=MAX_ATTEMPTS)

    with django_capture_on_commit_callbacks(execute=True):
        assert fail_stalled_jobs() == 1
        assert fail_stalled_jobs() == 0

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "its worker was lost" in job.message
    assert Notification.objects.filter(recipient=english).count() == 1
    assert [mail.subject for mail in mailoutbox] == ["Your PDF report did not finish"]
    assert "lost 3 times" in mailoutbox[0].body


def test_the_job_page_says_in_chinese_that_the_worker_stopped_and_which_attempt_runs(
    client, national
):
    national.language = "zh-hans"
    national.save(update_fields=["language"])
    job = left_by_a_dead_worker(national)
    job_restart(job=job)
    client.force_login(national)

    page = client.get(f"/zh-hans/reports/jobs/{job.pk}/").content.decode()

    assert "后台进程已中断，正在重新运行（第 2 次，共 3 次）" in page
    assert "第 2 次尝试，共 3 次" in page
