from django.urls import path

from organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("institutions/new/", views.institution_new, name="institution-new"),
    path("parks/new/", views.park_new, name="park-new"),
    path("join/<str:token>/", views.join, name="join"),
    path("invitations/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("<slug:kind>/<int:pk>/", views.members, name="members"),
    path("<slug:kind>/<int:pk>/invite/", views.invite, name="invite"),
    path("<slug:kind>/<int:pk>/leave/", views.leave, name="leave"),
    path("<slug:kind>/<int:pk>/members/<int:member>/role/", views.change_role, name="role"),
    path("<slug:kind>/<int:pk>/members/<int:member>/remove/", views.remove, name="remove"),
]
