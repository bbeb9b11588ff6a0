"""Reads for enterprises."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from enterprises.models import Enterprise


def enterprises_for(*, user: User | AnonymousUser) -> QuerySet[Enterprise]:
    """The enterprises the user acts for."""
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(memberships__user=user)


def enterprise_ids_for(*, user: User | AnonymousUser) -> set[int]:
    return set(enterprises_for(user=user).values_list("pk", flat=True))
