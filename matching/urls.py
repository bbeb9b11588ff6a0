from django.urls import path

from matching import views

app_name = "matching"

urlpatterns = [
    path("matching/", views.ranking, name="ranking"),
    path("matching/leads/", views.leads, name="leads"),
    path("matching/leads/<int:pk>/invite/", views.invite_to_apply, name="invite-apply"),
    path("matching/leads/<int:pk>/invite-to-meet/", views.invite_to_meet, name="invite-meet"),
    path("matching/agenda/", views.agenda, name="agenda"),
    path("events/<slug:slug>/schedule/", views.schedule_page, name="schedule"),
    path("events/<slug:slug>/schedule/status/", views.schedule_status, name="schedule-status"),
    path("events/<slug:slug>/schedule/run/", views.schedule_run_view, name="schedule-run"),
    path(
        "events/<slug:slug>/schedule/publish/",
        views.schedule_publish_view,
        name="schedule-publish",
    ),
    path(
        "events/<slug:slug>/schedule/meetings/<int:pk>/move/",
        views.meeting_move,
        name="schedule-move",
    ),
    path(
        "events/<slug:slug>/schedule/meetings/<int:pk>/remove/",
        views.meeting_remove,
        name="schedule-remove",
    ),
]
