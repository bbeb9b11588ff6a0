from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from accounts import views as account_views
from core.api import api_not_found
from ipfin import views as site_views

api_v1 = [
    path("", include("accounts.api_v1_urls")),
    path("", include("products.api_urls")),
    path("", include("enterprises.api_urls")),
    path("", include("financing.api_urls")),
    path("", include("events.api_urls")),
    path("", include("events.meeting_api_urls")),
    path("", include("financing.onsite_api_urls")),
    path("", include("knowledge.api_urls")),
    path("dashboard/", include("dashboards.api_urls")),
    path("", include("reports.api_urls")),
    path("matching/", include("matching.api_urls")),
    path("", include("organisations.api_urls")),
    path("", include("search.api_urls")),
]

urlpatterns = [
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("api/v1/", include(api_v1)),
    path("api/auth/", include("accounts.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", site_views.ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    # The probes (ops): outside the language prefixes, answered by ops.middleware.
    path("", include("ops.urls")),
    # Anything else under /api/ answers the API's JSON 404.
    re_path(r"^api/", api_not_found, name="api-not-found"),
]

urlpatterns += i18n_patterns(
    path("", site_views.home, name="home"),
    path("workspace/park/", site_views.park_workspace, name="park-workspace"),
    path("accounts/", include("accounts.urls")),
    # Sign-up, email confirmation, password reset and change, second factor,
    # sessions: django-allauth's pages (their URL names are allauth's).
    path("accounts/", include("accounts.allauth_urls")),
    path("products/", include("products.urls")),
    path("enterprise/", include("enterprises.urls")),
    path("applications/", include("financing.urls")),
    path("events/", include("events.urls")),
    path("", include("events.meeting_urls")),
    path("", include("financing.onsite_urls")),
    # Matchmaking: /matching/… and the organisers' /events/<slug>/schedule/….
    path("", include("matching.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("reports/", include("reports.urls")),
    path("organisations/", include("organisations.urls")),
    path("search/", include("search.urls")),
    # The admin signs in through the portal's sign-in, which asks for the
    # second factor; its own password-only form is never shown.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        name="admin-sign-in",
    ),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

# Uploaded files are never served from MEDIA_URL, not even under DEBUG: each is
# handed out by a view that checks who asks (application documents, licences,
# knowledge files, reports).
