"""How django-allauth fits the portal: where a user lands after signing up or
in, in which language, who must have a second factor, and the mails.

Other apps extend the landing page through `AccountAdapter.landing_page`:
return an address for the users it concerns and None for the rest.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import user_set_language
from accounts.views import remember_language
from ipfin.context_processors import _memberships
from ipfin.workspaces import landing_page as workspace_landing_page


def _acts_for_an_organisation(user: User) -> bool:
    return any(
        membership._default_manager.filter(user=user).exists()
        for membership in _memberships().values()
    )


# The memberships whose holders need a second factor when IPFIN_REQUIRE_MFA is on.
SECOND_FACTOR_ROLES = ("institution", "park", "regulator")


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _("Please enter a correct email address and password."),
        "email_taken": _("An account with this email address already exists."),
    }

    def landing_page(self, request: HttpRequest, user: User, *, signup: bool) -> str | None:
        """The first page for this user, or None for the portal's home page.
        A new account that acts for no organisation registers its enterprise
        or asks to join it (docs/onboarding.md); invited members arrive with
        their organisation and land on its workspace, like anyone signing in.
        A `next` address wins over both (allauth reads it first)."""
        if signup and not user.is_staff and not _acts_for_an_organisation(user):
            return reverse("enterprises:start")
        # Everyone else lands on the workspace of their first role (ipfin.workspaces).
        return workspace_landing_page(user)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        landing = self.landing_page(request, user, signup=True) if user.is_authenticated else None
        return landing or super().get_signup_redirect_url(request)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        landing = self.landing_page(request, request.user, signup=False)  # type: ignore[arg-type]
        return landing or super().get_login_redirect_url(request)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """A new account reads the portal in the language it signed up in."""
        user = super().save_user(request, user, form, commit=False)
        user.email = user.email.strip().lower()
        user.full_name = form.cleaned_data.get("full_name", "").strip()
        language = translation.get_language()
        user.language = language if language in dict(settings.LANGUAGES) else "zh-hans"
        # allauth records the address itself, unverified until confirmed.
        user.email_unconfirmed = True
        if commit:
            user.save()
        return user

    def clean_email(self, email: str) -> str:
        cleaned: str = super().clean_email(email)
        return cleaned.strip().lower()

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        """Signing in opens the portal where the user was going, in their
        saved language, and remembers that language in the cookie."""
        response = super().post_login(request, user, **kwargs)
        language = user.language if user.language in dict(settings.LANGUAGES) else None
        if language is None:
            language = translation.get_language() or settings.LANGUAGE_CODE
            user_set_language(user=user, language=language)
        if response.status_code in (301, 302) and response.has_header("Location"):
            response["Location"] = translate_url(response["Location"], language)
        return remember_language(response, language)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """An address django-axes has locked stays locked, whatever allauth's own counters say."""
        if not AxesProxyHandler.is_allowed(request, credentials):
            request.axes_locked_out = True  # type: ignore[attr-defined]
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def requires_second_factor(self, user: User) -> bool:
        """Officers, regulators, park managers and staff must have a second
        factor when IPFIN_REQUIRE_MFA is on; enterprise staff may choose."""
        if user.is_staff:
            return True
        memberships = _memberships()
        return any(
            memberships[role]._default_manager.filter(user=user).exists()
            for role in SECOND_FACTOR_ROLES
        )
