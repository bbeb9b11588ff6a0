from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from core.admin import StatusChangeInline
from organisations.models import Invitation, InvitationStatusChange


class InvitationStatusChangeInline(StatusChangeInline):
    model = InvitationStatusChange
    status_enum = Invitation.Status


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = (
        "email",
        "kind",
        "organisation_id",
        "role",
        "status",
        "created_at",
        "expires_at",
    )
    list_filter = ("status", "kind", "role")
    search_fields = ("email",)
    list_select_related = ("invited_by",)
    ordering = ("-created_at",)
    readonly_fields = (
        "kind",
        "organisation_id",
        "email",
        "role",
        "language",
        "invited_by",
        "status",
        "created_at",
        "expires_at",
        "accepted_by",
        "accepted_at",
    )
    exclude = ("key",)
    inlines = (InvitationStatusChangeInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
