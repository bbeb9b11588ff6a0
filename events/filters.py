"""Filters for the event list and for registration lists."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import DateFilter
from core.models import Province
from events.models import Campaign, Event, EventKind, Registration
from parks.models import Park


class EventFilter(django_filters.FilterSet):
    province = django_filters.ModelChoiceFilter(
        label=_("Province"),
        field_name="host_province",
        queryset=Province.objects.all(),
        empty_label=_("Any province"),
    )
    park = django_filters.ModelChoiceFilter(
        label=_("Park"),
        field_name="parks",
        to_field_name="slug",
        queryset=Park.objects.all(),
        empty_label=_("Any park"),
    )
    kind = django_filters.ModelChoiceFilter(
        label=_("Kind"),
        field_name="kinds",
        queryset=EventKind.objects.all(),
        empty_label=_("Any kind"),
    )
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"),
        field_name="campaign",
        to_field_name="slug",
        queryset=Campaign.objects.all(),
        empty_label=_("Any campaign"),
    )
    date_from = DateFilter(label=_("From"), field_name="starts_at", lookup_expr="date__gte")
    date_to = DateFilter(label=_("Until"), field_name="starts_at", lookup_expr="date__lte")
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=(("upcoming", _("Upcoming")), ("past", _("Past"))),
        method="filter_when",
        empty_label=_("Any time"),
    )

    class Meta:
        model = Event
        fields: list[str] = []

    def filter_when(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(ends_at__gte=now).order_by("starts_at", "pk")
        if value == "past":
            return queryset.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
        return queryset


class RegistrationFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Registration.Status.choices
    )
    event = django_filters.CharFilter(label=_("Event"), field_name="event__slug")
    party = django_filters.ChoiceFilter(
        label=_("Party"),
        choices=(("enterprise", _("Enterprises")), ("institution", _("Institutions"))),
        method="filter_party",
        empty_label=_("Enterprises and institutions"),
    )

    class Meta:
        model = Registration
        fields: list[str] = []

    def filter_party(
        self, queryset: QuerySet[Registration], name: str, value: str
    ) -> QuerySet[Registration]:
        if value == "enterprise":
            return queryset.filter(enterprise__isnull=False)
        if value == "institution":
            return queryset.filter(institution__isnull=False)
        return queryset
