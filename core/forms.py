"""What every app's pages share about forms."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def show_service_errors(
    form: forms.BaseForm, error: ValidationError, *, rename: Mapping[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: each message on the field it
    names (by the form's name for it, via `rename`), the rest above the form."""
    rename = rename or {}
    messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for name, texts in messages.items():
        field = rename.get(name, name) if name else None
        form.add_error(field if field in form.fields else None, texts)
