from django.urls import path

from financing import views

app_name = "financing"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_new, name="new"),
    path("queue/", views.application_queue_page, name="queue"),
    path("<int:pk>/", views.application_page, name="detail"),
    path("<int:pk>/documents/<int:document>/", views.document_download, name="document"),
    # Every move of the workflow, by the name of its API endpoint (submit,
    # approve, sign-contract, ...); unknown names are 404.
    path("<int:pk>/<slug:action>/", views.application_action, name="action"),
]
