"""The input forms of the enterprise workflows' moves (enterprises/workflows.py),
shared by the pages and the API."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tell the enterprise what is wrong and what to send instead."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
