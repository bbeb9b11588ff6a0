"""Reads for organisations: who belongs where, who may administer and invite,
and invitations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import RegulatorOffice, User
from accounts.selectors import regulator_jurisdiction
from core.models import Membership, Province
from organisations.models import Invitation
from organisations.registry import KINDS, OPERATOR, REGULATOR, Kind

SIGNING_SALT = "organisations.invitation"


@dataclass(frozen=True)
class Belonging:
    """One organisation a user belongs to, and the membership that says so."""

    kind: Kind
    organisation: Any
    membership: Membership


def organisations_of(*, user: User) -> list[Belonging]:
    """Every organisation the user belongs to: one query per kind."""
    rows: list[Belonging] = []
    for kind in KINDS.values():
        memberships = (
            kind.of_user(user)
            .select_related(f"{kind.field}__province")
            .order_by("created_at", "pk")
        )
        rows += [Belonging(kind, getattr(m, kind.field), m) for m in memberships]
    return rows


def membership_of(
    *, kind: Kind, organisation: Any, user: User | AnonymousUser
) -> Membership | None:
    if not user.is_authenticated:
        return None
    return kind.memberships(organisation).filter(user=user).first()


def is_admin(*, kind: Kind, organisation: Any, user: User | AnonymousUser) -> bool:
    membership = membership_of(kind=kind, organisation=organisation, user=user)
    return membership is not None and membership.role == Membership.Role.ADMIN


def has_admin(*, kind: Kind, organisation: Any) -> bool:
    return kind.memberships(organisation).filter(role=Membership.Role.ADMIN).exists()


def sponsors(*, kind: Kind, organisation: Any, user: User | AnonymousUser) -> bool:
    """Whether the user, from outside, may bring people into the organisation:
    the platform operator for an office, a regulator of the province for a
    park or an institution (for an institution or an office, only while
    nobody administers it)."""
    if not user.is_authenticated or kind.sponsor is None:
        return False
    if kind.sponsor == OPERATOR:
        allowed = bool(user.is_staff)
    elif kind.sponsor == REGULATOR:
        jurisdiction = regulator_jurisdiction(user=user)
        province = kind.province_id(organisation)
        allowed = (
            jurisdiction is not None and province is not None and jurisdiction.covers(province)
        )
    else:
        allowed = False
    if allowed and kind.sponsor_first_only:
        return not has_admin(kind=kind, organisation=organisation)
    return allowed


def may_invite(*, kind: Kind, organisation: Any, user: User | AnonymousUser) -> bool:
    return is_admin(kind=kind, organisation=organisation, user=user) or sponsors(
        kind=kind, organisation=organisation, user=user
    )


def may_see_members(*, kind: Kind, organisation: Any, user: User | AnonymousUser) -> bool:
    return membership_of(kind=kind, organisation=organisation, user=user) is not None or sponsors(
        kind=kind, organisation=organisation, user=user
    )


def members_of(*, kind: Kind, organisation: Any) -> QuerySet[Any]:
    return (
        kind.memberships(organisation).select_related("user").order_by("role", "created_at", "pk")
    )


def open_invitations(*, kind: Kind, organisation: Any) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        kind=kind.key, organisation_id=organisation.pk, status=Invitation.Status.SENT
    ).select_related("invited_by")


def invitations_for(*, user: User) -> QuerySet[Invitation]:
    """Open invitations addressed to the user's email address."""
    return Invitation.objects.filter(
        email=user.email.lower(), status=Invitation.Status.SENT, expires_at__gt=timezone.now()
    )


def invitation_visible(*, pk: int, user: User) -> Invitation:
    """An invitation the user may see: one into an organisation they may
    invite into; 404 otherwise."""
    invitation = Invitation.objects.filter(pk=pk).first()
    if invitation is None:
        raise Http404
    kind = KINDS[invitation.kind]
    organisation = kind.get(invitation.organisation_id)
    if not may_invite(kind=kind, organisation=organisation, user=user):
        raise Http404
    return invitation


def organisation_of(invitation: Invitation) -> Any:
    return KINDS[invitation.kind].get(invitation.organisation_id)


# --- the signed link


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(str(invitation.key), salt=SIGNING_SALT)


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation the link names, whatever its status; None when the link
    is not one of ours or is older than an invitation lives."""
    max_age = settings.IPFIN_INVITATION_DAYS * 24 * 3600
    try:
        key = signing.loads(token, salt=SIGNING_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return Invitation.objects.filter(key=key).select_related("invited_by").first()


def provinces_governed(*, user: User | AnonymousUser) -> QuerySet[Province]:
    """The provinces a regulator may add institutions and parks in; none for others."""
    jurisdiction = regulator_jurisdiction(user=user)
    if jurisdiction is None:
        return Province.objects.none()
    if jurisdiction.national:
        return Province.objects.all()
    return Province.objects.filter(pk__in=jurisdiction.provinces)


def offices_without_admin() -> QuerySet[RegulatorOffice]:
    """Regulator offices nobody administers yet: the platform operator's to-do."""
    return (
        RegulatorOffice.objects.exclude(memberships__role=Membership.Role.ADMIN)
        .select_related("province")
        .order_by("level", "province_id", "name_zh")
    )


def with_organisations(invitations: list[Invitation]) -> list[tuple[Invitation, Any]]:
    """Each invitation with its organisation: one query per kind, not per row."""
    wanted: dict[str, set[int]] = {}
    for invitation in invitations:
        wanted.setdefault(invitation.kind, set()).add(invitation.organisation_id)
    found = {
        key: KINDS[key].model._default_manager.in_bulk(list(ids)) for key, ids in wanted.items()
    }
    return [
        (invitation, found[invitation.kind][invitation.organisation_id])
        for invitation in invitations
        if invitation.organisation_id in found[invitation.kind]
    ]


def open_invitations_sent_by(*, user: User) -> list[tuple[Invitation, Any]]:
    """The open invitations the user has sent, newest first, with their organisations."""
    return with_organisations(
        list(Invitation.objects.filter(invited_by=user, status=Invitation.Status.SENT))
    )
