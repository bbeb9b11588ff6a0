"""Matchmaking's API: the ranking for one's own enterprise, leads for one's
own institutions, and an event's schedule for its organisers (its moves built
from the workflow's declaration, `matching.workflows`)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import NamedChoiceField, PagedView, id_field, move_endpoints
from core.auth import signed_in
from matching.models import Schedule
from matching.selectors import (
    institution_leads,
    organised_event,
    own_enterprise,
    product_ranking,
    schedule_of,
)
from matching.services import schedule_run
from matching.workflows import SCHEDULE
from products.selectors import institutions_for


class ReasonSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    ok = serializers.BooleanField()
    text = serializers.CharField()


class MatchedProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    institution = serializers.CharField(source="institution.name")


class MatchSerializer(serializers.Serializer):
    product = MatchedProductSerializer()
    eligible = serializers.BooleanField()
    fit = serializers.DecimalField(max_digits=4, decimal_places=3)
    pledge_capacity = serializers.DecimalField(source="capacity", max_digits=16, decimal_places=2)
    can_borrow_up_to = serializers.DecimalField(source="up_to", max_digits=16, decimal_places=2)
    summary = serializers.CharField(source="borrow")
    reasons = ReasonSerializer(many=True)


class NeedSerializer(serializers.Serializer):
    enterprise = id_field(required=False, help_text=_("Default: your first enterprise."))
    amount = serializers.DecimalField(
        required=False, min_value=Decimal("0.01"), max_digits=16, decimal_places=2
    )
    term = serializers.IntegerField(required=False, min_value=1, max_value=600)
    max_rate = serializers.DecimalField(
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("36"),
        max_digits=5,
        decimal_places=2,
    )


class RankingApi(PagedView):
    """Every published product for your enterprise and a need, ranked, with
    eligibility, fit and the reason for each criterion. Without an amount or
    term, the need stated on the enterprise's profile is used."""

    @extend_schema(parameters=[NeedSerializer], responses=MatchSerializer(many=True))
    def get(self, request: Request) -> Response:
        need = NeedSerializer(data=request.query_params)
        need.is_valid(raise_exception=True)
        data = need.validated_data
        try:
            enterprise = own_enterprise(user=request.user, enterprise_id=data.get("enterprise"))
        except Http404 as missing:
            raise PermissionDenied(
                _("Only the members of an enterprise have a ranking.")
            ) from missing
        ranking = product_ranking(
            enterprise=enterprise,
            amount=data.get("amount"),
            term=data.get("term"),
            max_rate=data.get("max_rate"),
        )
        return self.page_of(ranking, lambda page: MatchSerializer(page, many=True).data)


class LeadEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    province = serializers.CharField(source="province_id")
    need_amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    need_term_months = serializers.IntegerField()


class LeadSerializer(serializers.Serializer):
    enterprise = LeadEnterpriseSerializer()
    fitting_products = serializers.IntegerField()
    best = MatchSerializer()


class LeadsApi(PagedView):
    """Enterprises that opted in to be found and fit your institutions'
    published products, the best fit first, with the reasons."""

    @extend_schema(responses=LeadSerializer(many=True))
    def get(self, request: Request) -> Response:
        if not institutions_for(user=request.user).exists():
            raise PermissionDenied(_("Only the officers of an institution see leads."))
        return self.page_of(
            institution_leads(user=request.user),
            lambda page: LeadSerializer(page, many=True).data,
        )


class ScheduleSerializer(serializers.ModelSerializer):
    status = NamedChoiceField(component="ScheduleStatusEnum", choices=Schedule.Status.choices)
    event = serializers.CharField(source="event.slug", read_only=True)
    meetings = serializers.SerializerMethodField()

    class Meta:
        model = Schedule
        fields = [
            "event",
            "status",
            "progress",
            "progress_note",
            "error",
            "total_fit",
            "greedy_fit",
            "requested_total",
            "requested_placed",
            "solved_in_ms",
            "published_at",
            "meetings",
        ]
        read_only_fields = fields

    def get_meetings(self, schedule: Schedule) -> int:
        return schedule.meetings.count()


def _schedule(request: Request, slug: str) -> Schedule:
    schedule = schedule_of(event=organised_event(slug=slug, user=request.user))
    if schedule is None:
        raise Http404
    return schedule


class ScheduleApi(APIView):
    """The status of an event's meeting schedule (organisers only)."""

    @extend_schema(responses=ScheduleSerializer)
    def get(self, request: Request, slug: str) -> Response:
        return Response(ScheduleSerializer(_schedule(request, slug)).data)


class ScheduleRunApi(APIView):
    """Compute the event's schedule in the background; poll the schedule for
    progress. The first run makes the schedule, so this is no endpoint built
    from the workflow: it needs none to exist yet."""

    @extend_schema(request=None, responses={202: ScheduleSerializer})
    def post(self, request: Request, slug: str) -> Response:
        event = organised_event(slug=slug, user=request.user)
        schedule = schedule_run(event=event, actor=signed_in(request.user))
        schedule.refresh_from_db()
        return Response(ScheduleSerializer(schedule).data, status=status.HTTP_202_ACCEPTED)


def _schedule_after(request: Request, schedule: Schedule) -> Response:
    schedule.refresh_from_db()
    return Response(ScheduleSerializer(schedule).data)


# The organiser's moves but the run, which has its view above (the worker's
# moves have no endpoint: core.api.move_endpoints).
move_urls = [
    pattern
    for pattern in move_endpoints(
        SCHEDULE,
        route="events/<slug:slug>/schedule/",
        name="api-matching-schedule",
        fetch=_schedule,
        respond=_schedule_after,
        response=ScheduleSerializer,
    )
    if str(pattern.name).removeprefix("api-matching-schedule-") != "run"
]
