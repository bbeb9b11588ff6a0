"""The on-site outcomes API: what was signed at an event, recording it, and
following an intention agreement up with an application."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import NamedChoiceField, id_field
from core.auth import signed_in
from core.limits import TEXT_MAX_LENGTH
from events.access import can_organise
from events.meeting_api import MeetingPartySerializer
from events.meeting_selectors import event_for_parties
from events.models import Event, Meeting, Registration
from financing.api import MONEY, ApplicationDetailSerializer
from financing.api import detail_response as application_response
from financing.models import Contract
from financing.onsite_selectors import onsite_contract_detail, onsite_contracts
from financing.services import (
    contract_record_onsite,
    contract_void,
    intention_to_application,
    onsite_recorder_check,
)
from financing.workflows import CONTRACT
from products.models import Institution, Product

M = TypeVar("M", bound=Model)
ErrorSerializer = inline_serializer(
    "OnsiteError", {"detail": serializers.CharField(), "code": serializers.CharField()}
)


class OnsiteContractSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(component="ContractKindEnum", choices=Contract.Kind.choices)
    status = NamedChoiceField(component="ContractStatusEnum", choices=Contract.Status.choices)
    event: serializers.SlugRelatedField[Event] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    enterprise = MeetingPartySerializer()
    institution = MeetingPartySerializer()
    product: serializers.SlugRelatedField[Product] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Contract
        fields = [
            "id",
            "reference",
            "kind",
            "status",
            "amount",
            "signed_on",
            "event",
            "enterprise",
            "institution",
            "product",
            "registration",
            "meeting",
            "created_at",
        ]


class OnsiteContractInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Contract.Kind.choices)
    amount = serializers.DecimalField(**MONEY, min_value=0)
    signed_on = serializers.DateField()
    reference = serializers.CharField(max_length=40)
    registration = id_field(help_text=_("The enterprise's registration."))
    institution = id_field()
    product = serializers.SlugRelatedField(
        slug_field="code", queryset=Product.objects.all(), required=False, allow_null=True
    )
    meeting = id_field(required=False, allow_null=True)


def _row(model: type[M], pk: int, field: str, **within: Any) -> M:
    """A row named in the input, looked up within the event; unknown ids are
    bad input (400), not a missing page."""
    row = model._default_manager.filter(pk=pk, **within).first()
    if row is None:
        raise serializers.ValidationError({field: [_("Not found at this event.")]})
    return row


@extend_schema_view(
    get=extend_schema(
        summary="What was signed at an event: all of it for organisers, your own for parties"
    ),
    post=extend_schema(
        summary="Record an intention agreement or a loan contract signed at the event "
        "(organisers, the institution's officers)",
        request=OnsiteContractInputSerializer,
        responses={
            201: OnsiteContractSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            409: ErrorSerializer,
        },
    ),
)
class EventContractListView(generics.ListAPIView):
    serializer_class = OnsiteContractSerializer

    def get_queryset(self) -> QuerySet[Contract]:
        if getattr(self, "swagger_fake_view", False):
            return Contract.objects.none()
        user = self.request.user
        event = event_for_parties(slug=self.kwargs["slug"], user=user)
        return onsite_contracts(
            event=event, user=user, organiser=can_organise(user=user, event=event)
        )

    def post(self, request: Request, slug: str) -> Response:
        event = event_for_parties(slug=slug, user=request.user)
        # Who asks first: an outsider gets 403 whatever they sent.
        onsite_recorder_check(event=event, actor=signed_in(request.user))
        data = OnsiteContractInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        institution = _row(Institution, values.pop("institution"), "institution")
        # An officer records for their own institution only, before any
        # registration or meeting of the event is looked up.
        onsite_recorder_check(event=event, actor=signed_in(request.user), institution=institution)
        registration = _row(Registration, values.pop("registration"), "registration", event=event)
        meeting_id = values.pop("meeting", None)
        contract = contract_record_onsite(
            event=event,
            actor=signed_in(request.user),
            registration=registration,
            institution=institution,
            meeting=(
                _row(Meeting, meeting_id, "meeting", event=event)
                if meeting_id is not None
                else None
            ),
            **values,
        )
        contract = onsite_contract_detail(pk=contract.pk, user=request.user)
        return Response(OnsiteContractSerializer(contract).data, status=status.HTTP_201_CREATED)


class ContractDetailView(APIView):
    @extend_schema(
        summary="A contract signed at an event",
        responses={200: OnsiteContractSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request, pk: int) -> Response:
        contract = onsite_contract_detail(pk=pk, user=request.user)
        return Response(OnsiteContractSerializer(contract).data)


class IntentionFollowUpSerializer(serializers.Serializer):
    term_months = serializers.IntegerField(min_value=1, max_value=600)
    asset_ids = serializers.ListField(child=id_field(), allow_empty=False)
    amount = serializers.DecimalField(
        **MONEY,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Defaults to the intention's amount."),
    )
    product = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Product.objects.filter(status=Product.Status.PUBLISHED),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Defaults to the intention's product."),
    )
    purpose = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    submit = serializers.BooleanField(required=False, default=False)


class IntentionToApplicationView(APIView):
    @extend_schema(
        summary="Follow an intention agreement up with an application (the enterprise)",
        request=IntentionFollowUpSerializer,
        responses={
            201: ApplicationDetailSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        contract = onsite_contract_detail(pk=pk, user=request.user)
        if not contract.enterprise.memberships.filter(user=signed_in(request.user)).exists():
            raise PermissionDenied(_("Only the members of the enterprise may apply."))
        data = IntentionFollowUpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = intention_to_application(
            contract=contract, actor=signed_in(request.user), **data.validated_data
        )
        return application_response(request, application.pk, status_code=status.HTTP_201_CREATED)


class ContractVoidSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=2000, help_text=_("Why the contract is voided: it was recorded by mistake.")
    )


class ContractVoidView(APIView):
    @extend_schema(
        summary="Void a contract or intention agreement recorded at an event by mistake "
        "(the event's organisers, the institution's officers)",
        request=ContractVoidSerializer,
        responses={
            200: OnsiteContractSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        contract = onsite_contract_detail(pk=pk, user=request.user)
        # Who asks, before what they sent is looked at.
        CONTRACT.check_side(contract, request.user, "void")
        data = ContractVoidSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contract_void(
            contract=contract, actor=signed_in(request.user), note=data.validated_data["note"]
        )
        contract = onsite_contract_detail(pk=pk, user=request.user)
        return Response(OnsiteContractSerializer(contract).data)
