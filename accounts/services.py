"""Writes for accounts: users, notifications, the preferred language, the
security log and personal API tokens."""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
from collections.abc import Iterable, Mapping
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from accounts.models import ApiToken, Notification, SecurityEvent, User


def _render(text: str | Promise, params: Mapping[str, Any]) -> str:
    text = str(text)
    return text % params if params else text


@transaction.atomic
def notification_send(
    *,
    recipients: Iterable[User],
    kind: str,
    subject: str | Promise,
    body: str | Promise = "",
    params: Mapping[str, Any] | None = None,
    link: str = "",
) -> list[Notification]:
    """Notify each recipient in their own language, in the portal and, once the
    transaction commits, by email. `subject` and `body` are lazy translations
    with %(name)s placeholders filled from `params`."""
    from accounts.tasks import send_notification_email

    params = params or {}
    notifications = []
    for user in {u.pk: u for u in recipients if u.is_active}.values():
        with translation.override(user.language):
            notifications.append(
                Notification(
                    recipient=user,
                    kind=kind,
                    subject=_render(subject, params)[:255],
                    body=_render(body, params),
                    link=link,
                )
            )
    created = Notification.objects.bulk_create(notifications)
    for notification in created:
        transaction.on_commit(partial(send_notification_email.delay, notification.pk))
    return created


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read: the given ones, or all. Returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def user_set_language(*, user: User, language: str) -> User:
    """Remember the language the user reads the portal and their email in.
    A language the portal does not offer is ignored."""
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return user
    user.language = language
    user.save(update_fields=["language"])
    return user


# --- Accounts: creating users, the security log, personal API tokens ---------


class EmailAddressTaken(ValidationError):
    """The address already belongs to an account. Carries a field message
    for `email`, like a form's ValidationError."""

    def __init__(self, email: str) -> None:
        super().__init__(
            {"email": [gettext("An account with this email address already exists.")]},
        )
        self.email = email


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    language: str = "zh-hans",
    verified: bool = False,
    phone: str = "",
) -> User:
    """Create a user and the email address allauth signs them in by. An
    invited user's address is verified by the invitation itself
    (`verified=True`); a password of None leaves the account without one
    until its owner sets it."""
    from allauth.account.models import EmailAddress

    email = User.objects.normalize_email(email).strip().lower()
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        raise EmailAddressTaken(email)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    user = User(email=email, full_name=full_name, language=language, phone=phone)
    user.set_password(password)
    user.email_unconfirmed = True  # type: ignore[attr-defined]  # this service records the address
    user.save()
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, phone: str, language: str) -> User:
    user.full_name = full_name.strip()
    user.phone = phone.strip()
    if language in dict(settings.LANGUAGES):
        user.language = language
    user.save(update_fields=["full_name", "phone", "language"])
    return user


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR") or ""
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def security_event_record(
    *,
    user: User | None,
    kind: str,
    request: HttpRequest | None = None,
    organisation: Model | None = None,
    organisation_kind: str = "",
    organisation_id: int | None = None,
    detail: str = "",
) -> SecurityEvent:
    """Write one line of the security log. `organisation` is any
    organisation row (an enterprise, institution, park or regulator office):
    its model name and id are kept. The browser and address come from `request`."""
    if kind not in SecurityEvent.Kind.values:
        raise ValueError(f"unknown security event kind {kind!r}")
    if organisation is not None:
        organisation_kind = organisation._meta.model_name or ""
        organisation_id = organisation.pk
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return SecurityEvent.objects.create(
        user=user if user is not None and user.pk else None,
        kind=kind,
        ip=_client_ip(request),
        user_agent=agent[:255],
        organisation_kind=organisation_kind,
        organisation_id=organisation_id,
        detail=detail[:255],
    )


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(
    *,
    user: User,
    name: str,
    days: int | None = None,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """Make a personal API token. Returns the token and its secret, which is
    shown once and never stored."""
    days = settings.IPFIN_TOKEN_DAYS if days is None else days
    if not 1 <= days <= 366:
        raise ValidationError({"days": [gettext("Choose between 1 and 366 days.")]})
    name = name.strip()
    if not name:
        raise ValidationError({"name": [gettext("Give the token a name.")]})
    secret = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        digest=token_digest(secret),
        hint=secret[: len(ApiToken.PREFIX) + 4],
        expires_at=timezone.now() + timedelta(days=days),
    )
    security_event_record(
        user=user, kind=SecurityEvent.Kind.TOKEN_CREATED, request=request, detail=token.name
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, request: HttpRequest | None = None) -> ApiToken:
    """Revoke a token: it stops working at once. Revoking twice changes nothing."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    security_event_record(
        user=token.user,
        kind=SecurityEvent.Kind.TOKEN_REVOKED,
        request=request,
        detail=token.name,
    )
    return token


def token_mark_used(*, token: ApiToken) -> None:
    """Remember when a token was last used, at most once a minute."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# Wrong second-factor codes through the API: this many in SECOND_FACTOR_WINDOW
# lock the account's API sign-in until the window has passed.
SECOND_FACTOR_ATTEMPTS = 5
SECOND_FACTOR_WINDOW = 300


class SecondFactorLocked(Exception):
    """Too many wrong second-factor codes: wait before trying again."""


def second_factor_check(*, user: User, code: str, request: Any = None) -> None:
    """Check a second-factor code (the authenticator app's, or a recovery
    code) of a user who has one. Raises ValidationError on `code` when it is
    missing or wrong, SecondFactorLocked after repeated wrong ones."""
    from allauth.mfa.models import Authenticator
    from django.core.cache import cache

    key = f"accounts.second-factor-failures.{user.pk}"
    if cache.get(key, 0) >= SECOND_FACTOR_ATTEMPTS:
        raise SecondFactorLocked(
            gettext("Too many wrong codes. Please wait a few minutes and try again.")
        )
    code = (code or "").strip().replace(" ", "")
    if not code:
        raise ValidationError(
            {
                "code": [
                    gettext(
                        "This account has a second factor: enter your authenticator app’s code."
                    )
                ]
            },
            code="second_factor_required",
        )
    for authenticator in Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    ):
        if authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            cache.delete(key)
            return
    cache.add(key, 0, timeout=SECOND_FACTOR_WINDOW)
    cache.incr(key)
    http_request = getattr(request, "_request", request)
    with translation.override(user.language):
        detail = gettext("wrong second-factor code")
    security_event_record(
        user=user, kind=SecurityEvent.Kind.SIGN_IN_FAILED, request=http_request, detail=detail
    )
    raise ValidationError(
        {
            "code": [
                gettext(
                    "That code is not right. Check the time on your phone and try the newest code."
                )
            ]
        }
    )
