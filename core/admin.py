"""Admin for the reference data, plus the bases the other apps' admins share."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.models import Industry, IPKind, Province

# Reference rows are loaded by data migrations and other tables point at their
# codes, so only the display names may change in the admin.
EDITABLE_REFERENCE_FIELDS = frozenset({"name_zh", "name_en"})


class ReferenceDataAdmin(admin.ModelAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [
            field.name
            for field in self.model._meta.fields
            if field.name not in EDITABLE_REFERENCE_FIELDS
        ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records other code writes: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RecordsCreatorAdmin(admin.ModelAdmin):
    """Stamps the admin who adds a row into its `created_by`, which subclasses
    keep read-only so nobody can attribute a row to someone else."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class StatusLabels:
    """History rows store bare status codes; show them with the parent's labels."""

    status_enum: type[models.TextChoices]

    def _label(self, code: str) -> str:
        return dict(self.status_enum.choices).get(code, code) if code else "—"

    @admin.display(description=_("from"), ordering="from_status")
    def from_label(self, obj: Any) -> str:
        return self._label(obj.from_status)

    @admin.display(description=_("to"), ordering="to_status")
    def to_label(self, obj: Any) -> str:
        return self._label(obj.to_status)


HISTORY_FIELDS = ("created_at", "from_label", "to_label", "actor", "note")


class StatusChangeInline(StatusLabels, admin.TabularInline):
    """Status history is written only by the workflow services: read-only here."""

    fields = HISTORY_FIELDS
    readonly_fields = HISTORY_FIELDS
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StatusChangeAdmin(StatusLabels, ReadOnlyAdmin):
    """Standalone view of one workflow's history, written only by its services."""

    list_filter = ("to_status",)
    # Widened so that each history's admin adds its own subject's fields.
    search_fields: ClassVar[tuple[str, ...]] = ("note", "actor__email")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")


class MembershipInline(admin.TabularInline):
    """People acting for an organisation; users are a large table, hence autocomplete."""

    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("user")


@admin.register(Province)
class ProvinceAdmin(ReferenceDataAdmin):
    list_display = ("code", "name_zh", "name_en", "short_zh", "region")
    list_filter = ("region",)
    search_fields = ("code", "name_zh", "name_en", "short_zh")
    ordering = ("code",)


@admin.register(IPKind)
class IPKindAdmin(ReferenceDataAdmin):
    list_display = ("code", "name_zh", "name_en", "sort")
    search_fields = ("code", "name_zh", "name_en")
    ordering = ("sort",)


@admin.register(Industry)
class IndustryAdmin(ReferenceDataAdmin):
    list_display = ("code", "name_zh", "name_en", "sort")
    search_fields = ("code", "name_zh", "name_en")
    ordering = ("sort",)
