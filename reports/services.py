"""Writes for jobs: asking for one, and every move of its status.

The worker calls `job_start`, then `job_progress` as it goes, and ends with
`job_finish` or `job_fail`. Each move locks the row and checks `JOB_MOVES`,
so a duplicated task cannot run a job twice."""

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
from core.exceptions import Conflict
from reports.models import JOB_MOVES, Job

MESSAGE_LENGTH = Job._meta.get_field("message").max_length


def job_language(job: Job) -> str:
    """What a job's messages are written in: the language it was asked in, else its owner's."""
    return job.params.get("language") or job.owner.language


def _move(job: Job, to: str) -> Job:
    """Lock the row and check the move; the caller saves."""
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if to not in JOB_MOVES[locked.status]:
        raise Conflict(
            _("This job is %(status)s already.") % {"status": locked.get_status_display()},
            code="job_state",
        )
    locked.status = to
    return locked


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
    transaction.on_commit(lambda: run_job.delay(job.pk))
    return job


@transaction.atomic
def job_start(*, job: Job) -> Job:
    job = _move(job, Job.Status.RUNNING)
    job.started_at = timezone.now()
    job.progress = 0
    job.message = _("Started.")
    job.save(update_fields=["status", "started_at", "progress", "message"])
    return job


def job_progress(*, job: Job, progress: int, message: str = "") -> None:
    """Record how far a running job has come (0–100). A plain update: the
    page polling the job reads it at once, and it never moves the status."""
    progress = max(0, min(100, int(progress)))
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        progress=progress, message=message[:MESSAGE_LENGTH]
    )
    job.progress, job.message = progress, message[:MESSAGE_LENGTH]


@transaction.atomic
def job_finish(
    *,
    job: Job,
    message: str,
    summary: Mapping[str, Any] | None = None,
    result_name: str = "",
    result: bytes | None = None,
) -> Job:
    job = _move(job, Job.Status.DONE)
    if result is not None:
        job.result.save(result_name, ContentFile(result), save=False)
    job.progress = 100
    job.message = message[:MESSAGE_LENGTH]
    job.summary = dict(summary or {})
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "progress", "message", "summary", "result", "finished_at"])
    return job


@transaction.atomic
def job_fail(*, job: Job, message: str, errors: Iterable[Mapping[str, Any]] = ()) -> Job:
    job = _move(job, Job.Status.FAILED)
    job.message = message[:MESSAGE_LENGTH]
    job.errors = [dict(error) for error in errors]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "errors", "finished_at"])
    return job


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
        except Conflict:
            continue
        failed += 1
    return failed
