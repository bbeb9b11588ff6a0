from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Conflict(Exception):
    """A move the current state does not allow. The API answers 409, pages show
    the message; the service has changed nothing."""

    def __init__(self, message: StrOrPromise, *, code: str = "conflict") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
