"""Campaigns of "entering the park" events, registrations and 1:1 meetings."""

from __future__ import annotations

import secrets
from datetime import datetime
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import RegulatorOffice
from core.limits import NOTE_MAX_LENGTH, BoundedTextField
from core.models import BilingualName, MoneyField, Province, StatusChange, localized
from enterprises.models import Enterprise
from parks.models import Park
from products.models import Institution, Product

ZERO = Decimal("0")


def new_registration_code() -> str:
    # Short enough to type at a check-in desk, long enough not to be guessed.
    return secrets.token_hex(5).upper()


class EventKind(BilingualName):
    class Code(models.TextChoices):
        PRODUCT_RELEASE = "product_release", _("Product release")
        ROADSHOW = "roadshow", _("Enterprise roadshow")
        BANK_PROMOTION = "bank_promotion", _("Bank promotion")
        POLICY_TRAINING = "policy_training", _("Policy training")
        MATCHMAKING = "matchmaking", _("Matchmaking")
        SIGNING = "signing", _("Signing ceremony")

    code = models.CharField(_("code"), max_length=24, primary_key=True, choices=Code.choices)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort"]
        verbose_name = _("event kind")
        verbose_name_plural = _("event kinds")


class Campaign(BilingualName):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description_zh = BoundedTextField(_("description (Chinese)"), blank=True)
    description_en = BoundedTextField(_("description (English)"), blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    organisers = models.ManyToManyField(
        RegulatorOffice, verbose_name=_("organisers"), blank=True, related_name="campaigns"
    )
    is_public = models.BooleanField(_("figures shown to visitors"), default=True)
    # The one the home page shows and the dashboard opens on, chosen by a
    # national regulator (`events.services.campaign_feature`).
    is_featured = models.BooleanField(_("featured"), default=False, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_dates_ordered"
            ),
            models.UniqueConstraint(
                fields=["is_featured"],
                condition=Q(is_featured=True),
                name="campaign_featured_once",
            ),
        ]

    @property
    def description(self) -> str:
        return localized(self, "description")


