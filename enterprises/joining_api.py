"""The API of joining the portal: requests to join an enterprise and the
verification of enterprises.

`/join-requests/` lists the requests a user may read (their own and those to
the enterprises they administer) and makes one; each request's moves are
`/join-requests/<id>/<action>/`. `/verifications/` is a park manager's or a
regulator's queue; an enterprise's verification moves are
`/enterprises/<id>/verification/<action>/`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ERROR_RESPONSES, NamedChoiceField, Pagination, move_endpoints
from core.auth import signed_in
from enterprises.models import Enterprise, JoinRequest
from enterprises.selectors import (
    enterprise_by_credit_code,
    enterprise_under_verification,
    is_verifier,
    join_request_for,
    join_requests_visible,
    verification_queue,
)
from enterprises.services import join_request_create
from enterprises.workflows import JOIN_REQUEST, VERIFICATION


class JoinRequestSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    user_email = serializers.EmailField(source="user.email", read_only=True)
    status = NamedChoiceField(component="JoinRequestStatusEnum", choices=JoinRequest.Status.choices)

    class Meta:
        model = JoinRequest
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "user_email",
            "message",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class JoinRequestCreateSerializer(serializers.Serializer):
    credit_code = serializers.CharField(max_length=18)
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class JoinRequestsApi(ListAPIView):
    """Requests to join enterprises: the user's own and those to the
    enterprises they administer, newest first. POST asks to join the
    enterprise with the given credit code."""

    serializer_class = JoinRequestSerializer
    pagination_class = Pagination

    def get_queryset(self) -> Any:
        return join_requests_visible(user=self.request.user)

    @extend_schema(
        request=JoinRequestCreateSerializer,
        responses={201: JoinRequestSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        actor = signed_in(request.user)
        body = JoinRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        enterprise = enterprise_by_credit_code(credit_code=body.validated_data["credit_code"])
        if enterprise is None:
            raise ValidationError(
                {"credit_code": [_("No enterprise with this credit code is on the portal.")]}
            )
        try:
            join_request = join_request_create(
                enterprise=enterprise, actor=actor, message=body.validated_data.get("message", "")
            )
        except ValidationError as error:
            raise ValidationError({"non_field_errors": error.messages}) from error
        return Response(JoinRequestSerializer(join_request).data, status=status.HTTP_201_CREATED)


class JoinRequestDetailApi(APIView):
    @extend_schema(responses={200: JoinRequestSerializer, **ERROR_RESPONSES})
    def get(self, request: Request, pk: int) -> Response:
        return Response(JoinRequestSerializer(join_request_for(pk=pk, user=request.user)).data)


def _join_request(request: Request, pk: int) -> JoinRequest:
    return join_request_for(pk=pk, user=request.user)


def _join_request_after(request: Request, join_request: JoinRequest) -> Response:
    join_request.refresh_from_db()
    return Response(JoinRequestSerializer(join_request).data)


class VerificationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    verification_status = NamedChoiceField(
        component="VerificationStatusEnum", choices=Enterprise.Verification.choices
    )
    has_licence = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "province",
            "park",
            "verification_status",
            "refusal_reason",
            "verified_at",
            "has_licence",
        ]
        read_only_fields = fields

    def get_has_licence(self, enterprise: Enterprise) -> bool:
        return bool(enterprise.licence)


class VerificationQueueApi(ListAPIView):
    """The enterprises waiting for the user (a park manager or a regulator) to verify them."""

    serializer_class = VerificationSerializer
    pagination_class = Pagination

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema's look at the view
            return Enterprise.objects.none()
        if not is_verifier(user=self.request.user):
            raise PermissionDenied(_("Only park managers and regulators verify enterprises."))
        return verification_queue(user=self.request.user)


def _enterprise(request: Request, pk: int) -> Enterprise:
    try:
        return enterprise_under_verification(pk=pk, user=request.user)
    except Http404:
        # Anyone may claim an enterprise nobody administers; the move checks it.
        enterprise = Enterprise.objects.filter(pk=pk, memberships__isnull=True).first()
        if enterprise is None:
            raise
        return enterprise


def _enterprise_after(request: Request, enterprise: Enterprise) -> Response:
    enterprise.refresh_from_db()
    return Response(VerificationSerializer(enterprise).data)


join_request_move_urls = move_endpoints(
    JOIN_REQUEST,
    route="join-requests/<int:pk>/",
    name="api-join-request",
    fetch=_join_request,
    respond=_join_request_after,
    response=JoinRequestSerializer,
)
verification_move_urls = move_endpoints(
    VERIFICATION,
    route="enterprises/<int:pk>/verification/",
    name="api-enterprise-verification",
    fetch=_enterprise,
    respond=_enterprise_after,
    response=VerificationSerializer,
)
