"""The organisations API: the parks list (and adding a park), my
organisations, an organisation's members and invitations, accepting an
invitation by its link, and a regulator adding an institution."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import regulator_jurisdiction
from core.api import ERROR_RESPONSES, NamedChoiceField, writers
from core.auth import signed_in
from core.models import Membership, Province
from organisations import services
from organisations.models import LANGUAGES, Invitation
from organisations.registry import KIND_CHOICES, Kind, kind_of
from organisations.selectors import (
    invitation_by_token,
    invitation_visible,
    is_admin,
    may_invite,
    may_see_members,
    members_of,
    open_invitations,
    organisations_of,
)
from organisations.workflows import INVITATION
from parks.api import ParkListApi, ParkSerializer
from parks.models import Park
from products.models import Institution

ROLES = Membership.Role.choices


def _role(**kwargs: Any) -> NamedChoiceField:
    return NamedChoiceField(component="MembershipRoleEnum", choices=ROLES, **kwargs)


def _language() -> NamedChoiceField:
    return NamedChoiceField(
        component="MailLanguageEnum", choices=LANGUAGES, read_only=False, default="zh-hans"
    )


class OrganisationSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    role = serializers.CharField()
    joined_at = serializers.DateTimeField()


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The membership's id.")
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")
    role = _role()
    joined_at = serializers.DateTimeField(source="created_at")


class InvitationSerializer(serializers.ModelSerializer):
    status = NamedChoiceField(component="InvitationStatusEnum", choices=Invitation.Status.choices)
    kind = NamedChoiceField(component="OrganisationKindEnum", choices=KIND_CHOICES)
    role = _role()
    invited_by = serializers.CharField(read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "kind",
            "organisation_id",
            "email",
            "role",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
        ]
        read_only_fields = fields


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = _role(read_only=False, default=Membership.Role.MEMBER)
    language = _language()


class RoleSerializer(serializers.Serializer):
    role = _role(read_only=False)


class AcceptSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The token of the invitation link.")
    full_name = serializers.CharField(
        max_length=150, required=False, help_text="Only for an invitee without an account."
    )
    password = serializers.CharField(
        required=False, write_only=True, help_text="Only for an invitee without an account."
    )


class InstitutionInviteSerializer(serializers.Serializer):
    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = NamedChoiceField(
        component="InstitutionKindEnum", choices=Institution.Kind.choices, read_only=False
    )
    licence_number = serializers.CharField(max_length=40)
    province = serializers.PrimaryKeyRelatedField(
        queryset=Province.objects.all(), help_text="GB/T 2260 code."
    )
    email = serializers.EmailField(max_length=254, help_text="The first administrator's address.")
    language = _language()


class InstitutionCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name_zh = serializers.CharField()
    invitation = InvitationSerializer()


class ParkCreateSerializer(serializers.Serializer):
    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = NamedChoiceField(component="ParkKindEnum", choices=Park.Kind.choices, read_only=False)
    province = serializers.PrimaryKeyRelatedField(queryset=Province.objects.all())
    city_zh = serializers.CharField(max_length=60)
    city_en = serializers.CharField(max_length=60, required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)


# ---------------------------------------------------------------- views


class ParkListCreateApi(ParkListApi):
    """Industrial parks and high-tech zones (public, filtered by province,
    kind and search); a regulator adds one in its jurisdiction."""

    permission_classes = [
        writers(
            lambda user: regulator_jurisdiction(user=user) is not None,
            _("Only regulators may add a park."),
        )
    ]

    @extend_schema(request=ParkCreateSerializer, responses={201: ParkSerializer, **ERROR_RESPONSES})
    def post(self, request: Request) -> Response:
        data = ParkCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        park = services.park_add(actor=signed_in(request.user), **data.validated_data)
        return Response(ParkSerializer(park).data, status=status.HTTP_201_CREATED)


class MyOrganisationsApi(APIView):
    """The organisations the signed-in user belongs to, with their role."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OrganisationSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = [
            {
                "kind": row.kind.key,
                "id": row.organisation.pk,
                "name_zh": row.organisation.name_zh,
                "name_en": row.organisation.name_en,
                "role": row.membership.role,
                "joined_at": row.membership.created_at,
            }
            for row in organisations_of(user=signed_in(request.user))
        ]
        return Response(OrganisationSerializer(rows, many=True).data)


def _visible(request: Request, kind: str, pk: int) -> tuple[Kind, Any]:
    organisation_kind = kind_of(kind)
    organisation = organisation_kind.get(pk)
    if not may_see_members(kind=organisation_kind, organisation=organisation, user=request.user):
        raise PermissionDenied("Only the organisation's members may see its members.")
    return organisation_kind, organisation


