"""The workspaces a signed-in user may open, for the navigation bar."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, IntegerField, Model, OuterRef, Subquery
from django.http import HttpRequest


def _memberships() -> dict[str, type[Model]]:
    """The kinds of organisation a user may act for, by the membership that says so."""
    from accounts.models import OfficeMembership
    from enterprises.models import EnterpriseMembership
    from parks.models import ParkMembership
    from products.models import InstitutionMembership

    return {
        "enterprise": EnterpriseMembership,
        "institution": InstitutionMembership,
        "park": ParkMembership,
        "regulator": OfficeMembership,
    }


def workspaces(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": frozenset()}
    from accounts.models import Notification, User

    # One query for the whole bar: which organisations, and how many unread notifications.
    memberships = _memberships()
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            **{
                role: Exists(membership._default_manager.filter(user=OuterRef("pk")))
                for role, membership in memberships.items()
            },
            unread=Subquery(unread, output_field=IntegerField()),
        )
        .values(*memberships, "unread")
        .first()
    ) or {}
    roles = {role for role in memberships if row.get(role)}
    if user.is_staff:
        roles.add("staff")
    return {"roles": frozenset(roles), "unread_notifications": row.get("unread") or 0}
