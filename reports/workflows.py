"""The job workflow, declared once (core.workflow).

Only the portal moves a job: the worker starts it, a redelivered task
restarts it when its worker died, the worker ends it done or failed, and the
stalled-job sweep fails one that lost its worker for good. A job never goes
back; its owner asks for a new one. The services in `reports.services`
make the moves."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.workflow import SYSTEM, Workflow, action
from reports.models import Job, JobStatusChange

S = Job.Status

JOB: Workflow[Job] = Workflow(
    name="job",
    model=Job,
    history=JobStatusChange,
    subject="job",
    initial=[S.QUEUED],
    # The worker writes its messages in the owner's language.
    lock_related=("owner",),
    refusal=_("This job is %(status)s already."),
    actions={
        "start": action(S.RUNNING, sources=[S.QUEUED], by=SYSTEM, label=_("Start")),
        # A redelivered task takes over a job whose worker died (a stale heartbeat).
        "restart": action(S.RUNNING, sources=[S.RUNNING], by=SYSTEM, label=_("Restart")),
        "finish": action(S.DONE, sources=[S.RUNNING], by=SYSTEM, label=_("Finish")),
        "fail": action(
            S.FAILED, sources=[S.QUEUED, S.RUNNING], by=SYSTEM, label=_("Mark as failed")
        ),
    },
)
