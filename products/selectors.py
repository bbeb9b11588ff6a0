"""Reads for institutions and products."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from products.models import Institution


def institutions_for(*, user: User | AnonymousUser) -> QuerySet[Institution]:
    """The institutions the user acts for."""
    if not user.is_authenticated:
        return Institution.objects.none()
    return Institution.objects.filter(memberships__user=user)


def institution_ids_for(*, user: User | AnonymousUser) -> set[int]:
    return set(institutions_for(user=user).values_list("pk", flat=True))
