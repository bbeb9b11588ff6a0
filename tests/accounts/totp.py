"""A second factor for tests: set one up and read its current code, as the
user's authenticator app would."""

from __future__ import annotations

import time

from allauth.mfa import app_settings
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from accounts.models import User


def give_second_factor(user: User) -> str:
    """Set up TOTP (and recovery codes) for `user`; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def current_code(secret: str) -> str:
    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def wrong_code(secret: str) -> str:
    right = current_code(secret)
    return "000000" if right != "000000" else "111111"
