from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import RecordsCreatorAdmin, StatusChangeAdmin, StatusChangeInline
from financing.models import (
    Application,
    ApplicationDocument,
    ApplicationStatusChange,
    Contract,
    Pledge,
)

# A pledge's status and its dates follow the application's workflow, which the
# financing services drive.
PLEDGE_WORKFLOW_FIELDS = ("status", "activated_at", "released_at")


class PledgeInline(admin.TabularInline):
    model = Pledge
    fields = ("asset", "value_at_pledge", *PLEDGE_WORKFLOW_FIELDS)
    readonly_fields = PLEDGE_WORKFLOW_FIELDS
    autocomplete_fields = ("asset",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Pledge]:
        return super().get_queryset(request).select_related("asset")


class ApplicationDocumentInline(admin.TabularInline):
    """The documents the enterprise sent: a record, downloaded from the
    application's page (which checks who asks), never changed here."""

    model = ApplicationDocument
    fields = ("original_name", "size", "content_type", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApplicationDocument]:
        return super().get_queryset(request).select_related("uploaded_by")


class ApplicationStatusChangeInline(StatusChangeInline):
    model = ApplicationStatusChange
    status_enum = Application.Status


@admin.register(Application)
class ApplicationAdmin(RecordsCreatorAdmin):
    list_display = (
        "__str__",
        "institution",
        "amount_requested",
        "term_months",
        "amount_approved",
        "status",
        "submitted_at",
    )
    list_filter = ("status", "product__kind", "enterprise__province")
    search_fields = (
        "enterprise__name_zh",
        "enterprise__name_en",
        "enterprise__credit_code",
        "product__name_zh",
        "product__name_en",
        "product__code",
        "product__institution__name_zh",
        "product__institution__name_en",
    )
    autocomplete_fields = ("enterprise", "product", "source_registration")
    # Status and its timestamps move only through the application services,
    # which write the history.
    readonly_fields = (
        "status",
        "submitted_at",
        "decided_at",
        "created_by",
        "created_at",
        "updated_at",
    )
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    inlines = (PledgeInline, ApplicationDocumentInline, ApplicationStatusChangeInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        # __str__ names the enterprise and the product, also in autocomplete results;
        # the institution is a list column (with select_related here the changelist
        # ignores list_select_related).
        return super().get_queryset(request).select_related("enterprise", "product", "institution")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Applications are made by enterprises through application_create, which
        # checks the product, the assets and the pledges.
        return False


@admin.register(ApplicationStatusChange)
class ApplicationStatusChangeAdmin(StatusChangeAdmin):
    status_enum = Application.Status
    list_display = ("application", "from_label", "to_label", "actor", "created_at")
    search_fields = (
        *StatusChangeAdmin.search_fields,
        "application__enterprise__name_zh",
        "application__enterprise__credit_code",
    )
    list_select_related = ("application__enterprise", "application__product", "actor")


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ("asset", "application", "status", "value_at_pledge", "activated_at")
    list_filter = ("status", "asset__kind")
    search_fields = (
        "asset__number",
        "asset__title",
        "application__enterprise__name_zh",
        "application__enterprise__credit_code",
    )
    list_select_related = ("asset", "application__enterprise", "application__product")
    autocomplete_fields = ("application", "asset")
    readonly_fields = PLEDGE_WORKFLOW_FIELDS
    date_hierarchy = "activated_at"
    ordering = ("-application__created_at", "id")


@admin.register(Contract)
class ContractAdmin(RecordsCreatorAdmin):
    list_display = (
        "reference",
        "kind",
        "amount",
        "signed_on",
        "enterprise",
        "institution",
        "product",
        "event",
        "disbursed_amount",
    )
    list_filter = ("kind", "status", "event__campaign", "institution__kind", "enterprise__province")
    search_fields = (
        "reference",
        "pledge_registration_number",
        "enterprise__name_zh",
        "enterprise__name_en",
        "enterprise__credit_code",
        "institution__name_zh",
        "institution__name_en",
    )
    list_select_related = ("enterprise", "institution", "product", "event")
    autocomplete_fields = (
        "institution",
        "enterprise",
        "product",
        "application",
        "event",
        "registration",
        "meeting",
    )
    # The status moves only through the contract workflow (void, with its history).
    readonly_fields = ("status", "created_by", "created_at")
    date_hierarchy = "signed_on"
    ordering = ("-signed_on", "-id")
