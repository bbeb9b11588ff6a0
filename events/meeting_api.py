"""The meetings API: an event's time slots, the user's meetings, a request,
one explicit POST endpoint per move (built from the workflow's declaration,
`events.meeting_workflows`), and the organisers' view of an event's meetings.
The views parse input and call one selector or service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import (
    ErrorSerializer,
    NamedChoiceField,
    StatusChangeSerializer,
    id_field,
    move_endpoints,
    note_field,
    writers,
)
from core.auth import signed_in
from enterprises.selectors import enterprises_for
from events.access import can_organise
from events.meeting_selectors import (
    event_for_parties,
    event_meetings,
    event_slots,
    meeting_detail,
    meeting_sides,
    meetings_for,
    organised_event,
    published_event,
)
from events.meeting_services import meeting_request, slot_create, slot_delete
from events.meeting_workflows import MEETING
from events.models import EventSlot, Meeting, MeetingStatusChange
from products.models import Institution

# --- output


class MeetingSlotSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventSlot
        fields = ["id", "starts_at", "ends_at"]


class EventSlotSerializer(MeetingSlotSerializer):
    booked = serializers.IntegerField(
        read_only=True, default=0, help_text=_("Meetings accepted or held in the slot.")
    )

    class Meta(MeetingSlotSerializer.Meta):
        fields = [*MeetingSlotSerializer.Meta.fields, "booked"]


class MeetingPartySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MeetingEventSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()


class MeetingSerializer(serializers.ModelSerializer):
    event = MeetingEventSerializer()
    slot = MeetingSlotSerializer(allow_null=True)
    enterprise = MeetingPartySerializer()
    institution = MeetingPartySerializer()
    status = NamedChoiceField(component="MeetingStatusEnum", choices=Meeting.Status.choices)
    status_display = serializers.SerializerMethodField()
    # The field named "source" shadows Field.source only in the class body: DRF
    # takes declared fields off the class.
    source = NamedChoiceField(  # type: ignore[assignment]
        component="MeetingSourceEnum", choices=Meeting.Source.choices
    )
    outcome = NamedChoiceField(component="MeetingOutcomeEnum", choices=Meeting.Outcome.choices)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "event",
            "slot",
            "enterprise",
            "institution",
            "status",
            "status_display",
            "source",
            "fit_score",
            "outcome",
            "note",
            "created_at",
        ]

    def get_status_display(self, meeting: Meeting) -> str:
        return str(Meeting.Status(meeting.status).label)


class MeetingHistorySerializer(StatusChangeSerializer):
    class Meta(StatusChangeSerializer.Meta):
        model = MeetingStatusChange


class MeetingDetailSerializer(MeetingSerializer):
    history = MeetingHistorySerializer(many=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "history", "allowed_actions"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, meeting: Meeting) -> list[str]:
        allowed: list[str] = self.context["allowed_actions"]
        return allowed


def detail_response(request: Request, pk: int, *, status_code: int = 200) -> Response:
    meeting = meeting_detail(pk=pk, user=request.user)
    sides = meeting_sides(meeting=meeting, user=request.user)
    context = {"allowed_actions": MEETING.allowed(meeting, request.user, sides=sides)}
    return Response(MeetingDetailSerializer(meeting, context=context).data, status=status_code)


# --- slots


class MeetingSlotInputSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


@extend_schema_view(
    get=extend_schema(summary="An event's meeting slots"),
    post=extend_schema(
        summary="Add a meeting slot (organisers)",
        request=MeetingSlotInputSerializer,
        responses={201: EventSlotSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
    ),
)
class SlotListView(generics.ListAPIView):
    serializer_class = EventSlotSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None  # an event has a handful of slots

    def get_queryset(self) -> QuerySet[EventSlot]:
        if getattr(self, "swagger_fake_view", False):
            return EventSlot.objects.none()
        return event_slots(
            event=event_for_parties(slug=self.kwargs["slug"], user=self.request.user)
        )

    def post(self, request: Request, slug: str) -> Response:
        if not request.user.is_authenticated:
            self.permission_denied(request)
        event = event_for_parties(slug=slug, user=request.user)
        if not can_organise(user=request.user, event=event):
            raise PermissionDenied(_("Only the event's organisers may lay out its meeting slots."))
        data = MeetingSlotInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        slot = slot_create(event=event, actor=signed_in(request.user), **data.validated_data)
        return Response(EventSlotSerializer(slot).data, status=status.HTTP_201_CREATED)


class SlotDetailView(APIView):
    @extend_schema(
        summary="Remove a slot no meeting is booked in (organisers)",
        responses={204: None, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    def delete(self, request: Request, slug: str, pk: int) -> Response:
        event = organised_event(slug=slug, user=request.user)
        slot = get_object_or_404(EventSlot, event=event, pk=pk)
        slot_delete(slot=slot, actor=signed_in(request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- meetings


class MeetingRequestSerializer(serializers.Serializer):
    event = serializers.SlugField(help_text=_("The event's slug."))
    institution = id_field()
    slot = id_field(required=False, allow_null=True, default=None)
    enterprise = id_field(
        required=False, help_text=_("Needed only when you act for several enterprises.")
    )
    note = note_field(required=False, allow_blank=True, default="")


class MeetingFilterSerializer(serializers.Serializer):
    event = serializers.SlugField(required=False)
    status = serializers.ChoiceField(choices=Meeting.Status.choices, required=False)


@extend_schema_view(
    get=extend_schema(
        summary="The meetings of the enterprises and institutions you act for",
        parameters=[
            OpenApiParameter("event", OpenApiTypes.STR, description="An event's slug."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=Meeting.Status.values),
        ],
    ),
    post=extend_schema(
        summary="Ask an institution registered for the event for a meeting (enterprises)",
        request=MeetingRequestSerializer,
        responses={
            201: MeetingDetailSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            409: ErrorSerializer,
        },
    ),
)
class MeetingListView(generics.ListAPIView):
    serializer_class = MeetingSerializer
    permission_classes = [
        permissions.IsAuthenticated,
        writers(
            lambda user: enterprises_for(user=user).exists(),
            _("Only the members of an enterprise may ask for meetings."),
        ),
    ]

    def get_queryset(self) -> QuerySet[Meeting]:
        if getattr(self, "swagger_fake_view", False):
            return Meeting.objects.none()
        params = MeetingFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        event = None
        if slug := params.validated_data.get("event"):
            event = event_for_parties(slug=slug, user=self.request.user)
        return meetings_for(
            user=self.request.user, event=event, status=params.validated_data.get("status", "")
        )

    def post(self, request: Request) -> Response:
        data = MeetingRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = data.validated_data
        enterprises = enterprises_for(user=request.user)
        if "enterprise" in values:
            enterprises = enterprises.filter(pk=values["enterprise"])
        candidates = list(enterprises[:2])
        if not candidates:
            raise PermissionDenied(_("Only the members of an enterprise may ask for meetings."))
        if len(candidates) > 1:
            raise serializers.ValidationError(
                {"enterprise": [_("You act for several enterprises: name one.")]}
            )
        event = published_event(slug=values["event"])
        institution = Institution.objects.filter(pk=values["institution"]).first()
        if institution is None:
            raise serializers.ValidationError({"institution": [_("No such institution.")]})
        slot = None
        if values["slot"] is not None:
            slot = EventSlot.objects.filter(pk=values["slot"], event=event).first()
            if slot is None:
                raise serializers.ValidationError({"slot": [_("No such slot at this event.")]})
        meeting = meeting_request(
            event=event,
            actor=signed_in(request.user),
            enterprise=candidates[0],
            institution=institution,
            slot=slot,
            note=values["note"],
        )
        return detail_response(request, meeting.pk, status_code=status.HTTP_201_CREATED)


class MeetingDetailView(APIView):
    @extend_schema(responses={200: MeetingDetailSerializer, 404: ErrorSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return detail_response(request, pk)


@extend_schema_view(
    get=extend_schema(
        summary="Every meeting of an event (organisers)",
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=Meeting.Status.values)],
    )
)
class EventMeetingListView(generics.ListAPIView):
    serializer_class = MeetingSerializer

    def get_queryset(self) -> QuerySet[Meeting]:
        if getattr(self, "swagger_fake_view", False):
            return Meeting.objects.none()
        params = MeetingFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        event = organised_event(slug=self.kwargs["slug"], user=self.request.user)
        return event_meetings(event=event, status=params.validated_data.get("status", ""))


# --- one endpoint per move, built from the workflow's declaration


def _visible_meeting(request: Request, pk: int) -> Meeting:
    return meeting_detail(pk=pk, user=request.user)


def _moved(request: Request, meeting: Meeting) -> Response:
    return detail_response(request, meeting.pk)


# The moves the portal makes itself (calling a meeting off with a
# registration) have no endpoint (core.api.move_endpoints).
move_urls = move_endpoints(
    MEETING,
    route="meetings/<int:pk>/",
    name="api-meeting",
    fetch=_visible_meeting,
    respond=_moved,
    response=MeetingDetailSerializer,
)
