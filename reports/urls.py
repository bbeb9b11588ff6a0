from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("imports/", views.imports, name="imports"),
    path("imports/template/<slug:name>.<slug:fmt>", views.template, name="template"),
    path("pdf/", views.report, name="report"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job-progress"),
    path("jobs/<int:pk>/download/", views.job_download, name="job-download"),
]
