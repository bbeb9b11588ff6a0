"""Site-wide pages that draw on several apps."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from drf_spectacular.views import SpectacularSwaggerSplitView

from core.http import methods
from dashboards.selectors import Scope, campaign_figures, public_campaign


@methods("GET")
def home(request: HttpRequest) -> HttpResponse:
    campaign = public_campaign()
    figures = campaign_figures(scope=Scope(campaign=campaign)) if campaign else None
    return render(request, "home.html", {"campaign": campaign, "figures": figures})


@methods("GET")
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class ApiDocsView(SpectacularSwaggerSplitView):
    """The API's Swagger UI (/api/docs/), served from drf-spectacular-sidecar's
    files. The split view fetches its start-up script from this same address
    (`?script`) instead of writing it into the page, which the
    Content-Security-Policy would refuse."""

    template_name = "api/swagger_ui.html"
