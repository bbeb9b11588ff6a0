from django.urls import path

from events import meeting_api as api

urlpatterns = [
    path("events/<slug:slug>/slots/", api.SlotListView.as_view(), name="api-event-slots"),
    path(
        "events/<slug:slug>/slots/<int:pk>/",
        api.SlotDetailView.as_view(),
        name="api-event-slot",
    ),
    path(
        "events/<slug:slug>/meetings/",
        api.EventMeetingListView.as_view(),
        name="api-event-meetings",
    ),
    path("meetings/", api.MeetingListView.as_view(), name="api-meetings"),
    path("meetings/<int:pk>/", api.MeetingDetailView.as_view(), name="api-meeting"),
    # One explicit endpoint per move of a meeting (docs/workflows.md).
    *api.move_urls,
]
