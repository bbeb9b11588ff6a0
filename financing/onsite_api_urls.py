from django.urls import path

from financing import onsite_api as api

urlpatterns = [
    path(
        "events/<slug:slug>/contracts/",
        api.EventContractListView.as_view(),
        name="api-event-contracts",
    ),
    path("contracts/<int:pk>/", api.ContractDetailView.as_view(), name="api-contract"),
    path("contracts/<int:pk>/void/", api.ContractVoidView.as_view(), name="api-contract-void"),
    path(
        "contracts/<int:pk>/to-application/",
        api.IntentionToApplicationView.as_view(),
        name="api-contract-to-application",
    ),
]
