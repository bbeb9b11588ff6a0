"""The probes a load balancer or an orchestrator asks: /healthz/ (the
process answers) and /readyz/ (it can serve: ops.checks); and /metrics/, what
Prometheus scrapes (ops.metrics). All three are answered by
ops.middleware.ProbeMiddleware ahead of sessions, language, CSRF and sign-in;
their URL patterns name them for reverse() and the route tables."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse
from django.views.decorators.cache import never_cache

from core.http import methods
from ops import checks, metrics


@methods("GET")
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive: no database, no cache, nothing else asked."""
    return JsonResponse({"status": "ok"})


@methods("GET")
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Every check named with its time in ms; 503 when one fails."""
    results = checks.run_all()
    failing = [result.name for result in results if not result.ok]
    body: dict[str, object] = {
        "status": "error" if failing else "ok",
        "checks": {result.name: result.as_json() for result in results},
    }
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)


@methods("GET")
@never_cache
def metrics_page(request: HttpRequest) -> HttpResponse:
    """Prometheus's text format; a plain 404 to anyone but the operator's
    scraper (ops.metrics.may_scrape), as if there were nothing here."""
    if not metrics.may_scrape(request):
        return HttpResponseNotFound()
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
