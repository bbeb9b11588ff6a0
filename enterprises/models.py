from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import private_storage
from core.limits import NOTE_MAX_LENGTH, BoundedTextField
from core.models import (
    BilingualName,
    Industry,
    IPKind,
    Membership,
    MoneyField,
    Province,
    StatusChange,
    WebAddressField,
    localized,
)
from core.validators import validate_credit_code, validate_ip_number
from parks.models import Park

ZERO = Decimal("0")


def licence_storage() -> Storage:
    """Business licences: private files (the "private" storage), served only
    by the licence view."""
    return private_storage


def licence_path(instance: Enterprise, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"licences/{instance.credit_code}/{uuid.uuid4().hex}.{suffix}"


class Enterprise(BilingualName):
    """A technology SME that turns its IP into loans."""

    class Size(models.TextChoices):
        MICRO = "micro", _("Micro")
        SMALL = "small", _("Small")
        MEDIUM = "medium", _("Medium")
        LARGE = "large", _("Large")

    class Verification(models.TextChoices):
        AWAITING = "awaiting", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REFUSED = "refused", _("Verification refused")
        RESUBMITTED = "resubmitted", _("Resubmitted for verification")

    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="enterprises"
    )
    city_zh = models.CharField(_("city (Chinese)"), max_length=60, blank=True)
    city_en = models.CharField(_("city (English)"), max_length=60, blank=True)
    park = models.ForeignKey(
        Park,
        verbose_name=_("park"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    size = models.CharField(_("size"), max_length=8, choices=Size.choices, default=Size.SMALL)
    # Whoever answers for the enterprise on the portal, and how it is reached:
    # an email or website domain also lets its staff claim an imported enterprise.
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    email = models.EmailField(_("enterprise email"), blank=True)
    website = WebAddressField(_("website"), blank=True)
    high_tech_certified = models.BooleanField(_("high-tech enterprise certified"), default=False)
    employees = models.PositiveIntegerField(_("employees"), default=0)
    annual_revenue = MoneyField(
        _("annual revenue (CNY)"),
        default=ZERO,
    )
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    description = BoundedTextField(_("description"), blank=True)
    # Leads (docs/permissions.md, Matching): banks only see enterprises that opted in.
    discoverable = models.BooleanField(_("visible to institutions as a lead"), default=False)
    need_amount = MoneyField(
        _("financing need (CNY)"),
        null=True,
        blank=True,
    )
    need_term_months = models.PositiveSmallIntegerField(
        _("financing term (months)"), null=True, blank=True
    )
    # Verification (enterprises/workflows.py): an enterprise registered online
    # or imported by a provincial bureau waits for the manager of its park or a
    # regulator of its province to check its business licence.
    verification_status = models.CharField(
        _("verification"),
        max_length=12,
        choices=Verification.choices,
        default=Verification.AWAITING,
        db_index=True,
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    licence = models.FileField(
        _("business licence"),
        upload_to=licence_path,
        storage=licence_storage,
        blank=True,
        max_length=200,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_revenue__gte=0), name="enterprise_revenue_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(need_amount__isnull=True) | Q(need_amount__gte=0),
                name="enterprise_need_non_negative",
            ),
        ]
        indexes = [models.Index(fields=["province", "industry"])]

    @property
    def city(self) -> str:
        return localized(self, "city")

    def clean(self) -> None:
        if self.founded_on and self.founded_on > timezone.localdate():
            raise ValidationError(
                {"founded_on": _("An enterprise cannot be founded in the future.")}
            )

    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.Verification.VERIFIED


def enterprise_link(*, related_name: str) -> models.ForeignKey[Enterprise]:
    """A record's link to the enterprise it belongs to, gone with the enterprise."""
    return models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name=related_name,
    )


class EnterpriseVerificationChange(StatusChange):
    enterprise = enterprise_link(related_name="verification_history")

    class Meta(StatusChange.Meta):
        verbose_name = _("enterprise verification change")
        verbose_name_plural = _("enterprise verification changes")


