from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsRegulator
from core.models import Province
from dashboards.selectors import campaign_figures, scope_for
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
