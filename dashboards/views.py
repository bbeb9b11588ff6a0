from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.selectors import regulator_jurisdiction
from core.models import Province
from dashboards.selectors import campaign_figures, scope_for
from events.models import Campaign


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """A regulator's figures for a campaign, over its jurisdiction."""
    jurisdiction = regulator_jurisdiction(user=request.user)
    if jurisdiction is None:
        raise PermissionDenied(_("Only regulators may read dashboards."))
    campaigns = list(Campaign.objects.order_by("-starts_on"))
    slug = request.GET.get("campaign")
    campaign = next((c for c in campaigns if c.slug == slug), campaigns[0] if campaigns else None)
    if jurisdiction.national:
        provinces = list(Province.objects.filter(hosted_events__isnull=False).distinct())
    else:
        provinces = list(Province.objects.filter(pk__in=jurisdiction.provinces))
    code = request.GET.get("province")
    asked = Province.objects.filter(pk=code).first() if code else None
    scope = scope_for(params={"campaign": campaign, "province": asked}, jurisdiction=jurisdiction)
    figures = campaign_figures(scope=scope)
    province = scope.province
    return render(
        request,
        "dashboards/overview.html",
        {
            "campaigns": campaigns,
            "campaign": campaign,
            "provinces": provinces,
            "province": province,
            "national": jurisdiction.national,
            "figures": figures,
        },
    )
