from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from accounts.selectors import regulator_jurisdiction


class IsRegulator(BasePermission):
    """Signed in, and a member of at least one regulator office."""

    message = "Only regulators may read this."

    def has_permission(self, request: Any, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        jurisdiction = regulator_jurisdiction(user=request.user)
        request.jurisdiction = jurisdiction
        return jurisdiction is not None
