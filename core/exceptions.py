from __future__ import annotations


class Conflict(Exception):
    """A move the current state does not allow. The API answers 409, pages show
    the message; the service has changed nothing."""

    def __init__(self, message: str, *, code: str = "conflict") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
