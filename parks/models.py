from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.limits import BoundedTextField
from core.models import BilingualName, Membership, Province, WebAddressField, localized


class Park(BilingualName):
    """An industrial park or national high-tech zone."""

    class Kind(models.TextChoices):
        NATIONAL_HITECH_ZONE = "national_hitech_zone", _("National high-tech zone")
        ECONOMIC_DEVELOPMENT_ZONE = "economic_development_zone", _("Economic development zone")
        SCIENCE_PARK = "science_park", _("Science park")
        INDUSTRIAL_PARK = "industrial_park", _("Industrial park")
        FREE_TRADE_ZONE = "free_trade_zone", _("Free trade zone")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="parks"
    )
    city_zh = models.CharField(_("city (Chinese)"), max_length=60)
    city_en = models.CharField(_("city (English)"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = WebAddressField(_("website"), blank=True)
    description = BoundedTextField(_("description"), blank=True)

    class Meta:
        ordering = ["province_id", "name_zh"]
        verbose_name = _("park")
        verbose_name_plural = _("parks")

    @property
    def city(self) -> str:
        return localized(self, "city")


class ParkMembership(Membership):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="park_memberships",
    )
    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        verbose_name = _("park manager")
        verbose_name_plural = _("park managers")
        constraints = [
            models.UniqueConstraint(fields=["user", "park"], name="park_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.park}"
