"""The reader's language sticks: unprefixed page addresses are English, and a
reader whose language cookie says otherwise is sent to the same page in it.
The API has no language prefix: it answers in the language of the cookie or,
failing that, of Accept-Language."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext_lazy as _

from core.db import request_reads
from core.limits import REQUEST_BODY_MAX_BYTES

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


# How long a client should wait before trying again when the database is busy.
RETRY_AFTER_SECONDS = 5


def database_busy(exc: BaseException) -> bool:
    """SQLite's answer when another writer still holds the lock after the busy
    timeout (settings: DATABASES OPTIONS "timeout")."""
    return isinstance(exc, OperationalError) and any(
        phrase in str(exc).lower() for phrase in ("database is locked", "database is busy")
    )


class DatabaseBusyMiddleware:
    """A request that met a database still locked answers 503 with
    Retry-After, in the API's error shape under /api/ and as a page
    elsewhere, rather than 500: nothing was written (the transaction rolled
    back) and trying again shortly will do."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_busy(exception):
            return None
        response: HttpResponse
        if request.path_info.startswith(API_PREFIX):
            response = JsonResponse(
                {"detail": str(_("The portal is busy; please try again shortly.")), "code": "busy"},
                status=503,
            )
        else:
            # Without the request: its context processors would ask the database.
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class ReplicaReadsMiddleware:
    """Lets the selectors that ask read the replica while the request has
    written nothing (core.db); without a replica it does nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_reads(method=request.method or "GET"):
            return self.get_response(request)


class RequestBodyLimitMiddleware:
    """Refuses, before anything reads it, a request whose declared body is
    larger than core.limits.REQUEST_BODY_MAX_BYTES: the largest upload the
    portal takes. nginx holds requests to the same number (client_max_body_size),
    so a portal behind it and one reached directly refuse alike."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= REQUEST_BODY_MAX_BYTES:
            return self.get_response(request)
        message = str(_("The request body is too large."))
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse({"detail": message, "code": "too_large"}, status=413)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
