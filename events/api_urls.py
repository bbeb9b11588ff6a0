from django.urls import path

from events import api

urlpatterns = [
    path("campaigns/", api.CampaignListApi.as_view(), name="api-campaigns"),
    path("campaigns/<slug:slug>/", api.CampaignApi.as_view(), name="api-campaign"),
    path("events/", api.EventListApi.as_view(), name="api-events"),
    path("events/<slug:slug>/", api.EventApi.as_view(), name="api-event"),
    # One explicit endpoint per change of the event (events.workflows.EVENT).
    *api.event_move_urls,
    path(
        "events/<slug:slug>/participants/",
        api.EventParticipantsApi.as_view(),
        name="api-event-participants",
    ),
    path(
        "events/<slug:slug>/registrations/",
        api.EventRegistrationListApi.as_view(),
        name="api-event-registrations",
    ),
    path("events/<slug:slug>/check-in/", api.EventCheckInApi.as_view(), name="api-event-check-in"),
    path("registrations/", api.RegistrationListApi.as_view(), name="api-registrations"),
    path("registrations/<int:pk>/", api.RegistrationApi.as_view(), name="api-registration"),
    # Cancel and approve (events.workflows.REGISTRATION).
    *api.registration_move_urls,
]
