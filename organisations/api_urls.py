from django.urls import path

from organisations import api

urlpatterns = [
    path("parks/", api.ParkListCreateApi.as_view(), name="api-parks"),
    path("organisations/", api.MyOrganisationsApi.as_view(), name="api-organisations"),
    path(
        "organisations/institutions/",
        api.InstitutionInviteApi.as_view(),
        name="api-institution-invite",
    ),
    path(
        "organisations/<slug:kind>/<int:pk>/members/",
        api.MembersApi.as_view(),
        name="api-organisation-members",
    ),
    path(
        "organisations/<slug:kind>/<int:pk>/members/<int:member>/",
        api.MemberApi.as_view(),
        name="api-organisation-member",
    ),
    path(
        "organisations/<slug:kind>/<int:pk>/leave/",
        api.LeaveApi.as_view(),
        name="api-organisation-leave",
    ),
    path(
        "organisations/<slug:kind>/<int:pk>/invitations/",
        api.InvitationsApi.as_view(),
        name="api-organisation-invitations",
    ),
    path("invitations/accept/", api.AcceptApi.as_view(), name="api-invitation-accept"),
    path("invitations/<int:pk>/revoke/", api.RevokeApi.as_view(), name="api-invitation-revoke"),
]
