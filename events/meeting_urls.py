"""Meeting pages: under an event (`/events/<slug>/meetings/…`) and the user's
own (`/meetings/…`)."""

from django.urls import path

from events import meeting_views as views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.my_meetings, name="mine"),
    path("meetings/<int:pk>/", views.meeting_page, name="detail"),
    # accept, decline, cancel, outcome; unknown names are 404.
    path("meetings/<int:pk>/<slug:action>/", views.meeting_action, name="action"),
    path("events/<slug:slug>/meetings/", views.event_meetings_page, name="event"),
    path("events/<slug:slug>/meetings/request/", views.meeting_request_page, name="request"),
    path("events/<slug:slug>/meetings/slots/", views.slot_create_page, name="slot-create"),
    path(
        "events/<slug:slug>/meetings/slots/<int:pk>/delete/",
        views.slot_delete_page,
        name="slot-delete",
    ),
]
