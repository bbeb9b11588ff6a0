"""Personal API tokens in the Authorization header: `Token ipf_…`."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import ApiToken, User
from accounts.selectors import token_for_secret
from accounts.services import token_mark_used


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    """Answers for secrets that start with the personal-token prefix; any
    other `Token …` header is left to DRF's own token authentication."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() != self.keyword.lower().encode():
            return None
        try:
            secret = parts[1].decode()
        except UnicodeError:
            return None
        if not secret.startswith(ApiToken.PREFIX):
            return None
        token = token_for_secret(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."), code="token_invalid")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                _("This token has been revoked."), code="token_revoked"
            )
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(
                _("This token has expired."), code="token_expired"
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("This account is inactive."), code="user_inactive"
            )
        token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
