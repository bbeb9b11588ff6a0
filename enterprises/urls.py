from django.urls import path

from enterprises import views

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
]
