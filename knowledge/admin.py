from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from knowledge.models import (
    Collection,
    CollectionDownload,
    CooperationAgreement,
    MediaReport,
    Policy,
    TrainingSession,
    TypicalCase,
)

TITLE_SEARCH = ("title_zh", "title_en", "summary_zh", "summary_en")


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ("title_zh", "issuer_zh", "document_number", "level", "province", "issued_on")
    list_filter = ("level", "province")
    search_fields = (*TITLE_SEARCH, "document_number", "issuer_zh", "issuer_en")
    list_select_related = ("province",)
    readonly_fields = ("created_at",)
    date_hierarchy = "issued_on"
    ordering = ("-issued_on",)


@admin.register(TypicalCase)
class TypicalCaseAdmin(admin.ModelAdmin):
    list_display = (
        "title_zh",
        "province",
        "enterprise_name",
        "institution_name",
        "amount",
        "published_on",
    )
    list_filter = ("province", "ip_kinds")
    search_fields = (*TITLE_SEARCH, "enterprise_name", "institution_name")
    list_select_related = ("province",)
    filter_horizontal = ("ip_kinds",)
    readonly_fields = ("created_at",)
    date_hierarchy = "published_on"
    ordering = ("-published_on",)


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = (
        "title_zh",
        "publisher",
        "province",
        "campaign",
        "published_on",
        "is_printed",
        "download_count",
    )
    list_filter = ("is_printed", "campaign", "province")
    search_fields = TITLE_SEARCH
    list_select_related = ("publisher", "province", "campaign")
    autocomplete_fields = ("publisher", "policies", "cases")
    # Counted by the download service together with CollectionDownload rows.
    readonly_fields = ("download_count", "created_at")
    date_hierarchy = "published_on"
    ordering = ("-published_on",)


@admin.register(CollectionDownload)
class CollectionDownloadAdmin(ReadOnlyAdmin):
    """Read-only: each row is one counted download, mirrored in the collection's count."""

    list_display = ("collection", "visitor", "day", "created_at")
    search_fields = ("visitor", "collection__title_zh", "collection__title_en")
    list_select_related = ("collection",)
    date_hierarchy = "day"
    ordering = ("-day", "-id")


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = (
        "title_zh",
        "province",
        "city_zh",
        "park",
        "campaign",
        "organiser",
        "held_on",
        "participants",
    )
    list_filter = ("province", "campaign", "organiser__kind")
    search_fields = (*TITLE_SEARCH, "city_zh", "city_en", "park__name_zh")
    list_select_related = ("province", "park", "campaign", "organiser")
    autocomplete_fields = ("park", "organiser")
    readonly_fields = ("created_at",)
    date_hierarchy = "held_on"
    ordering = ("-held_on",)


@admin.register(MediaReport)
class MediaReportAdmin(admin.ModelAdmin):
    list_display = ("title", "outlet_zh", "published_on", "campaign", "event")
    list_filter = ("campaign",)
    search_fields = ("title", "outlet_zh", "outlet_en", "url")
    list_select_related = ("campaign", "event")
    autocomplete_fields = ("event",)
    readonly_fields = ("created_at",)
    date_hierarchy = "published_on"
    ordering = ("-published_on", "id")


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(admin.ModelAdmin):
    list_display = ("title_zh", "kind", "office", "signed_on", "campaign")
    list_filter = ("kind", "campaign")
    search_fields = (*TITLE_SEARCH, "office__name_zh", "office__name_en")
    list_select_related = ("office", "campaign")
    autocomplete_fields = ("office", "institutions")
    readonly_fields = ("created_at",)
    date_hierarchy = "signed_on"
    ordering = ("-signed_on",)
