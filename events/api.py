"""The events API: campaigns, events with one POST endpoint per status change,
registrations with theirs, check-in and the event's report. The views parse
input and call one selector or service; the services decide. The status
changes' endpoints are built from the workflows' declarations
(events.workflows)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.urls import URLPattern
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import (
    ERROR_RESPONSES,
    ErrorSerializer,
    NamedChoiceField,
    StatusChangeSerializer,
    id_field,
    move_endpoints,
    note_field,
    writers,
)
from core.auth import signed_in
from core.limits import TEXT_MAX_LENGTH
from core.models import Province
from enterprises.models import Enterprise
from events.access import can_create_events
from events.filters import EventFilter, RegistrationFilter
from events.models import Campaign, Event, EventKind, Registration, RegistrationStatusChange
from events.selectors import (
    campaign_list,
    event_detail,
    event_registrations,
    events_managed_by,
    organised_event,
    public_events,
    registration_by_id,
    registrations_for,
)
from events.services import (
    campaign_create,
    event_create,
    event_report_participants,
    event_update,
    registration_check_in_by_code,
    registration_create,
)
from events.workflows import EVENT, REGISTRATION
from parks.models import Park
from products.models import Institution, Product

if TYPE_CHECKING:
    from events.selectors import SeatedEvent


# ---------------------------------------------------------------- output


class CampaignSerializer(serializers.ModelSerializer):
    event_count = serializers.IntegerField(read_only=True, help_text=_("Published events."))

    class Meta:
        model = Campaign
        fields = [
            "slug",
            "name_zh",
            "name_en",
            "description_zh",
            "description_en",
            "starts_on",
            "ends_on",
            "is_public",
            "event_count",
        ]


class ParkRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    province = serializers.CharField(source="province_id")


class FeaturedProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    institution = serializers.CharField(source="institution.name")


class EventListSerializer(serializers.ModelSerializer):
    campaign: serializers.SlugRelatedField[Campaign] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    kinds: serializers.SlugRelatedField[EventKind] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    host_province = serializers.CharField(source="host_province_id")
    parks = ParkRefSerializer(many=True, read_only=True)
    format = NamedChoiceField(component="EventFormatEnum", choices=Event.Format.choices)
    status = NamedChoiceField(component="EventStatusEnum", choices=Event.Status.choices)
    seats_taken = serializers.IntegerField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "slug",
            "title_zh",
            "title_en",
            "campaign",
            "kinds",
            "host_province",
            "city_zh",
            "city_en",
            "parks",
            "starts_at",
            "ends_at",
            "format",
            "capacity",
            "seats_taken",
            "registration_deadline",
            "status",
        ]


class EventDetailSerializer(EventListSerializer):
    featured_products = FeaturedProductSerializer(many=True, read_only=True)
    participating_provinces: serializers.SlugRelatedField[Province] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    participants_total = serializers.IntegerField(read_only=True)

    class Meta(EventListSerializer.Meta):
        fields = [
            *EventListSerializer.Meta.fields,
            "description_zh",
            "description_en",
            "agenda",
            "venue",
            "requires_approval",
            "featured_products",
            "participating_provinces",
            "participants_online",
            "participants_offline",
            "participants_total",
        ]


class PartyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RegistrationSerializer(serializers.ModelSerializer):
    event: serializers.SlugRelatedField[Event] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    enterprise = PartyRefSerializer(allow_null=True, read_only=True)
    institution = PartyRefSerializer(allow_null=True, read_only=True)
    status = NamedChoiceField(
        component="RegistrationStatusEnum", choices=Registration.Status.choices
    )
    status_display = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "code",
            "event",
            "enterprise",
            "institution",
            "status",
            "status_display",
            "need_amount",
            "need_term_months",
            "max_meetings",
            "note",
            "checked_in_at",
            "created_at",
        ]

    def get_status_display(self, registration: Registration) -> str:
        return str(Registration.Status(registration.status).label)


class RegistrationHistorySerializer(StatusChangeSerializer):
    class Meta(StatusChangeSerializer.Meta):
        model = RegistrationStatusChange


class RegistrationDetailSerializer(RegistrationSerializer):
    history = RegistrationHistorySerializer(many=True, read_only=True)

    class Meta(RegistrationSerializer.Meta):
        fields = [*RegistrationSerializer.Meta.fields, "history"]


# ---------------------------------------------------------------- input


class CampaignCreateSerializer(serializers.Serializer):
    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description_zh = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    description_en = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    is_public = serializers.BooleanField(required=False, default=True)
    slug = serializers.SlugField(max_length=80, required=False, default="")


class EventUpdateSerializer(serializers.Serializer):
    """The fields an organiser sets. Types only: the service checks the rules."""

    campaign = serializers.SlugRelatedField(
        slug_field="slug", queryset=Campaign.objects.all(), required=False, allow_null=True
    )
    title_zh = serializers.CharField(max_length=255)
    title_en = serializers.CharField(max_length=255, required=False, allow_blank=True)
    description_zh = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True
    )
    description_en = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True
    )
    agenda = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)
    kinds = serializers.PrimaryKeyRelatedField(
        queryset=EventKind.objects.all(), many=True, help_text=_("Event kind codes.")
    )
    host_province = serializers.PrimaryKeyRelatedField(
        queryset=Province.objects.all(), help_text=_("GB/T 2260 code, e.g. 330000.")
    )
    city_zh = serializers.CharField(max_length=60, required=False, allow_blank=True)
    city_en = serializers.CharField(max_length=60, required=False, allow_blank=True)
    venue = serializers.CharField(max_length=255, required=False, allow_blank=True)
    parks = serializers.SlugRelatedField(
        slug_field="slug", queryset=Park.objects.all(), many=True, help_text=_("Park slugs.")
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    format = serializers.ChoiceField(choices=Event.Format.choices, required=False)
    capacity = serializers.IntegerField(
        min_value=0, max_value=1_000_000, required=False, allow_null=True
    )
    registration_deadline = serializers.DateTimeField(required=False, allow_null=True)
    requires_approval = serializers.BooleanField(required=False)
    featured_products = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.all(), many=True, required=False, help_text=_("Product ids.")
    )
    participating_provinces = serializers.PrimaryKeyRelatedField(
        queryset=Province.objects.all(), many=True, required=False
    )


class ParticipantsSerializer(serializers.Serializer):
    participants_online = serializers.IntegerField(min_value=0, max_value=100_000_000)
    participants_offline = serializers.IntegerField(min_value=0, max_value=100_000_000)


class CheckInSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=300, help_text=_("The registration's code, or the address its QR code holds.")
    )


class RegistrationCreateSerializer(serializers.Serializer):
    event = serializers.SlugField()
    enterprise = id_field(required=False, allow_null=True)
    institution = id_field(required=False, allow_null=True)
    need_amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    need_term_months = serializers.IntegerField(
        min_value=1, max_value=600, required=False, allow_null=True
    )
    max_meetings = serializers.IntegerField(
        min_value=1, max_value=100, required=False, allow_null=True
    )
    note = note_field(required=False, allow_blank=True, default="")


# ---------------------------------------------------------------- campaigns


class CampaignListApi(ListAPIView):
    """Campaigns (public); regulators and park managers create them."""

    permission_classes = [
        writers(
            lambda user: can_create_events(user=user),
            _("Only regulators and park managers may create campaigns."),
        )
    ]
    serializer_class = CampaignSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Campaign]:
        return campaign_list()

    @extend_schema(
        request=CampaignCreateSerializer, responses={201: CampaignSerializer, **ERROR_RESPONSES}
    )
    def post(self, request: Request) -> Response:
        data = CampaignCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = campaign_create(actor=signed_in(request.user), **data.validated_data)
        return Response(
            CampaignSerializer(campaign_list().get(pk=campaign.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class CampaignApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: CampaignSerializer, 404: ErrorSerializer})
    def get(self, request: Request, slug: str) -> Response:
        campaign = campaign_list().filter(slug=slug).first()
        if campaign is None:
            raise Http404(_("No such campaign."))
        return Response(CampaignSerializer(campaign).data)


# ---------------------------------------------------------------- events


class EventListApi(ListAPIView):
    """Published (and cancelled) events for anyone, with filters; with
    `organised=true`, the events you organise, drafts included. Regulators
    and park managers create drafts here."""

    permission_classes = [
        writers(
            lambda user: can_create_events(user=user),
            _("Only regulators and park managers may create events."),
        )
    ]
    serializer_class = EventListSerializer
    filterset_class = EventFilter

    def get_queryset(self) -> QuerySet[SeatedEvent]:
        if self.request.query_params.get("organised") in ("true", "1"):
            return events_managed_by(user=self.request.user)
        return public_events()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "organised",
                OpenApiTypes.BOOL,
                description=str(_("Only the events you organise, drafts included.")),
            )
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=EventUpdateSerializer, responses={201: EventDetailSerializer, **ERROR_RESPONSES}
    )
    def post(self, request: Request) -> Response:
        data = EventUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = event_create(actor=signed_in(request.user), **data.validated_data)
        return Response(
            EventDetailSerializer(event_detail(slug=event.slug, user=request.user)).data,
            status=status.HTTP_201_CREATED,
        )


class EventApi(APIView):
    """An event: published and cancelled ones for anyone, drafts for their
    organisers, who change it with PATCH."""

    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(responses={200: EventDetailSerializer, 404: ErrorSerializer})
    def get(self, request: Request, slug: str) -> Response:
        return Response(EventDetailSerializer(event_detail(slug=slug, user=request.user)).data)

    @extend_schema(
        request=EventUpdateSerializer, responses={200: EventDetailSerializer, **ERROR_RESPONSES}
    )
    def patch(self, request: Request, slug: str) -> Response:
        event = organised_event(slug=slug, user=request.user)
        data = EventUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        event_update(event=event, actor=signed_in(request.user), **data.validated_data)
        return Response(EventDetailSerializer(event_detail(slug=slug, user=request.user)).data)


def _organised_event(request: Request, slug: str) -> Event:
    return organised_event(slug=slug, user=request.user)


def _event_now(request: Request, event: Event) -> Response:
    return Response(EventDetailSerializer(event_detail(slug=event.slug, user=request.user)).data)


# One POST per move of the event (publish, cancel): the event as it is now.
event_move_urls = move_endpoints(
    EVENT,
    route="events/<slug:slug>/",
    name="api-event",
    fetch=_organised_event,
    respond=_event_now,
    response=EventDetailSerializer,
)


class EventParticipantsApi(APIView):
    """After the event: the participant counts reported online and on site.
    Not a status change: the event stays published."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ParticipantsSerializer, responses={200: EventDetailSerializer, **ERROR_RESPONSES}
    )
    def post(self, request: Request, slug: str) -> Response:
        event = organised_event(slug=slug, user=request.user)
        data = ParticipantsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event_report_participants(event=event, actor=signed_in(request.user), **data.validated_data)
        return _event_now(request, event)


