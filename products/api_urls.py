from django.urls import path

from products import api

urlpatterns = [
    path("institutions/", api.InstitutionListApi.as_view(), name="api-institutions"),
    path("products/", api.ProductListApi.as_view(), name="api-products"),
    path("products/<int:pk>/", api.ProductApi.as_view(), name="api-product"),
    path("products/<int:pk>/publish/", api.ProductPublishApi.as_view(), name="api-product-publish"),
    path(
        "products/<int:pk>/withdraw/",
        api.ProductWithdrawApi.as_view(),
        name="api-product-withdraw",
    ),
    path("products/<int:pk>/history/", api.ProductHistoryApi.as_view(), name="api-product-history"),
]