class MembersApi(APIView):
    """An organisation's members (to its members)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MemberSerializer(many=True))
    def get(self, request: Request, kind: str, pk: int) -> Response:
        organisation_kind, organisation = _visible(request, kind, pk)
        members = members_of(kind=organisation_kind, organisation=organisation)
        return Response(MemberSerializer(members, many=True).data)


class MemberApi(APIView):
    """Change a member's role, or remove them (the organisation's administrators)."""

    permission_classes = [IsAuthenticated]

    def _member(self, request: Request, kind: str, pk: int, member: int) -> tuple[Kind, Any, Any]:
        organisation_kind, organisation = _visible(request, kind, pk)
        if not is_admin(kind=organisation_kind, organisation=organisation, user=request.user):
            raise PermissionDenied("Only the organisation's administrators may do this.")
        membership = organisation_kind.memberships(organisation).filter(pk=member).first()
        if membership is None:
            raise Http404
        return organisation_kind, organisation, membership

    @extend_schema(request=RoleSerializer, responses={200: MemberSerializer, **ERROR_RESPONSES})
    def patch(self, request: Request, kind: str, pk: int, member: int) -> Response:
        organisation_kind, organisation, membership = self._member(request, kind, pk, member)
        data = RoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_set_role(
            kind=organisation_kind,
            organisation=organisation,
            membership=membership,
            role=data.validated_data["role"],
            actor=signed_in(request.user),
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(responses={204: None, **ERROR_RESPONSES})
    def delete(self, request: Request, kind: str, pk: int, member: int) -> Response:
        organisation_kind, organisation, membership = self._member(request, kind, pk, member)
        services.membership_remove(
            kind=organisation_kind,
            organisation=organisation,
            membership=membership,
            actor=signed_in(request.user),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class LeaveApi(APIView):
    """The signed-in user leaves the organisation (not its last administrator)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None, **ERROR_RESPONSES})
    def post(self, request: Request, kind: str, pk: int) -> Response:
        organisation_kind = kind_of(kind)
        organisation = organisation_kind.get(pk)
        services.membership_leave(
            kind=organisation_kind, organisation=organisation, actor=signed_in(request.user)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationsApi(APIView):
    """An organisation's open invitations, and a new one (those who may invite)."""

    permission_classes = [IsAuthenticated]

    def _organisation(self, request: Request, kind: str, pk: int) -> tuple[Kind, Any]:
        organisation_kind = kind_of(kind)
        organisation = organisation_kind.get(pk)
        if not may_invite(kind=organisation_kind, organisation=organisation, user=request.user):
            raise PermissionDenied("You may not invite people into this organisation.")
        return organisation_kind, organisation

    @extend_schema(responses=InvitationSerializer(many=True))
    def get(self, request: Request, kind: str, pk: int) -> Response:
        organisation_kind, organisation = self._organisation(request, kind, pk)
        invitations = open_invitations(kind=organisation_kind, organisation=organisation)
        return Response(InvitationSerializer(invitations, many=True).data)

    @extend_schema(
        request=InviteSerializer, responses={201: InvitationSerializer, **ERROR_RESPONSES}
    )
    def post(self, request: Request, kind: str, pk: int) -> Response:
        organisation_kind, organisation = self._organisation(request, kind, pk)
        data = InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.invitation_send(
            kind=organisation_kind,
            organisation=organisation,
            actor=signed_in(request.user),
            **data.validated_data,
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class RevokeApi(APIView):
    """Revoke an open invitation (those who may invite into its organisation)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: InvitationSerializer, **ERROR_RESPONSES})
    def post(self, request: Request, pk: int) -> Response:
        user = signed_in(request.user)
        invitation = services.invitation_revoke(
            invitation=invitation_visible(pk=pk, user=user), actor=user
        )
        return Response(InvitationSerializer(invitation).data)


class AcceptApi(APIView):
    """Accept an invitation by its link's token: signed in as the invited
    address, or, with no account yet, with a full name and a password, which
    makes the account."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=AcceptSerializer, responses={200: InvitationSerializer, **ERROR_RESPONSES}
    )
    def post(self, request: Request) -> Response:
        data = AcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = invitation_by_token(data.validated_data["token"])
        if invitation is None:
            raise Http404
        if invitation.status != Invitation.Status.SENT:
            raise INVITATION.refused(invitation, "accept")
        if request.user.is_authenticated:
            invitation = services.invitation_accept(
                invitation=invitation, actor=signed_in(request.user)
            )
        else:
            invitation, _user = services.invitation_accept_with_account(
                invitation=invitation,
                password=data.validated_data.get("password", ""),
                full_name=data.validated_data.get("full_name", ""),
            )
        return Response(InvitationSerializer(invitation).data)


class InstitutionInviteApi(APIView):
    """A regulator adds an institution in its jurisdiction and invites its
    first administrator."""

    permission_classes = [
        writers(
            lambda user: regulator_jurisdiction(user=user) is not None,
            _("Only regulators may add an institution."),
        )
    ]

    @extend_schema(
        request=InstitutionInviteSerializer,
        responses={201: InstitutionCreatedSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        data = InstitutionInviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        institution, invitation = services.institution_invite(
            actor=signed_in(request.user), **data.validated_data
        )
        body = {
            "id": institution.pk,
            "code": institution.code,
            "name_zh": institution.name_zh,
            "invitation": invitation,
        }
        return Response(InstitutionCreatedSerializer(body).data, status=status.HTTP_201_CREATED)
