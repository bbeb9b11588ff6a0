"""Writes for jobs: asking for one, and every move of its status.

The worker claims a job (`job_claim`: `job_start`, or `job_restart` when the
worker that ran it died), calls `job_progress` and `job_heartbeat` as it goes,
and ends with `job_finish` or `job_fail`. Each move goes through the declared workflow
(`reports.workflows.JOB`): it locks the row, checks the move and writes a
history row, so a duplicated task cannot run a job twice. The worker and the
stalled-job sweep move jobs as the portal itself (no actor)."""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.services import notification_send
from core.metrics import JOBS_FAILED
from core.workflow import MoveNotAllowed
from reports.models import Job
from reports.workflows import JOB

MESSAGE_LENGTH = Job._meta.get_field("message").max_length

# How often a running task refreshes its job's heartbeat, and how old the
# heartbeat may grow before a redelivered task (or the sweep) counts the
# worker as dead. The broker redelivers an unacknowledged task after its
# visibility timeout (settings.CELERY_BROKER_TRANSPORT_OPTIONS, 120 s), longer
# than LEASE: a task redelivered while its first worker still runs finds a
# fresh heartbeat and leaves the job alone.
HEARTBEAT_EVERY = dt.timedelta(seconds=20)
LEASE = dt.timedelta(seconds=90)
# How many times a job is started before it is given up on.
MAX_ATTEMPTS = 3


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
        now = timezone.now()
        change.set(
            started_at=now,
            heartbeat_at=now,
            attempts=change.obj.attempts + 1,
            worker=this_worker(),
            progress=0,
            message=_("Started."),
        )
    return change.obj


def this_worker() -> str:
    """The process running a task, as a job's `worker` names it."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _process_gone(worker: str) -> bool:
    """Whether `worker` names a process of this host that no longer runs (a
    worker process killed; its task comes back at once). A process elsewhere
    is judged by its heartbeat only."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it runs, as another user
        return False
    return False


def lease_expired(job: Job) -> bool:
    """Whether a running job's worker is dead: its process, on this host, is
    gone, or it has shown no sign of life for LEASE."""
    beat = job.heartbeat_at or job.started_at
    return beat is None or beat < timezone.now() - LEASE or _process_gone(job.worker)


@JOB.performs("restart")
def job_restart(*, job: Job, actor: User | None = None) -> Job:
    """A redelivered task takes over a running job whose worker died: one
    more attempt, from the start. Refused when the job's heartbeat is fresh
    (its worker still runs it), when it ended meanwhile, or when it has had
    all its attempts."""
    with JOB.move(job, action="restart", actor=actor) as change:
        locked = change.obj
        if not lease_expired(locked) or locked.attempts >= MAX_ATTEMPTS:
            raise JOB.refused(locked, "restart")
        attempt = locked.attempts + 1
        with translation.override(job_language(locked)):
            message = _("The worker stopped; restarting (attempt %(attempt)d of %(attempts)d)…") % {
                "attempt": attempt,
                "attempts": MAX_ATTEMPTS,
            }
        change.set(
            heartbeat_at=timezone.now(),
            attempts=attempt,
            worker=this_worker(),
            progress=0,
            message=message[:MESSAGE_LENGTH],
        )
    return change.obj


def job_claim(*, job_id: int) -> Job | None:
    """The job a delivered task is to run, marked running for this attempt, or
    None: it is gone, ended, or still run by a live worker. A running job
    whose worker died is taken over, or, after MAX_ATTEMPTS, failed and its
    owner told."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None:
        return None
    try:
        if job.status == Job.Status.QUEUED:
            return job_start(job=job)
        if job.status == Job.Status.RUNNING and lease_expired(job):
            if job.attempts >= MAX_ATTEMPTS:
                job_give_up(job=job)
                return None
            return job_restart(job=job)
    except MoveNotAllowed:  # another task took it, or it ended, between the read and the lock
        return None
    return None


def job_heartbeat(*, job: Job) -> bool:
    """The running task is alive: refresh its lease. False once the job is no
    longer this attempt's (it ended, or another task took it over)."""
    return bool(
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts).update(
            heartbeat_at=timezone.now()
        )
    )