class Event(models.Model):
    """An activity ("station") of a campaign, held at one or more parks."""

    class Format(models.TextChoices):
        OFFLINE = "offline", _("On site")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("On site and online")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    description_zh = BoundedTextField(_("description (Chinese)"), blank=True)
    description_en = BoundedTextField(_("description (English)"), blank=True)
    agenda = BoundedTextField(_("agenda"), blank=True)
    kinds = models.ManyToManyField(EventKind, verbose_name=_("kinds"), related_name="events")
    host_province = models.ForeignKey(
        Province,
        verbose_name=_("host province"),
        on_delete=models.PROTECT,
        related_name="hosted_events",
    )
    city_zh = models.CharField(_("city (Chinese)"), max_length=60, blank=True)
    city_en = models.CharField(_("city (English)"), max_length=60, blank=True)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    parks = models.ManyToManyField(Park, verbose_name=_("parks covered"), related_name="events")
    organisers = models.ManyToManyField(
        RegulatorOffice, verbose_name=_("organisers"), blank=True, related_name="events"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    format = models.CharField(
        _("format"), max_length=8, choices=Format.choices, default=Format.OFFLINE
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    requires_approval = models.BooleanField(
        _("registrations need the organiser's approval"), default=False
    )
    featured_products = models.ManyToManyField(
        Product, verbose_name=_("products released"), blank=True, related_name="featured_at"
    )
    participating_provinces = models.ManyToManyField(
        Province,
        verbose_name=_("participating provinces"),
        blank=True,
        related_name="participated_events",
        help_text=_("Provinces taking part besides the host."),
    )
    # Reported by the organiser after the event (docs/figures.md).
    participants_online = models.PositiveIntegerField(_("participants online"), default=0)
    participants_offline = models.PositiveIntegerField(_("participants on site"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="event_times_ordered"
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__isnull=True)
                | Q(registration_deadline__lte=F("ends_at")),
                name="event_deadline_before_end",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "host_province"]),
            models.Index(fields=["host_province", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def city(self) -> str:
        return localized(self, "city")

    @property
    def participants_total(self) -> int:
        return self.participants_online + self.participants_offline

    def clean(self) -> None:
        # Run after the fields' own checks: a field that failed its own is left empty.
        starts_at = cast("datetime | None", self.starts_at)
        ends_at = cast("datetime | None", self.ends_at)
        if starts_at and ends_at and ends_at < starts_at:
            raise ValidationError({"ends_at": _("An event cannot end before it starts.")})
        if self.registration_deadline and ends_at and self.registration_deadline > ends_at:
            raise ValidationError(
                {"registration_deadline": _("Registration must close before the event ends.")}
            )


class EventStatusChange(StatusChange):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("event status change")
        verbose_name_plural = _("event status changes")


class EventSlot(models.Model):
    """A time slot for 1:1 meetings at an event."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="slots"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["event_id", "starts_at"]
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        constraints = [
            models.UniqueConstraint(fields=["event", "starts_at"], name="event_slot_unique_start"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_slot_times_ordered"
            ),
        ]

    def __str__(self) -> str:
        # In the portal's time zone: UTC reads wrong at a venue in China.
        starts, ends = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{starts:%Y-%m-%d %H:%M}–{ends:%H:%M}"


class Registration(models.Model):
    """An enterprise or an institution (exactly one) registered for an event."""

    class Status(models.TextChoices):
        WAITLISTED = "waitlisted", _("On the waiting list")
        REGISTERED = "registered", _("Registered")
        CONFIRMED = "confirmed", _("Confirmed")
        CHECKED_IN = "checked_in", _("Checked in")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
    )
    code = models.CharField(
        _("check-in code"), max_length=16, unique=True, default=new_registration_code
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Enterprises state their financing need; institutions may cap their meetings.
    need_amount = MoneyField(
        _("financing need (CNY)"),
        null=True,
        blank=True,
    )
    need_term_months = models.PositiveSmallIntegerField(
        _("financing term (months)"), null=True, blank=True
    )
    max_meetings = models.PositiveSmallIntegerField(_("most meetings"), null=True, blank=True)
    note = BoundedTextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    # Set once the confirmation (with its calendar file) has gone, so a retried
    # task never sends it twice.
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["event_id", "created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(enterprise__isnull=False) & Q(institution__isnull=True))
                | (Q(enterprise__isnull=True) & Q(institution__isnull=False)),
                name="registration_exactly_one_party",
                violation_error_message=_(
                    "A registration is for an enterprise or for an institution, not both."
                ),
            ),
            models.UniqueConstraint(
                fields=["event", "enterprise"],
                condition=Q(enterprise__isnull=False) & ~Q(status="cancelled"),
                name="registration_one_active_per_enterprise",
                violation_error_message=_("This enterprise is already registered for the event."),
            ),
            models.UniqueConstraint(
                fields=["event", "institution"],
                condition=Q(institution__isnull=False) & ~Q(status="cancelled"),
                name="registration_one_active_per_institution",
                violation_error_message=_("This institution is already registered for the event."),
            ),
            models.CheckConstraint(
                condition=Q(need_amount__isnull=True) | Q(need_amount__gte=0),
                name="registration_need_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.party} @ {self.event}"

    @property
    def party(self) -> Enterprise | Institution:
        party = self.enterprise or self.institution
        # The check constraint above: exactly one of the two is set.
        assert party is not None
        return party


class RegistrationStatusChange(StatusChange):
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="history",
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("registration status change")
        verbose_name_plural = _("registration status changes")


_R = Registration.Status
# The statuses that hold one of the event's places; the waiting list does not.
SEATED_STATUSES = frozenset({_R.REGISTERED, _R.CONFIRMED, _R.CHECKED_IN})


class Meeting(models.Model):
    """A 1:1 meeting between an enterprise and an institution at an event."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    class Source(models.TextChoices):
        REQUESTED = "requested", _("Requested by the enterprise")
        MATCHER = "matcher", _("Proposed by the matcher")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not yet recorded")
        NO_FURTHER_CONTACT = "no_further_contact", _("No further contact")
        FOLLOW_UP = "follow_up", _("Follow-up")
        INTENTION = "intention", _("Intention agreement")
        CONTRACT = "contract", _("Contract")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="meetings"
    )
    slot = models.ForeignKey(
        EventSlot,
        verbose_name=_("slot"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="meetings"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.REQUESTED
    )
    fit_score = models.DecimalField(_("fit"), max_digits=6, decimal_places=3, null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    note = BoundedTextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["event_id", "slot__starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            # One meeting per party per slot, among meetings that will happen.
            models.UniqueConstraint(
                fields=["slot", "enterprise"],
                condition=Q(slot__isnull=False) & Q(status__in=["accepted", "held"]),
                name="meeting_enterprise_once_per_slot",
                violation_error_message=_("The enterprise already has a meeting in this slot."),
            ),
            models.UniqueConstraint(
                fields=["slot", "institution"],
                condition=Q(slot__isnull=False) & Q(status__in=["accepted", "held"]),
                name="meeting_institution_once_per_slot",
                violation_error_message=_("The institution already has a meeting in this slot."),
            ),
            models.UniqueConstraint(
                fields=["event", "enterprise", "institution"],
                condition=Q(status__in=["requested", "accepted", "held"]),
                name="meeting_one_open_per_pair",
                violation_error_message=_("These two already have a meeting at this event."),
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.enterprise} × {self.institution}"

    def clean(self) -> None:
        if self.slot is not None and self.event_id and self.slot.event_id != self.event_id:
            raise ValidationError({"slot": _("The slot belongs to another event.")})


class MeetingStatusChange(StatusChange):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("meeting status change")
        verbose_name_plural = _("meeting status changes")