class JoinRequest(models.Model):
    """A user asking to become a member of an enterprise already on the
    portal; its administrators approve or decline (enterprises/workflows.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    enterprise = enterprise_link(related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="enterprise_join_requests",
    )
    message = BoundedTextField(_("message"), blank=True, max_length=NOTE_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "enterprise"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.enterprise}"


class JoinRequestStatusChange(StatusChange):
    join_request = models.ForeignKey(
        JoinRequest,
        verbose_name=_("join request"),
        on_delete=models.CASCADE,
        related_name="history",
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("join request status change")
        verbose_name_plural = _("join request status changes")


class EnterpriseMembership(Membership):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="enterprise_memberships",
    )
    enterprise = enterprise_link(related_name="memberships")

    class Meta:
        verbose_name = _("enterprise member")
        verbose_name_plural = _("enterprise members")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "enterprise"], name="enterprise_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.enterprise}"


class PledgeStatus(models.TextChoices):
    """Where an asset stands in a pledge. The pledges themselves are the
    financing app's (`financing.Pledge`, reached here as `IPAsset.pledges`);
    what their statuses mean for an asset is this app's."""

    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    RELEASED = "released", _("Released")
    DROPPED = "dropped", _("Dropped")


# An asset held by an application: proposed for one under way, active once
# the pledge is registered.
PLEDGE_HELD = (PledgeStatus.PROPOSED, PledgeStatus.ACTIVE)


class IPAsset(models.Model):
    """A patent, trademark or copyright an enterprise holds. Whether it is
    pledged is answered by its pledges (`IPAsset.pledges`), not stored here."""

    class LegalStatus(models.TextChoices):
        PENDING = "pending", _("Pending")
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        INVALIDATED = "invalidated", _("Invalidated")
        TRANSFERRED = "transferred", _("Transferred")

    enterprise = enterprise_link(related_name="ip_assets")
    kind = models.ForeignKey(
        IPKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="assets"
    )
    number = models.CharField(_("application or registration number"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    filed_on = models.DateField(_("filed"), null=True, blank=True)
    granted_on = models.DateField(_("granted or registered"), null=True, blank=True)
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    legal_status = models.CharField(
        _("legal status"), max_length=12, choices=LegalStatus.choices, default=LegalStatus.VALID
    )
    # The latest appraisal; every appraisal is also kept in IPAppraisal.
    appraised_value = MoneyField(
        _("appraised value (CNY)"),
        null=True,
        blank=True,
    )
    appraiser = models.CharField(_("appraiser"), max_length=200, blank=True)
    appraised_on = models.DateField(_("appraised"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["enterprise_id", "kind_id", "number"]
        verbose_name = _("IP asset")
        verbose_name_plural = _("IP assets")
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="ip_asset_unique_number"),
            models.CheckConstraint(
                condition=Q(appraised_value__isnull=True) | Q(appraised_value__gte=0),
                name="ip_asset_value_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def clean(self) -> None:
        if self.kind_id and self.number:
            try:
                validate_ip_number(self.kind_id, self.number)
            except ValidationError as error:
                raise ValidationError({"number": error.messages}) from error
        if self.filed_on and self.granted_on and self.granted_on < self.filed_on:
            raise ValidationError(
                {"granted_on": _("The grant date cannot precede the filing date.")}
            )
        if self.filed_on and self.expires_on and self.expires_on < self.filed_on:
            raise ValidationError(
                {"expires_on": _("An IP right cannot expire before it was filed.")}
            )


class IPAppraisal(models.Model):
    asset = models.ForeignKey(
        IPAsset, verbose_name=_("asset"), on_delete=models.CASCADE, related_name="appraisals"
    )
    value = MoneyField(
        _("value (CNY)"),
    )
    appraiser = models.CharField(_("appraiser"), max_length=200)
    appraised_on = models.DateField(_("appraised"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-appraised_on", "-id"]
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0), name="ip_appraisal_value_non_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.asset.number}: {self.value}"
