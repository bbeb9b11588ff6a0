"""The account forms: allauth's sign-in and sign-up in the portal's words,
the profile and a new API token."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm, SignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class SignInForm(LoginForm):
    """Email and password. Scripts and older forms that post the email as
    `username` are understood too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        data = kwargs.get("data", args[0] if args else None)
        if data is not None and "login" not in data and "username" in data:
            data = data.copy()
            data["login"] = data["username"]
            if args:
                args = (data, *args[1:])
            else:
                kwargs["data"] = data
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Email address")
        self.fields["login"].widget.attrs.update({"autocomplete": "email", "autofocus": True})
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)


class SignUpForm(SignupForm):
    """Email, password twice and, optionally, the name colleagues know you by."""

    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
        self.order_fields(["email", "full_name", "password1", "password2"])


class ProfileForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    class Meta:
        model = User
        fields = ["full_name", "phone", "language"]
        labels = {"full_name": _("Full name"), "phone": _("Phone")}

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data["phone"]).strip()
        allowed = set("0123456789+-() ")
        if phone and (not set(phone) <= allowed or sum(c.isdigit() for c in phone) < 5):
            raise forms.ValidationError(_("Enter a phone number: digits, spaces, + - ( )."))
        return phone


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script that uses it."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=366, initial=90)
