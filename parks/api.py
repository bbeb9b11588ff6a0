"""The public list of parks, with filters (province, kind, search). Adding a
park is a regulator's, answered at the same address by organisations.api."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny

from core.api import NamedChoiceField
from core.models import Province
from parks.filters import ParkFilter
from parks.models import Park
from parks.selectors import park_list


class ParkProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name_zh", "name_en"]


class ParkSerializer(serializers.ModelSerializer):
    province = ParkProvinceSerializer(read_only=True)
    kind = NamedChoiceField(component="ParkKindEnum", choices=Park.Kind.choices)

    class Meta:
        model = Park
        fields = [
            "id",
            "slug",
            "name_zh",
            "name_en",
            "kind",
            "province",
            "city_zh",
            "city_en",
            "address",
            "website",
        ]
        read_only_fields = fields


class ParkListApi(ListAPIView):
    """Industrial parks and high-tech zones (public)."""

    permission_classes = [AllowAny]
    serializer_class = ParkSerializer
    filterset_class = ParkFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return park_list()
