from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import (
    RecordsCreatorAdmin,
    ReferenceDataAdmin,
    StatusChangeAdmin,
    StatusChangeInline,
)
from events.models import (
    Campaign,
    Event,
    EventKind,
    EventSlot,
    EventStatusChange,
    Meeting,
    MeetingStatusChange,
    Registration,
    RegistrationStatusChange,
)


@admin.register(EventKind)
class EventKindAdmin(ReferenceDataAdmin):
    list_display = ("code", "name_zh", "name_en", "sort")
    search_fields = ("code", "name_zh", "name_en")
    ordering = ("sort",)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name_zh", "name_en", "starts_on", "ends_on", "is_public")
    list_filter = ("is_public",)
    search_fields = ("name_zh", "name_en", "slug")
    filter_horizontal = ("organisers",)
    prepopulated_fields = {"slug": ("name_en",)}
    readonly_fields = ("created_at",)
    date_hierarchy = "starts_on"
    ordering = ("-starts_on",)


class EventSlotInline(admin.TabularInline):
    model = EventSlot
    fields = ("starts_at", "ends_at")
    extra = 0


class EventStatusChangeInline(StatusChangeInline):
    model = EventStatusChange
    status_enum = Event.Status


@admin.register(Event)
class EventAdmin(RecordsCreatorAdmin):
    list_display = (
        "title_zh",
        "campaign",
        "host_province",
        "starts_at",
        "format",
        "status",
        "capacity",
        "participants_total",
    )
    list_filter = ("status", "format", "campaign", "host_province", "kinds")
    search_fields = ("title_zh", "title_en", "slug", "venue", "city_zh", "city_en")
    list_select_related = ("campaign", "host_province")
    autocomplete_fields = ("campaign", "parks", "featured_products")
    filter_horizontal = ("kinds", "organisers", "participating_provinces")
    prepopulated_fields = {"slug": ("title_en",)}
    # Status moves only through the event services, which write the history.
    readonly_fields = ("status", "created_by", "created_at", "updated_at")
    date_hierarchy = "starts_at"
    ordering = ("-starts_at",)
    inlines = (EventSlotInline, EventStatusChangeInline)

    @admin.display(description=_("participants"))
    def participants_total(self, obj: Event) -> int:
        return obj.participants_total


@admin.register(EventStatusChange)
class EventStatusChangeAdmin(StatusChangeAdmin):
    status_enum = Event.Status
    list_display = ("event", "from_label", "to_label", "actor", "created_at")
    search_fields = (*StatusChangeAdmin.search_fields, "event__title_zh", "event__slug")
    list_select_related = ("event", "actor")


@admin.register(EventSlot)
class EventSlotAdmin(admin.ModelAdmin):
    list_display = ("__str__", "event")
    search_fields = ("event__title_zh", "event__title_en")
    list_select_related = ("event",)
    autocomplete_fields = ("event",)
    date_hierarchy = "starts_at"
    ordering = ("-starts_at",)


class RegistrationStatusChangeInline(StatusChangeInline):
    model = RegistrationStatusChange
    status_enum = Registration.Status


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "event",
        "enterprise",
        "institution",
        "status",
        "need_amount",
        "created_at",
    )
    list_filter = ("status", "event__campaign", "event__host_province")
    search_fields = (
        "code",
        "event__title_zh",
        "event__title_en",
        "enterprise__name_zh",
        "enterprise__name_en",
        "enterprise__credit_code",
        "institution__name_zh",
        "institution__name_en",
    )
    autocomplete_fields = ("event", "enterprise", "institution", "registered_by")
    # Status and check-in move only through the registration services, which
    # write the history.
    readonly_fields = (
        "status",
        "checked_in_at",
        "confirmation_sent_at",
        "created_at",
        "updated_at",
    )
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    inlines = (RegistrationStatusChangeInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        # __str__ names the event and the party, also in autocomplete results. (With
        # select_related here the changelist ignores list_select_related.)
        return super().get_queryset(request).select_related("event", "enterprise", "institution")


@admin.register(RegistrationStatusChange)
class RegistrationStatusChangeAdmin(StatusChangeAdmin):
    status_enum = Registration.Status
    list_display = ("registration", "from_label", "to_label", "actor", "created_at")
    search_fields = (*StatusChangeAdmin.search_fields, "registration__code")
    list_select_related = (
        "registration__event",
        "registration__enterprise",
        "registration__institution",
        "actor",
    )


class MeetingStatusChangeInline(StatusChangeInline):
    model = MeetingStatusChange
    status_enum = Meeting.Status


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "event",
        "slot",
        "status",
        "source",
        "outcome",
        "fit_score",
    )
    list_filter = ("status", "source", "outcome", "event__campaign")
    search_fields = (
        "event__title_zh",
        "event__title_en",
        "enterprise__name_zh",
        "enterprise__name_en",
        "enterprise__credit_code",
        "institution__name_zh",
        "institution__name_en",
    )
    autocomplete_fields = ("event", "enterprise", "institution", "requested_by")
    # Slots are only meaningful within their event; pick them by id.
    raw_id_fields = ("slot",)
    # Status moves only through the meeting services, which write the history.
    readonly_fields = ("status", "created_at", "updated_at")
    ordering = ("-created_at", "-id")
    inlines = (MeetingStatusChangeInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Meeting]:
        # __str__ names both parties, also in autocomplete results; event and slot
        # are list columns (with select_related here the changelist ignores
        # list_select_related).
        return (
            super()
            .get_queryset(request)
            .select_related("enterprise", "institution", "event", "slot")
        )


@admin.register(MeetingStatusChange)
class MeetingStatusChangeAdmin(StatusChangeAdmin):
    status_enum = Meeting.Status
    list_display = ("meeting", "from_label", "to_label", "actor", "created_at")
    search_fields = (
        *StatusChangeAdmin.search_fields,
        "meeting__enterprise__name_zh",
        "meeting__institution__name_zh",
    )
    list_select_related = ("meeting__enterprise", "meeting__institution", "actor")
