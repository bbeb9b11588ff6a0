from django.urls import path

from financing import api

urlpatterns = [
    path("applications/", api.ApplicationListView.as_view(), name="api-applications"),
    path("applications/<int:pk>/", api.ApplicationDetailView.as_view(), name="api-application"),
    # One explicit endpoint per move of the workflow (docs/workflows.md).
    path(
        "applications/<int:pk>/submit/",
        api.SubmitView.as_view(),
        name="api-application-submit",
    ),
    path(
        "applications/<int:pk>/take-for-review/",
        api.TakeForReviewView.as_view(),
        name="api-application-take-for-review",
    ),
    path(
        "applications/<int:pk>/request-info/",
        api.RequestInfoView.as_view(),
        name="api-application-request-info",
    ),
    path(
        "applications/<int:pk>/answer-info/",
        api.AnswerInfoView.as_view(),
        name="api-application-answer-info",
    ),
    path(
        "applications/<int:pk>/approve/",
        api.ApproveView.as_view(),
        name="api-application-approve",
    ),
    path(
        "applications/<int:pk>/reject/",
        api.RejectView.as_view(),
        name="api-application-reject",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        api.WithdrawView.as_view(),
        name="api-application-withdraw",
    ),
    path(
        "applications/<int:pk>/sign-contract/",
        api.SignContractView.as_view(),
        name="api-application-sign-contract",
    ),
    path(
        "applications/<int:pk>/register-pledge/",
        api.RegisterPledgeView.as_view(),
        name="api-application-register-pledge",
    ),
    path(
        "applications/<int:pk>/disburse/",
        api.DisburseView.as_view(),
        name="api-application-disburse",
    ),
    path(
        "applications/<int:pk>/close/",
        api.CloseView.as_view(),
        name="api-application-close",
    ),
]
