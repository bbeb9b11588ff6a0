from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from accounts.models import OfficeMembership, RegulatorOffice, User
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
        (_("Personal info"), {"fields": ("full_name", "language")}),
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
