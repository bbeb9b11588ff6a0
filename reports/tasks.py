"""The one task that runs a job: it takes the job's id, loads the row and
hands it to the runner of its kind (`reports.runners`). Its moves of the
job's status are the portal's own (no actor)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import translation
from django.utils.translation import gettext as _

from core.workflow import MoveNotAllowed
from reports.models import Job
from reports.runners import RUNNERS, JobRejected
from reports.services import job_fail, job_finish, job_language, job_start, jobs_fail_stalled

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def run_job(job_id: int) -> bool:
    """Run a queued job once. A duplicated or redelivered task finds the job
    no longer queued and does nothing."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.status != Job.Status.QUEUED:
        return False
    try:
        job = job_start(job=job)
    except MoveNotAllowed:  # another task took it between the read and the lock
        return False
    with translation.override(job_language(job)):
        try:
            outcome = RUNNERS[job.kind](job)
        except JobRejected as rejected:
            job_fail(job=job, message=rejected.message, errors=rejected.errors)
            return False
        except Exception:
            logger.exception("job %s failed", job.pk)
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
        except MoveNotAllowed:  # given up on meanwhile (jobs_fail_stalled): it stays failed
            return False
    return True


@shared_task(name="reports.fail_stalled_jobs")
def fail_stalled_jobs() -> int:
    """Run by Celery beat (settings.CELERY_BEAT_SCHEDULE): ends the jobs that lost their worker."""
    return jobs_fail_stalled()
