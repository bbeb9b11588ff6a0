"""Site-wide pages that draw on several apps."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularSwaggerSplitView

from core.http import methods
from dashboards.selectors import Scope, campaign_figures, public_campaign
from ipfin.workspaces import park_attention, registrations_waiting_url


@methods("GET")
def home(request: HttpRequest) -> HttpResponse:
    campaign = public_campaign()
    figures = campaign_figures(scope=Scope(campaign=campaign)) if campaign else None
    return render(request, "home.html", {"campaign": campaign, "figures": figures})


@methods("GET")
@login_required
def park_workspace(request: HttpRequest) -> HttpResponse:
    """A park manager's workspace: the upcoming events of its parks with the
    registrations waiting for approval, and the enterprises to verify."""
    attention = park_attention(user=request.user)
    if not attention.parks:
        raise PermissionDenied(_("Only the managers of a park have a park workspace."))
    rows = [(event, registrations_waiting_url(event)) for event in attention.events]
    return render(request, "workspace/park.html", {"attention": attention, "rows": rows})


class ApiDocsView(SpectacularSwaggerSplitView):
    """The API's Swagger UI (/api/docs/), served from drf-spectacular-sidecar's
    files. The split view fetches its start-up script from this same address
    (`?script`) instead of writing it into the page, which the
    Content-Security-Policy would refuse."""

    template_name = "api/swagger_ui.html"
