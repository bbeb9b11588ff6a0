from django.urls import path

from knowledge import api

urlpatterns = [
    path("policies/", api.PolicyListApi.as_view(), name="api-policies"),
    path("policies/<int:pk>/", api.PolicyApi.as_view(), name="api-policy"),
    path("typical-cases/", api.TypicalCaseListApi.as_view(), name="api-typical-cases"),
    path("typical-cases/<int:pk>/", api.TypicalCaseApi.as_view(), name="api-typical-case"),
    path("collections/", api.CollectionListApi.as_view(), name="api-collections"),
    path("collections/<int:pk>/", api.CollectionApi.as_view(), name="api-collection"),
    path("training-sessions/", api.TrainingSessionListApi.as_view(), name="api-training-sessions"),
    path(
        "training-sessions/<int:pk>/",
        api.TrainingSessionApi.as_view(),
        name="api-training-session",
    ),
    path("media-reports/", api.MediaReportListApi.as_view(), name="api-media-reports"),
    path("media-reports/<int:pk>/", api.MediaReportApi.as_view(), name="api-media-report"),
    path(
        "cooperation-agreements/",
        api.CooperationAgreementListApi.as_view(),
        name="api-cooperation-agreements",
    ),
    path(
        "cooperation-agreements/<int:pk>/",
        api.CooperationAgreementApi.as_view(),
        name="api-cooperation-agreement",
    ),
]
