"""The one task that runs a job: it takes the job's id, claims the row and
hands it to the runner of its kind (`reports.runners`), refreshing the job's
heartbeat while the runner works. Its moves of the job's status are the
portal's own (no actor).

The task is acknowledged only when it ends (acks_late), and given back to
the broker when its worker process dies (task_reject_on_worker_lost); a
worker that dies whole leaves the message unacknowledged, and the broker
delivers it again after its visibility timeout. Either way the next delivery
finds the job running with a stale heartbeat and takes it over."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from celery import shared_task
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from core.workflow import MoveNotAllowed
from reports.models import Job
from reports.runners import RUNNERS, JobRejected
from reports.services import (
    HEARTBEAT_EVERY,
    job_claim,
    job_fail,
    job_finish,
    job_heartbeat,
    job_language,
    jobs_fail_stalled,
)

logger = logging.getLogger(__name__)


@contextmanager
def heartbeat(job: Job) -> Iterator[None]:
    """Refresh the job's heartbeat every HEARTBEAT_EVERY while the block runs,
    from a thread of its own: a runner's step may take longer than the lease
    (laying out a long PDF) without reporting progress. Not on SQLite, which
    takes no second writer while the runner writes: there the runner's
    progress reports are the heartbeat."""
    if connection.vendor == "sqlite":
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT_EVERY.total_seconds()):
                if not job_heartbeat(job=job):
                    return
        except Exception:  # a lost database connection: the lease then runs out
            logger.exception("job %s: heartbeat failed", job.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"job-{job.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_job(job_id: int) -> bool:
    """Run a job once. A duplicated or redelivered task finds the job ended,
    or running with a fresh heartbeat, and does nothing; it takes over a job
    whose worker died (`job_claim`)."""
    job = job_claim(job_id=job_id)
    if job is None:
        return False
    with translation.override(job_language(job)):
        try:
            with heartbeat(job):
                outcome = RUNNERS[job.kind](job)
        except JobRejected as rejected:
            with suppress(MoveNotAllowed):  # ended meanwhile
                job_fail(job=job, message=rejected.message, errors=rejected.errors)
            return False
        except Exception:
            logger.exception("job %s failed", job.pk)
            with suppress(MoveNotAllowed):  # ended meanwhile
                job_fail(
                    job=job,
                    message=_(
                        "Something went wrong and nothing was changed. Try again, or tell the "
                        "platform's operators."
                    ),
                )
            return False
        try:
            job_finish(
                job=job,
                message=outcome.message,
                summary=outcome.summary,
                result_name=outcome.result_name,
                result=outcome.result,
            )
        except MoveNotAllowed:
            # Given up on (jobs_fail_stalled), or taken over by another attempt
            # meanwhile: the job keeps what that one wrote.
            return False
    return True


@shared_task(name="reports.fail_stalled_jobs")
def fail_stalled_jobs() -> int:
    """Run by Celery beat (settings.CELERY_BEAT_SCHEDULE): hands the jobs
    that lost their worker to a worker again, or fails them after their
    attempts."""
    return jobs_fail_stalled()