def job_progress(*, job: Job, progress: int, message: str = "") -> None:
    """Record how far a running job has come (0–100), which also shows the
    worker alive. A plain update: the page polling the job reads it at once,
    and it never moves the status. An attempt taken over writes nothing."""
    progress = max(0, min(100, int(progress)))
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts).update(
        progress=progress, message=message[:MESSAGE_LENGTH], heartbeat_at=timezone.now()
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
    Refused when the job was given up on or taken over by another attempt
    meanwhile; then no file is kept. A job finishes once."""
    with JOB.move(job, action="finish", actor=actor) as change:
        if job.attempts and change.obj.attempts != job.attempts:
            raise JOB.refused(change.obj, "finish")
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
    """The job ends without an outcome: the reason, and every problem found.
    Refused, like `job_finish`, for an attempt another one took over."""
    with JOB.move(job, action="fail", actor=actor) as change:
        if job.attempts and change.obj.attempts != job.attempts:
            raise JOB.refused(change.obj, "fail")
        change.set(
            message=message[:MESSAGE_LENGTH],
            errors=[dict(error) for error in errors],
            finished_at=timezone.now(),
        )
        kind = change.obj.kind
        change.on_commit(lambda: JOBS_FAILED.labels(kind=kind).inc())
    return change.obj


def job_give_up(*, job: Job) -> bool:
    """Fail a job that lost its worker for good, and tell its owner in the
    portal and by mail, in their language. False when it ended meanwhile."""
    with translation.override(job_language(job)):
        message = _(
            "This job stopped without finishing: its worker was lost. Try again; "
            "an import is safe to repeat."
        )
    with transaction.atomic():
        try:
            job_fail(job=job, message=message)
        except MoveNotAllowed:
            return False
        with translation.override(settings.LANGUAGE_CODE):  # a link without a language prefix
            link = reverse("reports:job", args=[job.pk])
        notification_send(
            recipients=[job.owner],
            kind="job-failed",
            subject=gettext_lazy("Your %(kind)s did not finish"),
            body=gettext_lazy(
                "Your %(kind)s asked for on %(asked)s stopped without finishing: the worker "
                "running it was lost %(attempts)d times. Nothing was kept from it. Ask for it "
                "again; an import is safe to repeat."
            ),
            params={
                "kind": Job.Kind(job.kind).label,
                "asked": timezone.localtime(job.created_at).strftime("%Y-%m-%d %H:%M"),
                "attempts": max(job.attempts, 1),
            },
            link=link,
        )
    return True


# A job still queued this long never reached a worker (the broker lost it).
STALLED_AFTER = dt.timedelta(hours=1)


def jobs_fail_stalled(*, after: dt.timedelta = STALLED_AFTER) -> int:
    """The sweep, for the jobs that lost their worker. A running job whose
    heartbeat is stale is handed to a worker again (`job_claim` takes it over),
    or, after MAX_ATTEMPTS, failed; a job still queued `after` it was asked
    for is failed. Each failed job's owner is told, in the portal and by mail,
    in their language. Returns how many failed; a job that ends meanwhile is
    left as it ended."""
    from reports.tasks import run_job

    cutoff = timezone.now() - after
    lease_cutoff = timezone.now() - LEASE
    stalled = Job.objects.filter(
        Q(status=Job.Status.QUEUED, created_at__lt=cutoff)
        | Q(status=Job.Status.RUNNING, heartbeat_at__lt=lease_cutoff)
        | Q(status=Job.Status.RUNNING, heartbeat_at=None, started_at__lt=lease_cutoff)
    ).select_related("owner")
    failed = 0
    for job in stalled:
        if job.status == Job.Status.RUNNING and job.attempts < MAX_ATTEMPTS:
            run_job.delay(job.pk)  # taken over by whichever delivery comes first
            continue
        failed += job_give_up(job=job)
    return failed
