"""The portal's date and time inputs.

A browser's `<input type="date">` takes its value as `YYYY-MM-DD` and a
`datetime-local` one as `YYYY-MM-DDTHH:MM`, whatever the page's language; it
shows the date in the reader's own way. Django's inputs write the current
language's first input format instead (`2026/12/04` in Chinese), which the
browser drops, so the field comes up empty. Every form and filter of the
portal takes its date and time inputs from here.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    """`<input type="date">` with an ISO value in every language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):  # a datetime too: its day
            return value.strftime(ISO_DATE)
        return super().format_value(value)


class DateTimeInput(forms.DateTimeInput):
    """`<input type="datetime-local">` with an ISO value in every language,
    to the minute, in the current time zone (the form field converts)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATETIME)

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.datetime):
            return value.strftime(ISO_DATETIME)
        if isinstance(value, datetime.date):
            return value.strftime(ISO_DATE) + "T00:00"
        return super().format_value(value)
