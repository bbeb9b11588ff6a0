"""Applications for IP-pledge loans, the pledges behind them and the contracts
they (or an on-site signing) end in."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.limits import NOTE_MAX_LENGTH, BoundedTextField
from core.models import MoneyField, StatusChange
from enterprises.models import Enterprise, IPAsset, PledgeStatus
from events.models import Event, Meeting, Registration
from financing.documents import document_path
from products.models import MAX_RATE, Institution, Product

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ZERO = Decimal("0")


class RepaymentMethod(models.TextChoices):
    """How a loan is paid back, as the bank decides it and the contract states it."""

    INTEREST_MONTHLY = "interest_monthly", _("Interest monthly, principal at maturity")
    EQUAL_INSTALMENTS = "equal_instalments", _("Equal instalments of principal and interest")
    EQUAL_PRINCIPAL = "equal_principal", _("Equal instalments of principal")
    BULLET = "bullet", _("Principal and interest at maturity")


def interest_rate_field(verbose_name: StrOrPromise) -> models.DecimalField:
    """An annual interest rate in per cent, 0 to 36 (what Chinese courts protect)."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO), MaxValueValidator(MAX_RATE)],
    )


def _rate_within_bounds(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | (Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": MAX_RATE})),
        name=name,
    )


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        INFO_REQUESTED = "info_requested", _("Information requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CONTRACT_SIGNED = "contract_signed", _("Contract signed")
        PLEDGE_REGISTERED = "pledge_registered", _("Pledge registered")
        DISBURSED = "disbursed", _("Disbursed")
        CLOSED = "closed", _("Closed")

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="applications"
    )
    # The product's institution, kept on the row so a bank's queue is one index
    # walk even at a million applications. Set once, by application_create.
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="applications",
        editable=False,
    )
    amount_requested = MoneyField(
        _("amount requested (CNY)"),
    )
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), validators=[MinValueValidator(1)]
    )
    purpose = BoundedTextField(_("purpose"), blank=True)
    amount_approved = MoneyField(_("amount approved (CNY)"), null=True, blank=True)
    # The terms the bank decided with its approval; empty for a decision made
    # before they were recorded.
    interest_rate_approved = interest_rate_field(_("approved annual interest rate (%)"))
    term_months_approved = models.PositiveSmallIntegerField(
        _("approved term (months)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    repayment_method_approved = models.CharField(
        _("approved repayment method"),
        max_length=20,
        choices=RepaymentMethod.choices,
        blank=True,
        # Rows written without it (bulk loads naming older columns) stay valid.
        default="",
        db_default="",
    )
    rejection_reason = BoundedTextField(
        _("reason for rejection"), max_length=NOTE_MAX_LENGTH, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    source_registration = models.ForeignKey(
        Registration,
        verbose_name=_("from event registration"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    # An intention agreement signed at an event that this application follows up.
    from_intention = models.ForeignKey(
        "financing.Contract",
        verbose_name=_("follows the intention agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gte=0), name="application_amount_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(amount_approved__isnull=True)
                | (Q(amount_approved__gte=0) & Q(amount_approved__lte=F("amount_requested"))),
                name="application_approved_within_requested",
            ),
            models.CheckConstraint(
                condition=Q(term_months__gte=1), name="application_term_positive"
            ),
            _rate_within_bounds("interest_rate_approved", "application_approved_rate_bounds"),
            models.CheckConstraint(
                condition=Q(term_months_approved__isnull=True) | Q(term_months_approved__gte=1),
                name="application_approved_term_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "status"]),
            models.Index(fields=["enterprise", "status"]),
            models.Index(fields=["status", "created_at"]),
            # The institution's queue, newest first: submitted applications only.
            models.Index(
                fields=["institution", "-created_at", "-id"],
                condition=Q(submitted_at__isnull=False),
                name="application_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.enterprise} → {self.product}"


_A = Application.Status
# An application still in progress: its enterprise may yet withdraw it.
OPEN_STATUSES = frozenset({_A.DRAFT, _A.SUBMITTED, _A.UNDER_REVIEW, _A.INFO_REQUESTED, _A.APPROVED})


class Actor(models.TextChoices):
    """Which side may make a move."""

    ENTERPRISE = "enterprise", _("Enterprise")
    INSTITUTION = "institution", _("Institution")


class ApplicationStatusChange(StatusChange):
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="history",
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("application status change")
        verbose_name_plural = _("application status changes")


class ApplicationDocument(models.Model):
    """A file the enterprise sent with an application (a financial statement,
    a licence), with the answer it came with. Kept with the application in
    the default storage (financing.documents); the enterprise's members and
    the officers of the application's institution download it through a
    view that checks who asks."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    # The status change (the answer) the file was sent with.
    status_change = models.ForeignKey(
        ApplicationStatusChange,
        verbose_name=_("sent with"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["application_id", "uploaded_at", "id"]
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    def __str__(self) -> str:
        return self.original_name


class Pledge(models.Model):
    """An IP asset offered for an application. It becomes active when the
    pledge is registered; an asset stands in at most one active pledge."""

    Status = PledgeStatus  # what a pledge's status means for its asset is the asset's

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="pledges"
    )
    asset = models.ForeignKey(
        IPAsset, verbose_name=_("IP asset"), on_delete=models.PROTECT, related_name="pledges"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    # The appraised value when pledged, so later appraisals don't rewrite history.
    value_at_pledge = MoneyField(
        _("appraised value when pledged (CNY)"),
        null=True,
        blank=True,
    )
    activated_at = models.DateTimeField(_("registered"), null=True, blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        ordering = ["application_id", "id"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "asset"], name="pledge_asset_once_per_application"
            ),
            models.UniqueConstraint(
                fields=["asset"],
                condition=Q(status="active"),
                name="pledge_one_active_per_asset",
                violation_error_message=_("This IP asset already stands in an active pledge."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset} ({self.get_status_display()})"

    def clean(self) -> None:
        if (
            self.application_id
            and self.asset_id
            and self.asset.enterprise_id != self.application.enterprise_id
        ):
            raise ValidationError(
                {"asset": _("Only the applicant's own IP assets can be pledged.")}
            )


class PledgeStatusChange(StatusChange):
    pledge = models.ForeignKey(
        Pledge, verbose_name=_("pledge"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("pledge status change")
        verbose_name_plural = _("pledge status changes")


class Contract(models.Model):
    """What an application or an on-site signing ends in. A contract recorded
    at an event by mistake is voided (kept, with the reason in its history);
    a void one counts nowhere."""

    class Kind(models.TextChoices):
        INTENTION = "intention", _("Intention agreement")
        LOAN = "loan", _("Loan contract")

    class Status(models.TextChoices):
        SIGNED = "signed", pgettext_lazy("contract status", "Signed")
        VOID = "void", pgettext_lazy("contract status", "Void")

    reference = models.CharField(_("contract number"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SIGNED
    )
    amount = MoneyField(
        _("amount (CNY)"),
    )
    # The terms signed: a loan contract's, empty for an intention or a
    # contract recorded before they were.
    interest_rate = interest_rate_field(_("annual interest rate (%)"))
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    repayment_method = models.CharField(
        _("repayment method"),
        max_length=20,
        choices=RepaymentMethod.choices,
        blank=True,
        default="",
        db_default="",
    )
    signed_on = models.DateField(_("signed"))
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="contracts"
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
    )
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contract",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("signed at event"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("from registration"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("from meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
    )
    pledge_registration_number = models.CharField(
        _("pledge registration number"), max_length=60, blank=True
    )
    pledge_registered_on = models.DateField(_("pledge registered"), null=True, blank=True)
    disbursed_amount = MoneyField(_("disbursed (CNY)"), null=True, blank=True)
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="contract_amount_non_negative"),
            models.CheckConstraint(
                condition=Q(disbursed_amount__isnull=True)
                | (Q(disbursed_amount__gte=0) & Q(disbursed_amount__lte=F("amount"))),
                name="contract_disbursed_within_amount",
            ),
            _rate_within_bounds("interest_rate", "contract_rate_bounds"),
            models.CheckConstraint(
                condition=Q(term_months__isnull=True) | Q(term_months__gte=1),
                name="contract_term_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "kind"]),
            models.Index(fields=["institution", "signed_on"]),
            models.Index(fields=["enterprise", "signed_on"]),
            models.Index(fields=["signed_on"]),
        ]

    def __str__(self) -> str:
        return self.reference


class ContractStatusChange(StatusChange):
    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("contract status change")
        verbose_name_plural = _("contract status changes")
