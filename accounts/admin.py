from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, OfficeMembership, RegulatorOffice, SecurityEvent, User
from core.admin import MembershipInline


class EmailFormMixin:
    """Store emails the way UserManager does (lower case), so the unique
    constraint also catches addresses that differ only in case."""

    cleaned_data: dict[str, str]

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


class UserCreationForm(EmailFormMixin, auth_forms.UserCreationForm):
    class Meta(auth_forms.UserCreationForm.Meta):
        model = User
        fields = ("email",)


class UserChangeForm(EmailFormMixin, auth_forms.UserChangeForm):
    # Not derived from auth's Meta: that one lists every field ("__all__")
    # and gives the username, which this user has none of, its own class.
    class Meta:
        model = User
        fields = ("email",)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "phone", "language")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")
    list_display = ("email", "full_name", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "language", "groups")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    date_hierarchy = "date_joined"


class OfficeMembershipInline(MembershipInline):
    model = OfficeMembership


@admin.register(RegulatorOffice)
class RegulatorOfficeAdmin(admin.ModelAdmin):
    list_display = ("name_zh", "name_en", "code", "kind", "level", "province")
    list_filter = ("kind", "level", "province")
    search_fields = ("name_zh", "name_en", "code")
    list_select_related = ("province",)
    prepopulated_fields = {"code": ("name_en",)}
    ordering = ("level", "province", "name_zh")
    inlines = (OfficeMembershipInline,)


@admin.register(OfficeMembership)
class OfficeMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "office", "role", "created_at")
    list_filter = ("role", "office__kind", "office__level")
    search_fields = ("user__email", "user__full_name", "office__name_zh", "office__name_en")
    autocomplete_fields = ("user", "office")
    list_select_related = ("user", "office")
    readonly_fields = ("created_at",)
    ordering = ("office", "user__email")


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The security log, read only: what happened is not edited afterwards."""

    list_display = ("created_at", "kind", "user", "ip", "organisation_kind", "organisation_id")
    list_filter = ("kind", "organisation_kind")
    search_fields = ("user__email", "ip", "detail")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in SecurityEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Personal API tokens: operators may see and revoke them (set "revoked"),
    never read a secret, which is not stored."""

    list_display = (
        "name",
        "user",
        "hint",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__email", "hint")
    list_select_related = ("user",)
    readonly_fields = ("user", "name", "hint", "created_at", "expires_at", "last_used_at")
    fields = ("user", "name", "hint", "created_at", "expires_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
