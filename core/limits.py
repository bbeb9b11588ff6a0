"""The limits of what a client may send: text lengths and number ranges, in
one place that models, forms and serializers take them from (README, Limits).

A number is checked against its column's range before it reaches the
database: a value past it would fail in the database (an OverflowError on
SQLite, "integer out of range" on PostgreSQL) and answer 500 instead of 400.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

# --- text

# A note or reason given with a move, a short message.
NOTE_MAX_LENGTH = 2_000
# A description, an agenda, a purpose, requirements: a few pages at most.
TEXT_MAX_LENGTH = 20_000

# --- numbers: the portable ranges of the columns (PostgreSQL's, the narrowest
# of the databases the portal runs on).

SMALL_INTEGER_MAX = 32_767
INTEGER_MAX = 2_147_483_647
BIG_INTEGER_MAX = 9_223_372_036_854_775_807
# Every table's primary key is a BigAutoField (settings.DEFAULT_AUTO_FIELD).
ID_MAX = BIG_INTEGER_MAX

_COLUMN_MAX = {
    "SmallIntegerField": SMALL_INTEGER_MAX,
    "PositiveSmallIntegerField": SMALL_INTEGER_MAX,
    "IntegerField": INTEGER_MAX,
    "PositiveIntegerField": INTEGER_MAX,
    "BigIntegerField": BIG_INTEGER_MAX,
    "PositiveBigIntegerField": BIG_INTEGER_MAX,
    "AutoField": INTEGER_MAX,
    "BigAutoField": BIG_INTEGER_MAX,
    "SmallAutoField": SMALL_INTEGER_MAX,
}


def column_max(model: type[models.Model], field_name: str) -> int:
    """The largest whole number the model's column holds."""
    field = model._meta.get_field(field_name)
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    return _COLUMN_MAX[field.get_internal_type()]


class BoundedTextField(models.TextField):
    """A free-text column with a maximum length that model validation, the
    forms and the serializers made from the model all hold (Django's own
    TextField only passes max_length on to the form's widget)."""

    def __init__(self, *args: Any, max_length: int = TEXT_MAX_LENGTH, **kwargs: Any) -> None:
        kwargs["max_length"] = max_length
        super().__init__(*args, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))


def is_id(value: Any) -> bool:
    """Whether `value` reads as an id a primary key can hold (1 to ID_MAX, ASCII digits)."""
    text = str(value).strip()
    return text.isascii() and text.isdigit() and 0 < int(text) <= ID_MAX


# --- form fields


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Several rows chosen by id, each checked to be an id a primary key can
    hold before the database is asked about them."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else []:
            if not is_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


# --- documents sent with an application (financing.documents; README, Limits)

# What an enterprise may attach to its answer to a bank's request for
# information: these types only, each told by its name and its first bytes.
DOCUMENT_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "xlsx", "docx")
# Each file at most this large (10 MB exactly is allowed).
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# At most this many files with one answer.
DOCUMENTS_PER_ANSWER = 5
# The largest request body the portal accepts, files and form together: a
# full answer to a request for information (the largest upload there is) with
# a megabyte to spare for its form. Django refuses more (core.middleware), and
# so does nginx in front of it (deploy/nginx.conf's client_max_body_size).
REQUEST_BODY_MAX_BYTES = DOCUMENTS_PER_ANSWER * DOCUMENT_MAX_BYTES + 1024 * 1024

# The codes a form gives an uploaded file it refuses as too large or of a
# type it does not take: the API answers them 413 and 415 (core.api.read_form).
FILE_TOO_LARGE = "file_too_large"
FILE_TYPE_REFUSED = "file_type_refused"
