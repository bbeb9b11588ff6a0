from django.urls import path

from accounts.api import (
    ApiTokenListView,
    ApiTokenRevokeView,
    MarkReadView,
    NotificationListView,
    UnreadCountView,
)

urlpatterns = [
    path("tokens/", ApiTokenListView.as_view(), name="api-tokens"),
    path("tokens/<int:pk>/", ApiTokenRevokeView.as_view(), name="api-token-revoke"),
    path("notifications/", NotificationListView.as_view(), name="api-notifications"),
    path("notifications/unread/", UnreadCountView.as_view(), name="api-notifications-unread"),
    path("notifications/read/", MarkReadView.as_view(), name="api-notifications-read"),
]
