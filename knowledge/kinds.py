"""The six kinds of knowledge item, by the slug their pages and forms use."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from knowledge.models import (
    Collection,
    CooperationAgreement,
    MediaReport,
    Policy,
    TrainingSession,
    TypicalCase,
)


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[models.Model]
    singular: str | Promise
    plural: str | Promise
    description: str | Promise


KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in (
        Kind(
            "policies",
            Policy,
            _("policy"),
            _("Policies"),
            _("National, provincial and municipal policies on IP pledge financing."),
        ),
        Kind(
            "cases",
            TypicalCase,
            _("typical case"),
            _("Typical cases"),
            _("Enterprises that turned their intellectual property into loans."),
        ),
        Kind(
            "collections",
            Collection,
            _("collection"),
            _("Collections"),
            _("Bundles of policies, cases and products to download."),
        ),
        Kind(
            "trainings",
            TrainingSession,
            _("training session"),
            _("Training sessions"),
            _("Policy and financing training held in the parks."),
        ),
        Kind(
            "media",
            MediaReport,
            _("media report"),
            _("Media reports"),
            _("What newspapers, television and websites reported."),
        ),
        Kind(
            "agreements",
            CooperationAgreement,
            _("cooperation agreement"),
            _("Agreements and alliances"),
            _("Offices' cooperation agreements and alliances with banks."),
        ),
    )
}

SLUG_BY_MODEL: dict[type[models.Model], str] = {kind.model: slug for slug, kind in KINDS.items()}


class KindConverter:
    """`<kind:kind>` in URLs: one of the slugs above, nothing else."""

    regex = "|".join(KINDS)

    def to_python(self, value: str) -> Kind:
        return KINDS[value]

    def to_url(self, value: Kind | str) -> str:
        return value.slug if isinstance(value, Kind) else value
