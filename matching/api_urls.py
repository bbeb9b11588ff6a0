from django.urls import path

from matching import api

urlpatterns = [
    path("ranking/", api.RankingApi.as_view(), name="api-matching-ranking"),
    path("leads/", api.LeadsApi.as_view(), name="api-matching-leads"),
    path("events/<slug:slug>/schedule/", api.ScheduleApi.as_view(), name="api-matching-schedule"),
    path(
        "events/<slug:slug>/schedule/run/",
        api.ScheduleRunApi.as_view(),
        name="api-matching-schedule-run",
    ),
    # The organiser's other moves, built from the workflow (docs/workflows.md).
    *api.move_urls,
]
