"""Who a user is in the portal: the organisations they act for and, for
regulators, the provinces they may read."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import ApiToken, Notification, RegulatorOffice, SecurityEvent, User


@dataclass(frozen=True)
class Jurisdiction:
    """What a regulator may read: every province, or a set of them."""

    national: bool
    provinces: frozenset[str]

    def covers(self, province_code: str) -> bool:
        return self.national or province_code in self.provinces


def regulator_offices(*, user: User | AnonymousUser) -> list[RegulatorOffice]:
    if not user.is_authenticated:
        return []
    return list(RegulatorOffice.objects.filter(memberships__user=user).select_related("province"))


def regulator_jurisdiction(*, user: User | AnonymousUser) -> Jurisdiction | None:
    """None when the user is not a regulator."""
    offices = regulator_offices(user=user)
    if not offices:
        return None
    national = any(office.is_national for office in offices)
    provinces = frozenset(o.province_id for o in offices if o.province_id is not None)
    return Jurisdiction(national=national, provinces=provinces)


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(*, user: User | AnonymousUser) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def security_events_for_user(user: User) -> QuerySet[SecurityEvent]:
    """The user's own security log, newest first."""
    return SecurityEvent.objects.filter(user=user).order_by("-created_at", "-id")


def security_events_for_organisation(kind: str, id: int) -> QuerySet[SecurityEvent]:
    """An organisation's security log (invitations, roles, removals), newest
    first. `kind` is the organisation's model name, e.g. "enterprise"."""
    return (
        SecurityEvent.objects.filter(organisation_kind=kind, organisation_id=id)
        .select_related("user")
        .order_by("-created_at", "-id")
    )


def tokens_for_user(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_for_secret(secret: str) -> ApiToken | None:
    """The token a secret names, whatever its state, with its user."""
    from accounts.services import token_digest

    return ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()


def has_second_factor(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    found: bool = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return found
