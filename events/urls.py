from django.urls import path

from events import views

app_name = "events"

# The event's own pages come last: its slug must not shadow the others.
urlpatterns = [
    path("", views.event_list, name="list"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.create, name="create"),
    path("manage/campaigns/new/", views.campaign_new, name="campaign-create"),
    path("registrations/", views.my_registrations, name="my-registrations"),
    path("registrations/<str:code>/", views.registration_page, name="registration"),
    path(
        "registrations/<str:code>/cancel/",
        views.registration_cancel_view,
        name="registration-cancel",
    ),
    path("<slug:slug>/", views.event_page, name="detail"),
    path("<slug:slug>/calendar.ics", views.event_ics, name="calendar"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    # The event's moves (events.workflows.EVENT), by the action's name.
    path("<slug:slug>/publish/", views.event_action, {"action": "publish"}, name="publish"),
    path("<slug:slug>/cancel/", views.event_action, {"action": "cancel"}, name="cancel"),
    path("<slug:slug>/registrations/", views.registrations, name="registrations"),
    path("<slug:slug>/registrations/export/", views.export, name="export"),
    path(
        "<slug:slug>/registrations/<int:pk>/approve/",
        views.approve,
        name="registration-approve",
    ),
    path("<slug:slug>/check-in/", views.check_in, name="check-in"),
]