class EventRegistrationListApi(ListAPIView):
    """An event's registrations, for its organisers."""

    permission_classes = [IsAuthenticated]
    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter

    def get_queryset(self) -> QuerySet[Registration]:
        if getattr(self, "swagger_fake_view", False):
            return Registration.objects.none()
        event = organised_event(slug=self.kwargs["slug"], user=self.request.user)
        return event_registrations(event=event)


class EventCheckInApi(APIView):
    """Check a registration in by its code; a second check-in answers 409."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=CheckInSerializer, responses={200: RegistrationSerializer, **ERROR_RESPONSES}
    )
    def post(self, request: Request, slug: str) -> Response:
        event = organised_event(slug=slug, user=request.user)
        data = CheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        registration = registration_check_in_by_code(
            event=event, actor=signed_in(request.user), **data.validated_data
        )
        return Response(RegistrationSerializer(registration).data)


# ---------------------------------------------------------------- registrations


class RegistrationListApi(ListAPIView):
    """Registrations you may read: your enterprises' and institutions' own,
    and those of the events you organise. POST registers one of your parties."""

    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter
    permission_classes = [
        IsAuthenticated,
        writers(
            lambda user: (
                user.enterprise_memberships.exists() or user.institution_memberships.exists()
            ),
            _("Only the members of an enterprise or an institution may register."),
        ),
    ]

    def get_queryset(self) -> QuerySet[Registration]:
        if getattr(self, "swagger_fake_view", False):
            return Registration.objects.none()
        return registrations_for(user=self.request.user)

    @extend_schema(
        request=RegistrationCreateSerializer,
        responses={201: RegistrationDetailSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        data = RegistrationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        event = event_detail(slug=values.pop("event"), user=request.user)
        enterprise_id = values.pop("enterprise", None)
        institution_id = values.pop("institution", None)
        if (enterprise_id is None) == (institution_id is None):
            raise serializers.ValidationError(
                {"enterprise": [_("Name either an enterprise or an institution.")]}
            )
        # Parties the user does not act for read as unknown to the service's check.
        enterprise = Enterprise.objects.filter(pk=enterprise_id).first() if enterprise_id else None
        institution = (
            Institution.objects.filter(pk=institution_id).first() if institution_id else None
        )
        if enterprise is None and institution is None:
            raise PermissionDenied(_("You do not act for this enterprise or institution."))
        registration = registration_create(
            event=event,
            actor=signed_in(request.user),
            enterprise=enterprise,
            institution=institution,
            **values,
        )
        return Response(
            RegistrationDetailSerializer(
                registration_by_id(pk=registration.pk, user=request.user)
            ).data,
            status=status.HTTP_201_CREATED,
        )


class RegistrationApi(APIView):
    @extend_schema(responses={200: RegistrationDetailSerializer, 404: ErrorSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            RegistrationDetailSerializer(registration_by_id(pk=pk, user=request.user)).data
        )


def _visible_registration(request: Request, pk: int) -> Registration:
    return registration_by_id(pk=pk, user=request.user)


def _registration_now(request: Request, registration: Registration) -> Response:
    return Response(
        RegistrationDetailSerializer(registration_by_id(pk=registration.pk, user=request.user)).data
    )


def _without(patterns: list[URLPattern], *actions: str) -> list[URLPattern]:
    """A workflow's endpoints but some: check-in goes by the registration's
    code at the event's desk (EventCheckInApi), not by its id."""
    names = {f"api-registration-{name}" for name in actions}
    return [pattern for pattern in patterns if pattern.name not in names]


# Cancelled by the registrant or an organiser (a freed place goes to the first
# on the waiting list); confirmed by an organiser. The promotions from the
# waiting list are the portal's own moves, with no endpoint.
registration_move_urls = _without(
    move_endpoints(
        REGISTRATION,
        route="registrations/<int:pk>/",
        name="api-registration",
        fetch=_visible_registration,
        respond=_registration_now,
        response=RegistrationDetailSerializer,
    ),
    "check-in",
)
