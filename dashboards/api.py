from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsRegulator
from accounts.selectors import Jurisdiction
from core.api import PagedView
from core.auth import signed_in
from core.models import Province
from dashboards import figures as registry
from dashboards.cells import breakdown, dashboard_figures
from dashboards.selectors import Scope, campaigns_readable, scope_for, upcoming_figures
from events.models import Campaign, Event, Registration
from events.report import attendance
from events.selectors import organised_event
from events.services import campaign_feature
from parks.models import Park


class ScopeQuerySerializer(serializers.Serializer):
    campaign = serializers.SlugRelatedField(
        slug_field="slug", queryset=Campaign.objects.all(), required=False
    )
    province = serializers.PrimaryKeyRelatedField(
        queryset=Province.objects.all(),
        required=False,
        help_text=_("GB/T 2260 code of the host province, e.g. 330000."),
    )
    park = serializers.SlugRelatedField(
        slug_field="slug", queryset=Park.objects.select_related("province"), required=False
    )
    event = serializers.SlugRelatedField(
        slug_field="slug", queryset=Event.objects.all(), required=False
    )
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    month = serializers.RegexField(
        r"^[1-9]\d{3}-(0[1-9]|1[0-2])$",
        required=False,
        help_text=_("Events starting in this month, e.g. 2020-11."),
        error_messages={"invalid": _("Give a month as YYYY-MM.")},
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and end < start:
            raise serializers.ValidationError({"date_to": _("The period ends before it starts.")})
        return attrs


class FiguresSerializer(serializers.Serializer):
    """Every figure of `dashboards.figures`, in its order, documented by its
    help text: amounts as decimal strings in yuan, counts as whole numbers."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields: dict[str, serializers.Field] = {}
        for figure in registry.FIGURES:
            if figure.money:
                fields[figure.name] = serializers.DecimalField(
                    max_digits=20, decimal_places=2, help_text=figure.help
                )
            else:
                fields[figure.name] = serializers.IntegerField(help_text=figure.help)
        return {**fields, **super().get_fields()}


class UpcomingSerializer(serializers.Serializer):
    activities = serializers.IntegerField(help_text=_("Published events not yet started."))
    parks_covered = serializers.IntegerField()
    enterprises_registered = serializers.IntegerField()
    institutions_registered = serializers.IntegerField()
    registrations = serializers.IntegerField(help_text=_("Enterprise registrations so far."))
    first_starts_at = serializers.DateTimeField(allow_null=True)


class SummarySerializer(FiguresSerializer):
    upcoming = UpcomingSerializer(
        help_text=_(
            "The scope's events not yet started: apart from the figures, which count held events."
        )
    )


class BreakdownRowSerializer(FiguresSerializer):
    value = serializers.CharField(
        help_text=_(
            "The row's key: a province code, a park's or event's id, a month, "
            "an institution's id or a product kind."
        )
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        # Declared here: a serializer's own `label` attribute is no place for a field.
        return {**super().get_fields(), "label": serializers.CharField()}


def _jurisdiction(request: Request) -> Jurisdiction:
    """The jurisdiction IsRegulator found and kept on the request."""
    jurisdiction = getattr(request, "jurisdiction", None)
    if not isinstance(jurisdiction, Jurisdiction):
        raise PermissionDenied
    return jurisdiction


def read_scope(request: Request) -> Scope:
    params = ScopeQuerySerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    jurisdiction = _jurisdiction(request)
    campaign = params.validated_data.get("campaign")
    readable = campaigns_readable(user=request.user, jurisdiction=jurisdiction)
    if campaign is not None and not readable.filter(pk=campaign.pk).exists():
        raise PermissionDenied(_("This campaign's figures are not yours to read."))
    return scope_for(params=params.validated_data, jurisdiction=jurisdiction)


class DashboardSummaryView(APIView):
    """The campaign's figures (docs/figures.md) for a scope, within the
    regulator's jurisdiction, counted over the events held; the events not yet
    started apart, under `upcoming`. Amounts are decimal strings in yuan."""

    permission_classes = [IsRegulator]

    @extend_schema(parameters=[ScopeQuerySerializer], responses=SummarySerializer)
    def get(self, request: Request) -> Response:
        scope = read_scope(request)
        body = {
            **dashboard_figures(scope=scope).as_dict(),
            "upcoming": upcoming_figures(scope=scope).as_dict(),
        }
        return Response(SummarySerializer(body).data)


class DashboardBreakdownView(PagedView):
    """The figures of a scope broken down by province, park, event, month,
    institution or IP kind of the loan product: one row per value, as the
    dashboard's tables show them. Needs a campaign; within a park only events
    break down."""

    permission_classes = [IsRegulator]

    @extend_schema(parameters=[ScopeQuerySerializer], responses=BreakdownRowSerializer(many=True))
    def get(self, request: Request, dimension: str) -> Response:
        rows = breakdown(scope=read_scope(request), by=dimension)
        return self.page_of(
            rows,
            lambda page: (
                BreakdownRowSerializer(
                    [
                        {"value": row.value, "label": row.label, **row.figures.as_dict()}
                        for row in page
                    ],
                    many=True,
                ).data
            ),
        )


class EventReportSerializer(serializers.Serializer):
    event = serializers.CharField()
    figures = FiguresSerializer()
    registrations = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_("Registrations by status: %(statuses)s.")
        % {"statuses": ", ".join(Registration.Status.values)},
    )


class EventReportApi(APIView):
    """An event's figures (docs/figures.md) and its registrations by status, for its
    organisers (park managers included)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=EventReportSerializer)
    def get(self, request: Request, slug: str) -> Response:
        event = organised_event(slug=slug, user=request.user)
        body = {
            "event": event.slug,
            "figures": dashboard_figures(scope=Scope(event=event)).as_dict(),
            "registrations": attendance(event=event),
        }
        return Response(EventReportSerializer(body).data)


class FeaturedCampaignSerializer(serializers.Serializer):
    campaign = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Campaign.objects.all(),
        help_text=_("The public campaign the home page shows and the dashboard opens on."),
    )


class FeaturedCampaignView(APIView):
    """The featured campaign: the one the home page shows and the dashboard
    opens on. National regulators choose it among the public campaigns."""

    permission_classes = [IsRegulator]

    @extend_schema(request=FeaturedCampaignSerializer, responses={200: FeaturedCampaignSerializer})
    def post(self, request: Request) -> Response:
        if not _jurisdiction(request).national:
            raise PermissionDenied(_("Only national regulators choose the featured campaign."))
        data = FeaturedCampaignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = campaign_feature(
            campaign=data.validated_data["campaign"], actor=signed_in(request.user)
        )
        return Response(FeaturedCampaignSerializer({"campaign": campaign}).data)
