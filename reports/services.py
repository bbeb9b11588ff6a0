"""Writes for jobs: asking for one, and every move of its status.

The worker calls `job_start`, then `job_progress` as it goes, and ends with
`job_finish` or `job_fail`. Each move goes through the declared workflow
(`reports.workflows.JOB`): it locks the row, checks the move and writes a
history row, so a duplicated task cannot run a job twice. The worker and the
stalled-job sweep move jobs as the portal itself (no actor)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.workflow import MoveNotAllowed
from reports.models import Job
from reports.workflows import JOB

MESSAGE_LENGTH = Job._meta.get_field("message").max_length


def job_language(job: Job) -> str:
    """What a job's messages are written in: the language it was asked in, else its owner's."""
    return job.params.get("language") or job.owner.language


@transaction.atomic
def job_create(
    *,
    owner: User,
    kind: str,
    params: Mapping[str, Any] | None = None,
    upload: File | None = None,
) -> Job:
    """A queued job; the worker is asked to run it once the row is committed."""
    from reports.tasks import run_job

    job = Job(owner=owner, kind=kind, params=dict(params or {}), message=_("Waiting to start…"))
    if upload is not None:
        name = str(getattr(upload, "name", "") or "upload").rsplit("/", 1)[-1]
        job.upload_name = name[:255]
        job.upload.save(name, upload, save=False)
    job.full_clean(exclude=["upload", "result"])
    job.save()
    JOB.created(job, actor=owner)
    transaction.on_commit(lambda: run_job.delay(job.pk))
    return job


@JOB.performs("start")
def job_start(*, job: Job, actor: User | None = None) -> Job:
    """The worker takes a queued job. Refused (MoveNotAllowed) when another
    task has taken it already."""
    with JOB.move(job, action="start", actor=actor) as change:
        change.set(started_at=timezone.now(), progress=0, message=_("Started."))
    return change.obj


def job_progress(*, job: Job, progress: int, message: str = "") -> None:
    """Record how far a running job has come (0–100). A plain update: the
    page polling the job reads it at once, and it never moves the status."""
    progress = max(0, min(100, int(progress)))
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        progress=progress, message=message[:MESSAGE_LENGTH]
    )
    job.progress, job.message = progress, message[:MESSAGE_LENGTH]


@JOB.performs("finish")
def job_finish(
    *,
    job: Job,
    message: str,
    actor: User | None = None,
    summary: Mapping[str, Any] | None = None,
    result_name: str = "",
    result: bytes | None = None,
) -> Job:
    """The worker is done: the outcome's message, summary and result file.
    Refused when the job was given up on meanwhile; then no file is kept."""
    with JOB.move(job, action="finish", actor=actor) as change:
        if result is not None:
            change.obj.result.save(result_name, ContentFile(result), save=False)
            change.set(result=change.obj.result)
        change.set(
            progress=100,
            message=message[:MESSAGE_LENGTH],
            summary=dict(summary or {}),
            finished_at=timezone.now(),
        )
    return change.obj


@JOB.performs("fail")
def job_fail(
    *,
    job: Job,
    message: str,
    actor: User | None = None,
    errors: Iterable[Mapping[str, Any]] = (),
) -> Job:
    """The job ends without an outcome: the reason, and every problem found."""
    with JOB.move(job, action="fail", actor=actor) as change:
        change.set(
            message=message[:MESSAGE_LENGTH],
            errors=[dict(error) for error in errors],
            finished_at=timezone.now(),
        )
    return change.obj


# No job takes this long: one still queued or running after it lost its
# worker (a crash or a restart) and would otherwise wait forever.
STALLED_AFTER = dt.timedelta(hours=1)


def jobs_fail_stalled(*, after: dt.timedelta = STALLED_AFTER) -> int:
    """Fail the jobs asked for or started more than `after` ago that never
    ended, telling their owners (in their language) to try again; returns how
    many. A job that ends meanwhile is left as it ended."""
    cutoff = timezone.now() - after
    stalled = Job.objects.filter(
        Q(status=Job.Status.QUEUED, created_at__lt=cutoff)
        | Q(status=Job.Status.RUNNING, started_at__lt=cutoff)
    ).select_related("owner")
    failed = 0
    for job in stalled:
        with translation.override(job_language(job)):
            message = _(
                "This job stopped without finishing: its worker was lost. Try again; "
                "an import is safe to repeat."
            )
        try:
            job_fail(job=job, message=message)
        except MoveNotAllowed:  # it ended meanwhile
            continue
        failed += 1
    return failed
