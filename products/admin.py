from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import MembershipInline, StatusChangeAdmin, StatusChangeInline
from products.models import Institution, InstitutionMembership, Product, ProductStatusChange


class InstitutionMembershipInline(MembershipInline):
    model = InstitutionMembership


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name_zh", "name_en", "code", "kind", "province", "city_zh")
    list_filter = ("kind", "province")
    search_fields = ("name_zh", "name_en", "code", "city_zh", "city_en")
    list_select_related = ("province",)
    prepopulated_fields = {"code": ("name_en",)}
    ordering = ("name_zh",)
    inlines = (InstitutionMembershipInline,)


@admin.register(InstitutionMembership)
class InstitutionMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "institution", "role", "created_at")
    list_filter = ("role", "institution__kind")
    search_fields = (
        "user__email",
        "user__full_name",
        "institution__name_zh",
        "institution__name_en",
        "institution__code",
    )
    autocomplete_fields = ("user", "institution")
    list_select_related = ("user", "institution")
    readonly_fields = ("created_at",)
    ordering = ("institution__name_zh", "user__email")


class ProductStatusChangeInline(StatusChangeInline):
    model = ProductStatusChange
    status_enum = Product.Status


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = (
        "name_zh",
        "institution",
        "kind",
        "status",
        "amount_range",
        "rate_range",
        "published_at",
    )
    list_filter = ("status", "kind", "accepted_ip_kinds", "institution__kind")
    search_fields = ("name_zh", "name_en", "code", "institution__name_zh", "institution__name_en")
    list_select_related = ("institution",)
    autocomplete_fields = ("institution",)
    filter_horizontal = ("accepted_ip_kinds", "provinces_served", "target_industries")
    # Status moves only through the product services, which write the history.
    readonly_fields = ("status", "published_at", "created_at", "updated_at")
    date_hierarchy = "published_at"
    ordering = ("-published_at", "name_zh")
    prepopulated_fields = {"code": ("name_en",)}
    inlines = (ProductStatusChangeInline,)

    @admin.display(description=_("amount (CNY)"), ordering="amount_max")
    def amount_range(self, obj: Product) -> str:
        return f"{obj.amount_min:,.0f}–{obj.amount_max:,.0f}"

    @admin.display(description=_("annual rate (%)"), ordering="rate_min")
    def rate_range(self, obj: Product) -> str:
        return f"{obj.rate_min}–{obj.rate_max}"


@admin.register(ProductStatusChange)
class ProductStatusChangeAdmin(StatusChangeAdmin):
    status_enum = Product.Status
    list_display = ("product", "from_label", "to_label", "actor", "created_at")
    search_fields = (*StatusChangeAdmin.search_fields, "product__name_zh", "product__code")
    list_select_related = ("product", "actor")
