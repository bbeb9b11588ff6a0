"""On-site outcome pages: an event's outcome entry (`/events/<slug>/outcomes/`)
and the contracts signed there (`/contracts/…`)."""

from django.urls import path

from financing import onsite_views as views

app_name = "onsite"

urlpatterns = [
    path("events/<slug:slug>/outcomes/", views.event_outcomes, name="event"),
    path("contracts/<int:pk>/", views.contract_page, name="contract"),
    path("contracts/<int:pk>/follow-up/", views.follow_up, name="follow-up"),
    path("contracts/<int:pk>/void/", views.void, name="void"),
]
