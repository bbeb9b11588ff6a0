from django.urls import path

from products import views
from products.workflows import PRODUCT

app_name = "products"

# The product's own page comes last: its code must not shadow the others
# (the services refuse the codes "compare", "manage" and "new").
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("compare/", views.compare, name="compare"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.create, name="create"),
    path("manage/<slug:code>/edit/", views.edit, name="edit"),
    # One address per move of the workflow: products:publish, products:withdraw.
    *(
        path(f"manage/<slug:code>/{name}/", views.move, {"action": name}, name=name)
        for name in PRODUCT.actions
    ),
    path("<slug:code>/", views.detail, name="detail"),
]
