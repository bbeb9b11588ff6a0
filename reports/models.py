"""Long work run by a Celery worker: spreadsheet imports and PDF reports.

A job is owned by the user who asked for it; its status moves
queued → running → done | failed (reports.workflows), only through
`reports.services`, each move with its history row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import StatusChange


class Job(models.Model):
    class Kind(models.TextChoices):
        IMPORT = "import", _("Spreadsheet import")
        REPORT = "report", _("PDF report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=255, blank=True)
    # What was asked: the report's scope as slugs and codes, or the import's
    # sheet when a CSV file holds one sheet.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    upload = models.FileField(_("uploaded file"), upload_to="jobs/uploads/%Y/%m/", blank=True)
    upload_name = models.CharField(_("uploaded file name"), max_length=255, blank=True)
    result = models.FileField(_("result file"), upload_to="jobs/results/%Y/%m/", blank=True)
    # Every problem found: {"sheet", "row", "column", "message"}.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # What the job did, e.g. rows created, updated and unchanged per sheet.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # The running task's lease: it refreshes `heartbeat_at` while it works. A
    # redelivered task takes over a running job whose heartbeat is stale (its
    # worker died) and counts one more attempt (reports.services.job_claim).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The worker process running the attempt, as "host:pid": a delivery on
    # the same host sees at once that a process it names is gone.
    worker = models.CharField(_("worker"), max_length=100, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_recent")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="job_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def max_attempts(self) -> int:
        from reports.services import MAX_ATTEMPTS

        return MAX_ATTEMPTS

    @property
    def sheet_counts(self) -> list[tuple[str, str, dict[str, int]]]:
        """An import's counts per sheet, as (sheet, its name in the reader's
        language, counts): the summary keeps the sheets' codes."""
        from reports.spreadsheets import SHEETS  # the sheet declarations read the models

        return [
            (sheet, SHEETS[sheet].shown if sheet in SHEETS else sheet, counts)
            for sheet, counts in self.summary.items()
        ]

    @property
    def result_name(self) -> str:
        return self.result.name.rsplit("/", 1)[-1] if self.result.name else ""


class JobStatusChange(StatusChange):
    job = models.ForeignKey(
        Job, verbose_name=_("job"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("job status change")
        verbose_name_plural = _("job status changes")
