"""Policies, typical cases, downloadable collections, training sessions,
media reports and cooperation agreements."""

from __future__ import annotations

from typing import TypeAlias

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import RegulatorOffice
from core.limits import BoundedTextField
from core.models import IPKind, MoneyField, Province, WebAddressField, localized
from events.models import Campaign, Event
from parks.models import Park
from products.models import Institution


class Titled(models.Model):
    title_zh = models.CharField(_("title (Chinese)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    summary_zh = BoundedTextField(_("summary (Chinese)"), blank=True)
    summary_en = BoundedTextField(_("summary (English)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def summary(self) -> str:
        return localized(self, "summary")


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")


class Policy(Titled):
    issuer_zh = models.CharField(_("issuer (Chinese)"), max_length=255)
    issuer_en = models.CharField(_("issuer (English)"), max_length=255, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        Province,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policies",
    )
    issued_on = models.DateField(_("issued"))
    document_number = models.CharField(_("document number"), max_length=80, blank=True)
    file = models.FileField(_("file"), upload_to="policies/", blank=True)
    url = WebAddressField(_("link"), blank=True)

    class Meta:
        ordering = ["-issued_on"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        indexes = [models.Index(fields=["level", "province"])]

    @property
    def issuer(self) -> str:
        return localized(self, "issuer")

    def clean(self) -> None:
        # A national policy applies everywhere; any other names where it applies.
        if self.level == Level.NATIONAL and self.province_id:
            raise ValidationError({"province": _("A national policy has no region.")})
        if self.level and self.level != Level.NATIONAL and not self.province_id:
            raise ValidationError(
                {"province": _("Name the region of a provincial or municipal policy.")}
            )


class TypicalCase(Titled):
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="typical_cases"
    )
    enterprise_name = models.CharField(_("enterprise"), max_length=255, blank=True)
    institution_name = models.CharField(_("institution"), max_length=255, blank=True)
    amount = MoneyField(_("amount (CNY)"), null=True, blank=True)
    ip_kinds = models.ManyToManyField(
        IPKind, verbose_name=_("IP kinds"), blank=True, related_name="typical_cases"
    )
    published_on = models.DateField(_("published"))

    class Meta:
        ordering = ["-published_on"]
        verbose_name = _("typical case")
        verbose_name_plural = _("typical cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="typical_case_amount_non_negative",
            )
        ]


class Collection(Titled):
    """A downloadable bundle of policies, cases and products."""

    publisher = models.ForeignKey(
        RegulatorOffice,
        verbose_name=_("publisher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collections",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collections",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="collections",
    )
    published_on = models.DateField(_("published"))
    is_printed = models.BooleanField(_("also printed"), default=False)
    file = models.FileField(_("file"), upload_to="collections/", blank=True)
    # Kept in step with CollectionDownload rows by the service that counts them.
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    policies = models.ManyToManyField(Policy, verbose_name=_("policies"), blank=True)
    cases = models.ManyToManyField(TypicalCase, verbose_name=_("typical cases"), blank=True)

    class Meta:
        ordering = ["-published_on"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")


class CollectionDownload(models.Model):
    """One counted download: once per visitor per day."""

    collection = models.ForeignKey(
        Collection, verbose_name=_("collection"), on_delete=models.CASCADE, related_name="downloads"
    )
    visitor = models.CharField(_("visitor"), max_length=64)
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "visitor", "day"], name="download_once_per_visitor_day"
            )
        ]
        indexes = [models.Index(fields=["collection", "day"])]

    def __str__(self) -> str:
        return f"{self.collection_id} {self.day}"


class TrainingSession(Titled):
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="trainings"
    )
    city_zh = models.CharField(_("city (Chinese)"), max_length=60, blank=True)
    city_en = models.CharField(_("city (English)"), max_length=60, blank=True)
    park = models.ForeignKey(
        Park,
        verbose_name=_("park"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainings",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainings",
    )
    organiser = models.ForeignKey(
        RegulatorOffice,
        verbose_name=_("organiser"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainings",
    )
    held_on = models.DateField(_("held"))
    participants = models.PositiveIntegerField(_("participants"), default=0)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        indexes = [models.Index(fields=["province", "held_on"])]

    @property
    def city(self) -> str:
        return localized(self, "city")


class MediaReport(models.Model):
    outlet_zh = models.CharField(_("outlet (Chinese)"), max_length=120)
    outlet_en = models.CharField(_("outlet (English)"), max_length=120, blank=True)
    title = models.CharField(_("headline"), max_length=255)
    url = WebAddressField(_("link"), blank=True)
    published_on = models.DateField(_("published"))
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media_reports",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media_reports",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "id"]
        verbose_name = _("media report")
        verbose_name_plural = _("media reports")
        constraints = [
            models.UniqueConstraint(fields=["outlet_zh", "title"], name="media_report_unique")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def outlet(self) -> str:
        return localized(self, "outlet")


class CooperationAgreement(Titled):
    """An office's agreement or alliance with a number of institutions."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Cooperation agreement")
        ALLIANCE = "alliance", _("Alliance")
        INITIATIVE = "initiative", _("Initiative")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    office = models.ForeignKey(
        RegulatorOffice,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    institutions = models.ManyToManyField(
        Institution, verbose_name=_("institutions"), blank=True, related_name="agreements"
    )
    signed_on = models.DateField(_("signed"))
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
    )

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")


# Every kind of item the regulators manage (knowledge.kinds names them).
KnowledgeItem: TypeAlias = (
    Policy | TypicalCase | Collection | TrainingSession | MediaReport | CooperationAgreement
)
