"""The signed-in user of a request, as the services take it."""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

UserT = TypeVar("UserT", bound=AbstractBaseUser)


def signed_in(user: UserT | AnonymousUser) -> UserT:
    """`request.user` of a page or an endpoint that only signed-in users reach
    (`login_required`, `IsAuthenticated`), typed as the portal's user: services
    take a `User`, never an `AnonymousUser`. Should a visitor get here all the
    same, they are refused (403) rather than handed on."""
    if isinstance(user, AnonymousUser):
        raise PermissionDenied
    return user
