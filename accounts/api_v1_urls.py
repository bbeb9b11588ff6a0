from django.urls import path

from accounts.api import MarkReadView, NotificationListView, UnreadCountView

urlpatterns = [
    path("notifications/", NotificationListView.as_view(), name="api-notifications"),
    path("notifications/unread/", UnreadCountView.as_view(), name="api-notifications-unread"),
    path("notifications/read/", MarkReadView.as_view(), name="api-notifications-read"),
]
