from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from core.admin import MembershipInline, ReadOnlyAdmin
from enterprises.models import (
    Enterprise,
    EnterpriseMembership,
    IPAppraisal,
    IPAsset,
    JoinRequest,
)

# The asset's cached copy of its latest appraisal.
LATEST_APPRAISAL_FIELDS = ("appraised_value", "appraiser", "appraised_on")


class EnterpriseMembershipInline(MembershipInline):
    model = EnterpriseMembership


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = (
        "name_zh",
        "name_en",
        "credit_code",
        "province",
        "park",
        "industry",
        "size",
        "high_tech_certified",
        "discoverable",
        "verification_status",
    )
    list_filter = (
        "verification_status",
        "province",
        "industry",
        "size",
        "high_tech_certified",
        "discoverable",
    )
    search_fields = ("name_zh", "name_en", "credit_code")
    list_select_related = ("province", "park", "industry")
    autocomplete_fields = ("park",)
    # Verification moves only through its workflow (the verification pages);
    # the licence is served by the portal's own view to those allowed, never
    # by a link here.
    readonly_fields = (
        "verification_status",
        "refusal_reason",
        "verified_at",
        "created_at",
        "updated_at",
    )
    exclude = ("licence",)
    date_hierarchy = "created_at"
    ordering = ("name_zh",)
    inlines = (EnterpriseMembershipInline,)


@admin.register(EnterpriseMembership)
class EnterpriseMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "enterprise", "role", "created_at")
    list_filter = ("role",)
    search_fields = (
        "user__email",
        "user__full_name",
        "enterprise__name_zh",
        "enterprise__name_en",
        "enterprise__credit_code",
    )
    autocomplete_fields = ("user", "enterprise")
    list_select_related = ("user", "enterprise")
    readonly_fields = ("created_at",)
    ordering = ("enterprise__name_zh", "user__email")


class IPAppraisalInline(admin.TabularInline):
    """Appraisals are a record: new ones can be added, existing ones stay as they were."""

    model = IPAppraisal
    fields = ("value", "appraiser", "appraised_on", "recorded_by", "created_at")
    readonly_fields = ("recorded_by", "created_at")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[IPAppraisal]:
        return super().get_queryset(request).select_related("recorded_by")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IPAsset)
class IPAssetAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "title",
        "kind",
        "enterprise",
        "legal_status",
        "appraised_value",
        "expires_on",
    )
    list_filter = ("kind", "legal_status")
    search_fields = (
        "number",
        "title",
        "enterprise__name_zh",
        "enterprise__name_en",
        "enterprise__credit_code",
    )
    list_select_related = ("enterprise", "kind")
    autocomplete_fields = ("enterprise",)
    # Kept in step with the appraisals below (save_related), never typed in.
    readonly_fields = (*LATEST_APPRAISAL_FIELDS, "created_at", "updated_at")
    date_hierarchy = "filed_on"
    ordering = ("enterprise__name_zh", "kind", "number")
    inlines = (IPAppraisalInline,)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is IPAppraisal:
            for appraisal in formset.save(commit=False):
                appraisal.recorded_by = request.user
                appraisal.save()
        else:
            super().save_formset(request, form, formset, change)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        asset: IPAsset = form.instance
        latest = asset.appraisals.first()  # ordered newest first
        if latest is None:
            return
        values = {
            "appraised_value": latest.value,
            "appraiser": latest.appraiser,
            "appraised_on": latest.appraised_on,
        }
        if any(getattr(asset, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(asset, name, value)
            asset.save(update_fields=[*values, "updated_at"])


@admin.register(IPAppraisal)
class IPAppraisalAdmin(ReadOnlyAdmin):
    """Read-only: appraisals are added on their asset's page, which also
    updates the asset's latest value."""

    list_display = ("asset", "value", "appraiser", "appraised_on", "recorded_by")
    search_fields = ("asset__number", "asset__title", "appraiser")
    list_select_related = ("asset", "recorded_by")
    date_hierarchy = "appraised_on"
    ordering = ("-appraised_on", "-id")


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdmin):
    """Requests to join are answered by the enterprise's administrators."""

    list_display = ("user", "enterprise", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("user__email", "enterprise__name_zh", "enterprise__credit_code")
    list_select_related = ("user", "enterprise")
