from django.urls import path

from enterprises.api import (
    AssetAppraisalsApi,
    AssetDetailApi,
    AssetImportApi,
    AssetImportTemplateCsvApi,
    AssetImportTemplateXlsxApi,
    EnterpriseAssetsApi,
    EnterpriseDetailApi,
)
from enterprises.joining_api import (
    JoinRequestDetailApi,
    JoinRequestsApi,
    VerificationQueueApi,
    join_request_move_urls,
    verification_move_urls,
)

urlpatterns = [
    path("join-requests/", JoinRequestsApi.as_view(), name="api-join-requests"),
    path("join-requests/<int:pk>/", JoinRequestDetailApi.as_view(), name="api-join-request"),
    *join_request_move_urls,
    path("verifications/", VerificationQueueApi.as_view(), name="api-verifications"),
    *verification_move_urls,
    path("enterprises/<int:pk>/", EnterpriseDetailApi.as_view(), name="api-enterprise"),
    path(
        "enterprises/<int:pk>/assets/", EnterpriseAssetsApi.as_view(), name="api-enterprise-assets"
    ),
    path(
        "enterprises/<int:pk>/assets/import/",
        AssetImportApi.as_view(),
        name="api-enterprise-assets-import",
    ),
    path(
        "assets/import-template.csv",
        AssetImportTemplateCsvApi.as_view(),
        name="api-asset-import-template-csv",
    ),
    path(
        "assets/import-template.xlsx",
        AssetImportTemplateXlsxApi.as_view(),
        name="api-asset-import-template-xlsx",
    ),
    path("assets/<int:pk>/", AssetDetailApi.as_view(), name="api-asset"),
    path("assets/<int:pk>/appraisals/", AssetAppraisalsApi.as_view(), name="api-asset-appraisals"),
]
