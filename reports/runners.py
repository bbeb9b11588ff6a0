"""What each kind of job does, called by the `run_job` task with the job
marked running. A runner reports progress through `job_progress`, returns
an `Outcome`, or raises `JobRejected` to fail with a list of errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.selectors import regulator_jurisdiction
from reports.imports import Importer
from reports.models import Job
from reports.services import job_progress
from reports.spreadsheets import ImportRejected, read_tables


@dataclass
class Outcome:
    message: str
    summary: dict[str, Any] = field(default_factory=dict)
    result_name: str = ""
    result: bytes | None = None


class JobRejected(Exception):
    def __init__(self, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []


def _progress(job: Job) -> Callable[[int, str], None]:
    return lambda percent, message: job_progress(job=job, progress=percent, message=message)


def run_import(job: Job) -> Outcome:
    jurisdiction = regulator_jurisdiction(user=job.owner)
    if jurisdiction is None:
        raise JobRejected(_("Only regulators may import reports."))
    progress = _progress(job)
    progress(2, _("Reading the file…"))
    with job.upload.open("rb") as upload:
        data = upload.read()
    try:
        tables = read_tables(data, sheet=job.params.get("sheet", ""))
        counts = Importer(
            tables=tables,
            actor=job.owner,
            jurisdiction=jurisdiction,
            source=job.upload_name,
            progress=progress,
        ).run()
    except ImportRejected as rejected:
        raise JobRejected(
            rejected.message, [problem.as_dict() for problem in rejected.problems]
        ) from rejected
    written = sum(c["created"] + c["updated"] for c in counts.values())
    rows = sum(sum(c.values()) for c in counts.values())
    if written == 0:
        message = _("Nothing changed: the portal already had all %(rows)d rows.") % {"rows": rows}
    else:
        message = ngettext(
            "Imported: %(written)d of %(rows)d rows changed the portal.",
            "Imported: %(written)d of %(rows)d rows changed the portal.",
            written,
        ) % {"written": written, "rows": rows}
    return Outcome(message=message, summary=counts)


def run_report(job: Job) -> Outcome:
    from reports.pdf import build_report

    return build_report(job=job, progress=_progress(job))


RUNNERS: dict[str, Callable[[Job], Outcome]] = {
    Job.Kind.IMPORT: run_import,
    Job.Kind.REPORT: run_report,
}
