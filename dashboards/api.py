from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsRegulator
from accounts.selectors import Jurisdiction
from core.models import Province
from dashboards.selectors import Scope, campaign_figures
from events.models import Campaign, Event
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

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and end < start:
            raise serializers.ValidationError({"date_to": _("The period ends before it starts.")})
        return attrs


class FiguresSerializer(serializers.Serializer):
    activities = serializers.IntegerField()
    parks_covered = serializers.IntegerField()
    enterprises_involved = serializers.IntegerField()
    institutions_involved = serializers.IntegerField()
    participants_online = serializers.IntegerField()
    participants_offline = serializers.IntegerField()
    participants_total = serializers.IntegerField()
    products_released = serializers.IntegerField()
    releasing_institutions = serializers.IntegerField()
    contracts_signed = serializers.IntegerField()
    financed_enterprises = serializers.IntegerField()
    contract_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    intention_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    provinces_participating = serializers.IntegerField()


def scope_for(*, params: dict[str, Any], jurisdiction: Jurisdiction) -> Scope:
    """The scope asked for, held to the regulator's jurisdiction: a provincial
    regulator reads its own province and is refused any other."""
    province: Province | None = params.get("province")
    park: Park | None = params.get("park")
    event: Event | None = params.get("event")
    asked = {
        p
        for p in (
            province.pk if province else None,
            park.province_id if park else None,
            event.host_province_id if event else None,
        )
        if p
    }
    if not jurisdiction.national:
        if any(not jurisdiction.covers(code) for code in asked):
            raise PermissionDenied(_("You may only read figures for your own province."))
        if province is None and len(jurisdiction.provinces) == 1:
            province = Province.objects.get(pk=next(iter(jurisdiction.provinces)))
        elif province is None and not asked:
            raise PermissionDenied(_("Name one of your provinces."))
    return Scope(
        campaign=params.get("campaign"),
        province=province,
        park=park,
        event=event,
        date_from=params.get("date_from"),
        date_to=params.get("date_to"),
    )


class DashboardSummaryView(APIView):
    """The campaign's figures (PRODUCT.md §5) for a scope, within the
    regulator's jurisdiction. Amounts are decimal strings in yuan."""

    permission_classes = [IsRegulator]

    @extend_schema(parameters=[ScopeQuerySerializer], responses=FiguresSerializer)
    def get(self, request: Request) -> Response:
        params = ScopeQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        scope = scope_for(params=params.validated_data, jurisdiction=request.jurisdiction)
        figures = campaign_figures(scope=scope)
        return Response(FiguresSerializer(figures.as_dict()).data)
