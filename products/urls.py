from django.urls import path

from products import views

app_name = "products"

# The product's own page comes last: its code must not shadow the others
# (the services refuse the codes "compare", "manage" and "new").
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("compare/", views.compare, name="compare"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.create, name="create"),
    path("manage/<slug:code>/edit/", views.edit, name="edit"),
    path("manage/<slug:code>/publish/", views.publish, name="publish"),
    path("manage/<slug:code>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:code>/", views.detail, name="detail"),
]
