from django.urls import path

from financing import api

urlpatterns = [
    path("applications/", api.ApplicationListView.as_view(), name="api-applications"),
    path("applications/<int:pk>/", api.ApplicationDetailView.as_view(), name="api-application"),
    path(
        "applications/<int:pk>/documents/<int:document>/",
        api.ApplicationDocumentView.as_view(),
        name="api-application-document",
    ),
    # One explicit endpoint per move of the workflow (docs/workflows.md).
    *api.move_urls,
]
