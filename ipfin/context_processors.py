"""The workspaces a signed-in user may open, for the navigation bar."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.http import HttpRequest

# The kinds of organisation a user may act for, by the membership relation that says so.
MEMBERSHIPS = {
    "enterprise": "enterprise_memberships",
    "institution": "institution_memberships",
    "park": "park_memberships",
    "regulator": "office_memberships",
}


def workspaces(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": frozenset()}
    from accounts.models import Notification, User

    # One query for the whole bar: which organisations, and how many unread notifications.
    field = User._meta.get_field
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
                role: Exists(field(relation).related_model.objects.filter(user=OuterRef("pk")))
                for role, relation in MEMBERSHIPS.items()
            },
            unread=Subquery(unread, output_field=IntegerField()),
        )
        .values(*MEMBERSHIPS, "unread")
        .first()
    ) or {}
    roles = {role for role in MEMBERSHIPS if row.get(role)}
    if user.is_staff:
        roles.add("staff")
    return {"roles": frozenset(roles), "unread_notifications": row.get("unread") or 0}
