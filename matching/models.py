"""The meeting schedule an organiser computes for an event, reviews and publishes.

Ranking and leads are computed on request and store nothing; the schedule is
kept because it is long work (a Celery task with progress), is reviewed and
adjusted before anyone sees it, and is then published as the event's meetings.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import StatusChange
from enterprises.models import Enterprise
from events.models import Event, EventSlot
from products.models import Institution, Product


class Schedule(models.Model):
    """An event's meeting schedule and the status of its computation."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Computing")
        READY = "ready", _("Ready for review")
        FAILED = "failed", _("Failed")
        PUBLISHED = "published", _("Published")

    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="schedule"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_note = models.CharField(_("step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Figures of the last computation, in thousandths of fit.
    total_fit = models.PositiveIntegerField(_("total fit"), default=0)
    greedy_fit = models.PositiveIntegerField(_("total fit of the greedy baseline"), default=0)
    requested_total = models.PositiveIntegerField(_("meetings requested"), default=0)
    requested_placed = models.PositiveIntegerField(_("requested meetings placed"), default=0)
    solved_in_ms = models.PositiveIntegerField(_("computed in (ms)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("meeting schedule")
        verbose_name_plural = _("meeting schedules")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="schedule_progress_percent")
        ]

    def __str__(self) -> str:
        return f"{self.event} ({self.get_status_display()})"

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def fit(self) -> Decimal:
        """The total fit as people read it: 1 is one perfect meeting."""
        return Decimal(self.total_fit) / 1000

    @property
    def greedy(self) -> Decimal:
        return Decimal(self.greedy_fit) / 1000


class ScheduleStatusChange(StatusChange):
    schedule = models.ForeignKey(
        Schedule, verbose_name=_("schedule"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("schedule status change")
        verbose_name_plural = _("schedule status changes")


class ScheduledMeeting(models.Model):
    """One meeting of a schedule under review; publishing makes it a Meeting."""

    schedule = models.ForeignKey(
        Schedule, verbose_name=_("schedule"), on_delete=models.CASCADE, related_name="meetings"
    )
    slot = models.ForeignKey(
        EventSlot, verbose_name=_("slot"), on_delete=models.CASCADE, related_name="+"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="+"
    )
    fit_score = models.DecimalField(_("fit"), max_digits=6, decimal_places=3)
    requested = models.BooleanField(_("requested"), default=False)

    class Meta:
        ordering = ["slot__starts_at", "institution_id", "enterprise_id"]
        verbose_name = _("scheduled meeting")
        verbose_name_plural = _("scheduled meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "slot", "enterprise"],
                name="scheduled_enterprise_once_per_slot",
                violation_error_message=_("The enterprise already has a meeting in this slot."),
            ),
            models.UniqueConstraint(
                fields=["schedule", "slot", "institution"],
                name="scheduled_institution_once_per_slot",
                violation_error_message=_("The institution already has a meeting in this slot."),
            ),
            models.UniqueConstraint(
                fields=["schedule", "enterprise", "institution"],
                name="scheduled_pair_once",
                violation_error_message=_("These two already meet in this schedule."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} × {self.institution} @ {self.slot}"

    def clean(self) -> None:
        if self.slot_id and self.schedule_id and self.slot.event_id != self.schedule.event_id:
            raise ValidationError({"slot": _("The slot belongs to another event.")})


class LeadInvitation(models.Model):
    """An institution's invitation to an enterprise it found among its leads:
    to apply for one of its products, or to meet it at an event where the
    institution is registered. Kept so the institution sees whom it invited
    and when, and cannot invite the same enterprise to the same product (or
    event) again while the invitation is open."""

    class Kind(models.TextChoices):
        APPLY = "apply", _("Invitation to apply")
        MEETING = "meeting", _("Invitation to meet at an event")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="lead_invitations",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="lead_invitations",
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    open_until = models.DateTimeField(_("open until"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation to a lead")
        verbose_name_plural = _("invitations to leads")
        indexes = [
            models.Index(fields=["enterprise", "open_until"]),
            models.Index(fields=["institution", "enterprise"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="apply", product__isnull=False, event__isnull=True))
                | Q(kind="meeting", event__isnull=False, product__isnull=True),
                name="lead_invitation_names_its_object",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} → {self.enterprise} ({self.get_kind_display()})"
