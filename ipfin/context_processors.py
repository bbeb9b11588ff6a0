"""The workspaces a signed-in user may open, for the navigation bar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def workspaces(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": frozenset()}
    # One query: which kinds of organisation the user acts for.
    from accounts.models import User

    row = (
        User.objects.filter(pk=user.pk)
        .values_list(
            "enterprise_memberships__id",
            "institution_memberships__id",
            "park_memberships__id",
            "office_memberships__id",
        )
        .first()
    )
    names = ("enterprise", "institution", "park", "regulator")
    roles = {name for name, value in zip(names, row or (), strict=False) if value}
    if user.is_staff:
        roles.add("staff")
    from accounts.selectors import unread_count

    return {"roles": frozenset(roles), "unread_notifications": unread_count(user=user)}
