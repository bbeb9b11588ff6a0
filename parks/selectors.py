"""Reads for parks."""

from __future__ import annotations

from django.db.models import QuerySet

from parks.models import Park


def park_list() -> QuerySet[Park]:
    """Every park, by province, with its province loaded."""
    return Park.objects.select_related("province").order_by("province_id", "name_zh", "pk")
