"""The four kinds of organisation a user acts for, declared once.

Each kind names its model, its membership model and the membership's field
that points at the organisation, and who outside the organisation may bring
its first people in (its sponsor): the platform operator for a regulator
office, a regulator of the province for an institution or a park. Members
pages and services are written once against this registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import OfficeMembership, RegulatorOffice
from core.models import Membership
from enterprises.models import Enterprise, EnterpriseMembership
from parks.models import Park, ParkMembership
from products.models import Institution, InstitutionMembership

OFFICE = "office"
INSTITUTION = "institution"
PARK = "park"
ENTERPRISE = "enterprise"

# Who outside an organisation may invite into it.
OPERATOR = "operator"  # the platform operator (staff)
REGULATOR = "regulator"  # a regulator whose jurisdiction covers the province


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    model: type[models.Model]
    membership: type[Membership]
    sponsor: str | None = None
    # The sponsor invites only while nobody administers the organisation.
    sponsor_first_only: bool = False

    @property
    def field(self) -> str:
        """The name of the membership's foreign key to the organisation."""
        return next(
            field.name
            for field in self.membership._meta.get_fields()
            if field.many_to_one and field.related_model is self.model
        )

    def get(self, pk: int) -> Any:
        """The organisation, or 404."""
        try:
            return self.model._default_manager.select_related("province").get(pk=pk)
        except ObjectDoesNotExist as missing:
            raise Http404 from missing

    def memberships(self, organisation: Any) -> models.QuerySet[Any]:
        return self.membership._default_manager.filter(**{self.field: organisation})

    def of_user(self, user: Any) -> models.QuerySet[Any]:
        """The user's memberships of this kind."""
        return self.membership._default_manager.filter(**{"user": user})

    def province_id(self, organisation: Any) -> str | None:
        return getattr(organisation, "province_id", None)


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            key=OFFICE,
            label=_("Regulator office"),
            model=RegulatorOffice,
            membership=OfficeMembership,
            sponsor=OPERATOR,
            sponsor_first_only=True,
        ),
        Kind(
            key=INSTITUTION,
            label=_("Financial institution"),
            model=Institution,
            membership=InstitutionMembership,
            sponsor=REGULATOR,
            sponsor_first_only=True,
        ),
        Kind(
            key=PARK,
            label=_("Park"),
            model=Park,
            membership=ParkMembership,
            sponsor=REGULATOR,
        ),
        Kind(
            key=ENTERPRISE,
            label=_("Enterprise"),
            model=Enterprise,
            membership=EnterpriseMembership,
        ),
    )
}

KIND_CHOICES = [(kind.key, kind.label) for kind in KINDS.values()]


def kind_of(key: str) -> Kind:
    """The kind by its key, or 404 (the key comes from an address)."""
    try:
        return KINDS[key]
    except KeyError as missing:
        raise Http404 from missing
