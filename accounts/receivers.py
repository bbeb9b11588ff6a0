"""The security log listens: sign-ins and failed ones (Django's signals, so
the sign-in page, the token API and the admin are all heard), password and
email changes (allauth's), and second-factor changes (allauth.mfa's)."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.account.models import EmailAddress
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import signals as auth_signals
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import SecurityEvent, User
from accounts.services import security_event_record

Kind = SecurityEvent.Kind


@receiver(post_save, sender=User)
def _address_of_a_made_account(
    sender: Any, instance: User, created: bool, raw: bool, **_: Any
) -> None:
    """An account made by someone else (`manage.py createsuperuser`, an
    operator in the admin, the demo seed, an import) has its address vouched
    for by whoever made it: it is recorded as verified, so its owner signs
    in without a confirmation mail. Sign-ups (which confirm first) and
    user_create (which says) mark the user beforehand."""
    if not created or raw or getattr(instance, "email_unconfirmed", False) or not instance.email:
        return
    EmailAddress.objects.get_or_create(
        user=instance, email=instance.email, defaults={"primary": True, "verified": True}
    )


@receiver(auth_signals.user_logged_in)
def _signed_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    security_event_record(user=user, kind=Kind.SIGN_IN, request=request)


@receiver(auth_signals.user_login_failed)
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any
) -> None:
    email = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    user = User.objects.filter(email=email).first() if email else None
    security_event_record(
        user=user, kind=Kind.SIGN_IN_FAILED, request=request, detail=email if user is None else ""
    )


@receiver(account_signals.password_changed)
@receiver(account_signals.password_set)
def _password_changed(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    security_event_record(user=user, kind=Kind.PASSWORD_CHANGED, request=request)


@receiver(account_signals.password_reset)
def _password_reset(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    security_event_record(user=user, kind=Kind.PASSWORD_RESET, request=request)


@receiver(account_signals.email_changed)
def _email_changed(
    sender: Any, request: Any, user: User, from_email_address: Any, to_email_address: Any, **_: Any
) -> None:
    before = from_email_address.email if from_email_address else ""
    security_event_record(
        user=user,
        kind=Kind.EMAIL_CHANGED,
        request=request,
        detail=f"{before} → {to_email_address.email}",
    )


def _record_authenticator_change(signal: Any, authenticator_type: str, kind: str) -> None:
    """Record `kind` when `signal` speaks of an authenticator of `authenticator_type`."""

    def record(
        sender: Any, request: Any, user: User, authenticator: Authenticator, **_: Any
    ) -> None:
        if authenticator.type == authenticator_type:
            security_event_record(user=user, kind=kind, request=request)

    signal.connect(record, weak=False, dispatch_uid=f"security-log-{kind}")


# A second factor (an authenticator app) added or removed; recovery codes made anew.
_record_authenticator_change(
    mfa_signals.authenticator_added, Authenticator.Type.TOTP, Kind.MFA_ENABLED
)
_record_authenticator_change(
    mfa_signals.authenticator_removed, Authenticator.Type.TOTP, Kind.MFA_DISABLED
)
_record_authenticator_change(
    mfa_signals.authenticator_reset,
    Authenticator.Type.RECOVERY_CODES,
    Kind.RECOVERY_CODES_REGENERATED,
)


@receiver(mfa_signals.authentication_failed)
def _second_factor_failed(sender: Any, request: Any, user: User, **_: Any) -> None:
    with translation.override(user.language):
        detail = gettext("wrong second-factor code")
    security_event_record(user=user, kind=Kind.SIGN_IN_FAILED, request=request, detail=detail)
