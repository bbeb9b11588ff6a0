from django.urls import path

from products import api

urlpatterns = [
    path("institutions/", api.InstitutionListApi.as_view(), name="api-institutions"),
    path("products/", api.ProductListApi.as_view(), name="api-products"),
    path("products/<int:pk>/", api.ProductApi.as_view(), name="api-product"),
    # One explicit endpoint per move: api-product-publish, api-product-withdraw.
    *api.move_urls,
    path("products/<int:pk>/history/", api.ProductHistoryApi.as_view(), name="api-product-history"),
]
