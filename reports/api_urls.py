from django.urls import path

from reports import api

urlpatterns = [
    path("jobs/", api.JobListView.as_view(), name="api-jobs"),
    path("jobs/<int:pk>/", api.JobDetailView.as_view(), name="api-job"),
    path("jobs/<int:pk>/download/", api.JobDownloadView.as_view(), name="api-job-download"),
    path("reports/imports/", api.ImportView.as_view(), name="api-imports"),
    path(
        "reports/imports/template/<slug:name>.<slug:fmt>",
        api.ImportTemplateView.as_view(),
        name="api-import-template",
    ),
    path("reports/pdf/", api.ReportView.as_view(), name="api-reports"),
]
