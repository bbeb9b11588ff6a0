from django.urls import path, re_path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("contracts/", views.contracts, name="contracts"),
    path("campaigns/<slug:slug>/feature/", views.feature_campaign, name="feature-campaign"),
    path("events/<slug:slug>/", views.event_report, name="event-report"),
    re_path(r"^export/(?P<name>[-\w]+)\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
]
