from __future__ import annotations

from django.contrib import admin

from core.admin import MembershipInline
from parks.models import Park, ParkMembership


class ParkMembershipInline(MembershipInline):
    model = ParkMembership


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ("name_zh", "name_en", "kind", "province", "city_zh")
    list_filter = ("kind", "province")
    # Other admins pick parks by autocomplete, which searches these.
    search_fields = ("name_zh", "name_en", "slug", "city_zh", "city_en")
    list_select_related = ("province",)
    prepopulated_fields = {"slug": ("name_en",)}
    ordering = ("province", "name_zh")
    inlines = (ParkMembershipInline,)


@admin.register(ParkMembership)
class ParkMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "park", "role", "created_at")
    list_filter = ("role", "park__province")
    search_fields = ("user__email", "user__full_name", "park__name_zh", "park__name_en")
    autocomplete_fields = ("user", "park")
    list_select_related = ("user", "park")
    readonly_fields = ("created_at",)
    ordering = ("park__name_zh", "user__email")
