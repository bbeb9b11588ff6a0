from django.urls import path, register_converter

from knowledge import views
from knowledge.kinds import KindConverter

app_name = "knowledge"
register_converter(KindConverter, "kind")

urlpatterns = [
    path("", views.index, name="index"),
    path("manage/", views.manage, name="manage"),
    path("manage/<kind:kind>/", views.manage_list, name="manage-list"),
    path("manage/<kind:kind>/new/", views.create, name="create"),
    path("manage/<kind:kind>/<int:pk>/edit/", views.edit, name="edit"),
    path("manage/<kind:kind>/<int:pk>/delete/", views.delete, name="delete"),
    path("collections/<int:pk>/download/", views.collection_download, name="download"),
    path("policies/<int:pk>/file/", views.policy_file, name="policy-file"),
    path("<kind:kind>/", views.item_list, name="list"),
    path("<kind:kind>/<int:pk>/", views.item_detail, name="detail"),
]
