from django.urls import path, re_path

from dashboards.api import (
    DashboardBreakdownView,
    DashboardSummaryView,
    EventReportApi,
    FeaturedCampaignView,
)

urlpatterns = [
    path("summary/", DashboardSummaryView.as_view(), name="dashboard-summary"),
    path(
        "featured-campaign/",
        FeaturedCampaignView.as_view(),
        name="dashboard-featured-campaign",
    ),
    path("events/<slug:slug>/", EventReportApi.as_view(), name="dashboard-event-report"),
    re_path(
        r"^by/(?P<dimension>province|park|event|month|institution|ip-kind)/$",
        DashboardBreakdownView.as_view(),
        name="dashboard-breakdown",
    ),
]
