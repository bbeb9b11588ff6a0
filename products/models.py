"""Banks and other financial institutions, and the products they publish."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.limits import BoundedTextField
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

ZERO = Decimal("0")
MAX_RATE = Decimal("36")  # Chinese courts do not protect annual rates above 36 %.
HUNDRED = Decimal("100")


class Institution(BilingualName):
    class Kind(models.TextChoices):
        BANK = "bank", _("Bank")
        INSURER = "insurer", _("Insurer")
        GUARANTOR = "guarantor", _("Guarantee company")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.BANK)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="institutions",
        help_text=_("Province of the head office or of this branch."),
    )
    city_zh = models.CharField(_("city (Chinese)"), max_length=60, blank=True)
    city_en = models.CharField(_("city (English)"), max_length=60, blank=True)
    website = WebAddressField(_("website"), blank=True)
    licence_number = models.CharField(
        _("licence number"),
        max_length=40,
        blank=True,
        help_text=_("The financial licence number the regulator issued."),
    )

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        indexes = [models.Index(fields=["province", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["licence_number"],
                condition=~Q(licence_number=""),
                name="institution_licence_number_unique",
                violation_error_message=_("An institution with this licence number exists."),
            )
        ]

    @property
    def city(self) -> str:
        return localized(self, "city")


class InstitutionMembership(Membership):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="institution_memberships",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("institution member")
        verbose_name_plural = _("institution members")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution"], name="institution_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.institution}"


class Product(BilingualName):
    """A financing product an institution publishes."""

    class Kind(models.TextChoices):
        PATENT_PLEDGE_LOAN = "patent_pledge_loan", _("Patent pledge loan")
        TRADEMARK_PLEDGE_LOAN = "trademark_pledge_loan", _("Trademark pledge loan")
        MIXED_IP_PLEDGE_LOAN = "mixed_ip_pledge_loan", _("Mixed IP pledge loan")
        IP_INSURANCE = "ip_insurance", _("IP insurance")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    code = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    accepted_ip_kinds = models.ManyToManyField(
        IPKind, verbose_name=_("accepted IP kinds"), related_name="products"
    )
    amount_min = MoneyField(
        _("minimum amount (CNY)"),
    )
    amount_max = MoneyField(
        _("maximum amount (CNY)"),
    )
    rate_min = models.DecimalField(
        _("minimum annual rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(MAX_RATE)],
    )
    rate_max = models.DecimalField(
        _("maximum annual rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(MAX_RATE)],
    )
    term_min_months = models.PositiveSmallIntegerField(
        _("minimum term (months)"), validators=[MinValueValidator(1)]
    )
    term_max_months = models.PositiveSmallIntegerField(
        _("maximum term (months)"), validators=[MinValueValidator(1)]
    )
    max_pledge_ratio = models.DecimalField(
        _("maximum pledge ratio (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(HUNDRED)],
        help_text=_("Loan amount as a share of the appraised IP value."),
    )
    provinces_served = models.ManyToManyField(
        Province,
        verbose_name=_("provinces served"),
        blank=True,
        related_name="products_served",
        help_text=_("Leave empty for nationwide."),
    )
    target_industries = models.ManyToManyField(
        Industry, verbose_name=_("target industries"), blank=True, related_name="products"
    )
    summary_zh = models.CharField(_("summary (Chinese)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    requirements = BoundedTextField(_("requirements"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "name_zh"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_min__gte=0) & Q(amount_max__gte=F("amount_min")),
                name="product_amount_range",
            ),
            models.CheckConstraint(
                condition=Q(rate_min__gte=0)
                & Q(rate_max__gte=F("rate_min"))
                & Q(rate_max__lte=MAX_RATE),
                name="product_rate_range",
            ),
            models.CheckConstraint(
                condition=Q(term_min_months__gte=1) & Q(term_max_months__gte=F("term_min_months")),
                name="product_term_range",
            ),
            models.CheckConstraint(
                condition=Q(max_pledge_ratio__gte=0) & Q(max_pledge_ratio__lte=HUNDRED),
                name="product_pledge_ratio_range",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["institution", "status"]),
            # The catalogue's default order, over published products only.
            models.Index(
                fields=["-published_at", "code"],
                condition=Q(status="published"),
                name="product_catalogue_order",
            ),
        ]

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    def clean(self) -> None:
        ranges = (
            ("amount_min", "amount_max", _("The maximum amount must not be below the minimum.")),
            ("rate_min", "rate_max", _("The maximum rate must not be below the minimum.")),
            (
                "term_min_months",
                "term_max_months",
                _("The maximum term must not be below the minimum."),
            ),
        )
        errors = {
            high: message
            for low, high, message in ranges
            if getattr(self, low) is not None
            and getattr(self, high) is not None
            and getattr(self, high) < getattr(self, low)
        }
        if errors:
            raise ValidationError(errors)


class ProductStatusChange(StatusChange):
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("product status change")
        verbose_name_plural = _("product status changes")
