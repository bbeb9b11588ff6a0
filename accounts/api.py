from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiToken, Notification
from accounts.selectors import (
    has_second_factor,
    notifications_for,
    tokens_for_user,
    unread_count,
)
from accounts.services import (
    SecondFactorLocked,
    notification_mark_read,
    second_factor_check,
    token_create,
    token_revoke,
)
from core.api import ErrorSerializer, id_field
from core.auth import signed_in


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(
        max_length=4096, trim_whitespace=False, style={"input_type": "password"}
    )
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_(
            "The six-digit code of your authenticator app (or a recovery code), "
            "when your account has a second factor."
        ),
    )


def second_factor_required(user: Any) -> bool:
    """Whether IPFIN_REQUIRE_MFA asks this user for a second factor (the
    account adapter says whom it concerns)."""
    if not settings.IPFIN_REQUIRE_MFA:
        return False
    from allauth.account.adapter import get_adapter

    return bool(get_adapter().requires_second_factor(user))


class ObtainTokenView(APIView):
    """Trade an email and password for an API token."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "TokenResponse",
                {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()},
            ),
            # A refused sign-in is bad input, as at OAuth 2's token endpoint
            # (invalid_grant): the request carries no credentials of its own
            # for a 401 to refuse, and a client must not retry it unchanged.
            400: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "Refused: the email and password do not match an active account, "
                    "or the account's second-factor code is missing or wrong "
                    "(`fields` says which)."
                ),
            ),
            403: OpenApiResponse(
                ErrorSerializer,
                description="The account must set up a second factor first "
                "(code `second_factor_required`).",
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description="Too many wrong second-factor codes: try again later.",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=data.validated_data["email"].lower(),
            password=data.validated_data["password"],
        )
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to sign in with that email and password.")]}
            )
        if not has_second_factor(user) and second_factor_required(user):
            raise exceptions.PermissionDenied(
                gettext(
                    "Your organisation's work needs a second factor: sign in to the portal "
                    "and set up an authenticator app first."
                ),
                code="second_factor_required",
            )
        if has_second_factor(user):
            try:
                second_factor_check(
                    user=user, code=data.validated_data.get("code", ""), request=request
                )
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.message_dict) from error
            except SecondFactorLocked as error:
                raise exceptions.Throttled(detail=str(error)) from error
        token, secret = token_create(
            user=user, name=gettext("Signed in through the API"), request=request._request
        )
        return Response({"token": secret, "expires_at": token.expires_at})


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "link", "created_at", "read_at"]


class NotificationListView(ListAPIView):
    """The signed-in user's notifications, newest first."""

    serializer_class = NotificationSerializer
    filterset_fields = {"read_at": ["isnull"], "kind": ["exact"]}

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        return notifications_for(user=signed_in(self.request.user))


class UnreadCountView(APIView):
    @extend_schema(
        responses={200: inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})}
    )
    def get(self, request: Request) -> Response:
        return Response({"unread": unread_count(user=request.user)})


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=id_field(),
        required=False,
        help_text=_("Leave out to mark every notification read."),
    )


class MarkReadView(APIView):
    @extend_schema(
        request=MarkReadSerializer,
        responses={200: inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})},
    )
    def post(self, request: Request) -> Response:
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = notification_mark_read(
            user=signed_in(request.user), ids=data.validated_data.get("ids")
        )
        return Response({"marked": marked})


class ApiTokenSerializer(serializers.ModelSerializer):
    active = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "hint",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "active",
        ]
        read_only_fields = fields

    def get_active(self, token: ApiToken) -> bool:
        return token.is_active()


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    days = serializers.IntegerField(min_value=1, max_value=366, required=False)


class ApiTokenListView(ListAPIView):
    """The signed-in user's personal API tokens (never their secrets), newest
    first; POST makes one and answers its secret, once."""

    serializer_class = ApiTokenSerializer
    filterset_fields: list[str] = []

    def get_queryset(self) -> QuerySet[ApiToken]:
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return tokens_for_user(signed_in(self.request.user))

    @extend_schema(
        request=ApiTokenCreateSerializer,
        responses={
            201: inline_serializer(
                "ApiTokenCreated",
                {"token": serializers.CharField(), "detail": ApiTokenSerializer()},
            )
        },
    )
    def post(self, request: Request) -> Response:
        data = ApiTokenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, secret = token_create(
            user=signed_in(request.user),
            name=data.validated_data["name"],
            days=data.validated_data.get("days"),
            request=request._request,
        )
        return Response({"token": secret, "detail": ApiTokenSerializer(token).data}, status=201)


class ApiTokenRevokeView(APIView):
    @extend_schema(request=None, responses={200: ApiTokenSerializer})
    def delete(self, request: Request, pk: int) -> Response:
        """Revoke one of your tokens: it stops working at once."""
        token = get_object_or_404(tokens_for_user(signed_in(request.user)), pk=pk)
        token_revoke(token=token, request=request._request)
        return Response(ApiTokenSerializer(token).data)
