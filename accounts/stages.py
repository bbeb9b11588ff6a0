"""allauth's login stages, as the portal needs them."""

from __future__ import annotations

from typing import Any

from allauth.account import stages
from allauth.account.models import EmailAddress


class EmailVerificationStage(stages.EmailVerificationStage):
    """Accounts made without allauth (`manage.py createsuperuser`, the demo
    seed, an import) have no email address rows: whoever made them vouched
    for the address, so they sign in without a confirmation mail. Anyone who
    signed up, or whose address is on record unverified, confirms it first."""

    def handle(self) -> tuple[Any, bool]:
        user = self.login.user
        if user is not None and not EmailAddress.objects.filter(user=user).exists():
            return None, True
        return super().handle()
