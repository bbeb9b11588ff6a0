from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.models import Membership, Province
from organisations.models import LANGUAGES
from parks.models import Park
from products.models import Institution

ROLE_CHOICES = [
    (Membership.Role.MEMBER, _("Member")),
    (Membership.Role.ADMIN, _("Administrator")),
]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, initial=Membership.Role.MEMBER)
    language = forms.ChoiceField(
        label=_("Language of the mail"),
        choices=LANGUAGES,
        initial="zh-hans",
        help_text=_("People who already have an account get it in their own language."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)


class JoinForm(forms.Form):
    """An invitee without an account: a name and a password."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class InstitutionInviteForm(forms.Form):
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Institution.Kind.choices)
    licence_number = forms.CharField(label=_("Licence number"), max_length=40)
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.none())
    email = forms.EmailField(
        label=_("Administrator's email address"),
        max_length=254,
        help_text=_("The first administrator gets an invitation and then invites the officers."),
    )
    language = forms.ChoiceField(
        label=_("Language of the mail"), choices=LANGUAGES, initial="zh-hans"
    )

    def __init__(self, *args: Any, provinces: QuerySet[Province], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces  # type: ignore[attr-defined]


class ParkForm(forms.ModelForm):
    class Meta:
        model = Park
        fields = [
            "name_zh",
            "name_en",
            "kind",
            "province",
            "city_zh",
            "city_en",
            "address",
            "website",
            "description",
        ]

    def __init__(self, *args: Any, provinces: QuerySet[Province], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces  # type: ignore[attr-defined]
