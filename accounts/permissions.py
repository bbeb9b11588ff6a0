from __future__ import annotations

from typing import cast

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.selectors import Jurisdiction, regulator_jurisdiction


class RegulatorRequest(Request):
    """The request of an endpoint `IsRegulator` let through: it carries what
    the regulator may read."""

    jurisdiction: Jurisdiction


class IsRegulator(BasePermission):
    """Signed in, and a member of at least one regulator office."""

    message = "Only regulators may read this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not request.user.is_authenticated:
            return False
        jurisdiction = regulator_jurisdiction(user=request.user)
        if jurisdiction is None:
            return False
        cast(RegulatorRequest, request).jurisdiction = jurisdiction
        return True
