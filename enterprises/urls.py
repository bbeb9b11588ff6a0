from django.urls import path

from enterprises import joining_views, views

app_name = "enterprises"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("profile/edit/", views.profile_edit, name="profile-edit"),
    path("assets/", views.assets, name="assets"),
    path("assets/new/", views.asset_create, name="asset-create"),
    path("assets/import/", views.assets_import, name="assets-import"),
    path("assets/<int:pk>/edit/", views.asset_edit, name="asset-edit"),
    path("assets/<int:pk>/appraise/", views.asset_appraise, name="asset-appraise"),
    path("assets/<int:pk>/delete/", views.asset_delete, name="asset-delete"),
    path("start/", joining_views.start, name="start"),
    path("join-requests/", joining_views.join_requests, name="join-requests"),
    path(
        "join-requests/<int:pk>/<slug:action>/",
        joining_views.join_request_move,
        name="join-request-move",
    ),
    path("verification/", joining_views.verification_queue_page, name="verification-queue"),
    path("verification/<int:pk>/", joining_views.verification, name="verification"),
    path("verification/<int:pk>/licence/", joining_views.licence, name="licence"),
    path(
        "verification/<int:pk>/<slug:action>/",
        joining_views.verification_move,
        name="verification-move",
    ),
]
