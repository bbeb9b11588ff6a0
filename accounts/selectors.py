"""Who a user is in the portal: the organisations they act for and, for
regulators, the provinces they may read."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import Notification, RegulatorOffice, User


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
