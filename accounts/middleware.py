"""Chinese first, and a second factor where the portal asks for one.

BrowserLanguageMiddleware: a first visit (no language cookie) to an
unprefixed page address opens the page in the language the browser asks for:
any Chinese is Simplified Chinese, English stays English, and anything else
(or nothing) is Chinese. A chosen language (the cookie) always wins.

RequireSecondFactorMiddleware: with IPFIN_REQUIRE_MFA on, a signed-in user
whom the account adapter says needs a second factor and who has none is sent
to set one up before any other page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_path, gettext
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/"
CHINESE = "zh-hans"
ENGLISH = "en"


def browser_language(accept_language: str) -> str:
    """The portal's language for an Accept-Language header: the first of
    Chinese or English the browser names, Chinese when it names neither."""
    for code, _quality in parse_accept_lang_header(accept_language.lower()):
        if code == "zh" or code.startswith("zh-"):
            return CHINESE
        if code == "en" or code.startswith("en-"):
            return ENGLISH
    return CHINESE


class BrowserLanguageMiddleware:
    """After LocaleMiddleware, before the preferred-language redirect."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if (
            request.method not in ("GET", "HEAD")
            or path.startswith(API_PREFIX)
            or path.startswith("/" + settings.STATIC_URL.lstrip("/"))
            or get_language_from_path(path)
            or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in self.languages
        ):
            return self.get_response(request)
        wanted = browser_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        response: HttpResponse | None = None
        if wanted != settings.LANGUAGE_CODE:
            here = request.get_full_path()
            there = translate_url(here, wanted)
            if there != here:
                response = HttpResponseRedirect(there)
        if response is None:
            response = self.get_response(request)
        # What an unprefixed address answers depends on the browser's languages.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


# Pages a user without the second factor they need may still open.
SECOND_FACTOR_SETUP = {
    "mfa_index",
    "mfa_activate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_reauthenticate",
    "account_reauthenticate",
    "account_logout",
    "accounts:logout",
    "set_language",
}


class RequireSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.IPFIN_REQUIRE_MFA or not request.user.is_authenticated:
            return self.get_response(request)
        if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return self.get_response(request)
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            return self.get_response(request)
        if name in SECOND_FACTOR_SETUP:
            return self.get_response(request)
        from allauth.account.adapter import get_adapter

        adapter = get_adapter(request)
        if not adapter.requires_second_factor(request.user):
            return self.get_response(request)
        from accounts.selectors import has_second_factor

        if has_second_factor(request.user):
            return self.get_response(request)
        message = gettext(
            "Your organisation's work needs a second factor: set up an authenticator app "
            "before you continue."
        )
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse({"detail": message, "code": "second_factor_required"}, status=403)
        messages.warning(request, message)
        return HttpResponseRedirect(reverse("mfa_activate_totp"))


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """What django-axes counts failures against: the email, whichever name
    the form or the API gives it."""
    sources: list[Any] = [credentials or {}, request.POST]
    for source in sources:
        for key in ("email", "username", "login"):
            value = source.get(key)
            if value:
                return str(value).strip().lower()
    return None
