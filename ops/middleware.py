"""Answers the probes before the rest of the stack sees them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from ops import views

PROBES: dict[str, Callable[[HttpRequest], HttpResponseBase]] = {
    "/healthz/": views.healthz,
    "/readyz/": views.readyz,
    "/metrics/": views.metrics_page,
}


class ProbeMiddleware:
    """/healthz/, /readyz/ and /metrics/ are answered here, right after the security
    headers are set: no host check (a probe may name the address it dialled),
    no session, language, CSRF or sign-in work. settings.SECURE_REDIRECT_EXEMPT
    spares them the HTTPS redirect, so a plain-HTTP probe behind the proxy is
    answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        probe = PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        return probe(request)
