from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from search.models import Kind
from search.selectors import QUERY_MAX_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={
            "max_length": _(
                "Search for at most %(limit_value)d characters (it has %(show_value)d)."
            )
        },
    )
    kind = forms.TypedChoiceField(
        label=_("Only"),
        required=False,
        choices=[("", _("Everything")), *Kind.choices],
        empty_value=None,
    )
