"""The reader's language sticks: unprefixed page addresses are English, and a
reader whose language cookie says otherwise is sent to the same page in it.
The API has no language prefix: it answers in the language of the cookie or,
failing that, of Accept-Language."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_path

API_PREFIX = "/api/"


class PreferredLanguageMiddleware:
    """After LocaleMiddleware. Only page reads (GET and HEAD) of addresses that
    have a translated form are redirected; the API, static files and POSTs
    are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            # LocaleMiddleware gave this unprefixed address the default language.
            language = translation.get_language_from_request(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
            return self.get_response(request)
        if request.method not in ("GET", "HEAD") or get_language_from_path(request.path_info):
            return self.get_response(request)
        target = self._preferred_address(request)
        response = HttpResponseRedirect(target) if target else self.get_response(request)
        # What an unprefixed address answers depends on the cookie.
        patch_vary_headers(response, ("Cookie",))
        return response

    def _preferred_address(self, request: HttpRequest) -> str | None:
        wanted = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if wanted == settings.LANGUAGE_CODE or wanted not in self.languages:
            return None
        here = request.get_full_path()
        there = translate_url(here, wanted)
        return there if there != here else None
