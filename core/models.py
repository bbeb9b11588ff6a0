"""Reference data every other app stands on: provinces, IP kinds, industries.

Also the small abstract bases the apps share: bilingual names, memberships and
status-change history rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.amounts import AmountField
from core.limits import NOTE_MAX_LENGTH, BoundedTextField


def prefers_chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


def localized(obj: object, field: str) -> str:
    """The Chinese or English variant of `field` for the active language,
    falling back to the other one when it is blank."""
    zh = getattr(obj, f"{field}_zh", "") or ""
    en = getattr(obj, f"{field}_en", "") or ""
    if prefers_chinese():
        return zh or en
    return en or zh


class WebAddressField(models.URLField):
    """A URL whose form field assumes https when the scheme is left out."""

    def formfield(self, **kwargs: Any) -> Any:
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)


class MoneyField(models.DecimalField):
    """An amount in yuan: a Decimal with two places, never negative."""

    default_validators = [MinValueValidator(Decimal("0"))]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: Any) -> Any:
        """Forms read it as people write amounts: 300万, 0.5亿 (`core.amounts`)."""
        return super().formfield(**{"form_class": AmountField, **kwargs})


class BilingualName(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Province(BilingualName):
    """A provincial-level division, keyed by its GB/T 2260 code."""

    class Region(models.TextChoices):
        NORTH = "north", _("North China")
        NORTHEAST = "northeast", _("Northeast China")
        EAST = "east", _("East China")
        CENTRAL = "central", _("Central China")
        SOUTH = "south", _("South China")
        SOUTHWEST = "southwest", _("Southwest China")
        NORTHWEST = "northwest", _("Northwest China")
        HMT = "hmt", _("Hong Kong, Macao and Taiwan")

    code = models.CharField(_("GB/T 2260 code"), max_length=6, primary_key=True)
    short_zh = models.CharField(_("abbreviation"), max_length=2)
    region = models.CharField(_("region"), max_length=12, choices=Region.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class IPKind(BilingualName):
    """A kind of intellectual property. The codes are fixed; the rows exist so
    products can accept several kinds through an ordinary many-to-many."""

    class Code(models.TextChoices):
        INVENTION_PATENT = "invention_patent", _("Invention patent")
        UTILITY_MODEL = "utility_model", _("Utility model patent")
        DESIGN_PATENT = "design_patent", _("Design patent")
        TRADEMARK = "trademark", _("Trademark")
        COPYRIGHT = "copyright", _("Copyright")
        SOFTWARE_COPYRIGHT = "software_copyright", _("Software copyright")

    code = models.CharField(_("code"), max_length=24, primary_key=True, choices=Code.choices)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort"]
        verbose_name = _("IP kind")
        verbose_name_plural = _("IP kinds")

    @property
    def is_patent(self) -> bool:
        return self.code in PATENT_KINDS


PATENT_KINDS = frozenset(
    {IPKind.Code.INVENTION_PATENT, IPKind.Code.UTILITY_MODEL, IPKind.Code.DESIGN_PATENT}
)


class Industry(BilingualName):
    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")


class Membership(models.Model):
    """A user acting for an organisation. Each organisation app has its own
    concrete membership, so lower apps never import the organisations above."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        ADMIN = "admin", _("Administrator")

    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        abstract = True


class StatusChange(models.Model):
    """One row per status change: who moved it, when, from where to where, why."""

    from_status = models.CharField(_("from"), max_length=24, blank=True)
    to_status = models.CharField(_("to"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = BoundedTextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"
