"""The portal's own counters, exported at /metrics/ with the request, database
and Celery metrics (ops.metrics; README, Metrics and logs).

They live in the lowest app so that the one place where each thing happens
can count it: a workflow's move (core.workflow), a mail handed to the mail
server (core.mail), a job that fails (reports.services). Each counts after
its transaction commits, so a move rolled back is not counted. Under gunicorn
with PROMETHEUS_MULTIPROC_DIR set, prometheus_client keeps each process's
values in that directory and the scrape adds them up.
"""

from __future__ import annotations

from prometheus_client import Counter

STATUS_MOVES = Counter(
    "ipfin_status_moves_total",
    "Status moves committed, by workflow and the status moved to "
    '(applications: workflow="application").',
    ["workflow", "to_status"],
)
MAILS_SENT = Counter(
    "ipfin_mails_sent_total",
    "Mails handed to the mail server (accepted for delivery).",
)
JOBS_FAILED = Counter(
    "ipfin_jobs_failed_total",
    "Background jobs (imports, exports, reports) that ended failed, by kind.",
    ["kind"],
)
