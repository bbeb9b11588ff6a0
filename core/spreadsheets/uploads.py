"""Refusing an upload that is no spreadsheet at once, in the form or the
serializer that receives it: before a job is made or anything is stored,
by its name, the type the browser says it has, its size and its first bytes."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.spreadsheets.reading import MAX_UPLOAD_BYTES, XLS_MAGIC, XLSX_MAGIC, old_excel, too_big

EXTENSIONS = ("xlsx", "csv", "txt")
# For a file input's `accept`: what the file chooser offers.
ACCEPT = ",".join(f".{extension}" for extension in EXTENSIONS)
# What browsers and clients say a workbook or a CSV file is. Windows with
# Excel installed calls a CSV file "application/vnd.ms-excel"; some clients
# send no type or a generic one.
UPLOAD_CONTENT_TYPES = frozenset(
    {
        "",
        "application/octet-stream",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/zip",
        "application/x-zip-compressed",
        "application/vnd.ms-excel",
        "application/csv",
        "application/x-csv",
        "text/csv",
        "text/x-csv",
        "text/comma-separated-values",
        "text/tab-separated-values",
        "text/plain",
    }
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_MARKUP = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<?xml", b"<svg")


def validate_upload(upload: Any, *, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """A form or serializer field validator: raises ValidationError unless the
    upload is a workbook or a CSV file of at most `max_bytes`."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(too_big(max_bytes), code="file_size")
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension == "xls":
        raise ValidationError(old_excel(), code="file_type")
    if extension not in EXTENSIONS:
        raise ValidationError(
            _("Upload an Excel workbook (.xlsx) or a CSV file."), code="file_type"
        )
    content_type = (getattr(upload, "content_type", "") or "").lower()
    if content_type not in UPLOAD_CONTENT_TYPES:
        raise _not_a_spreadsheet()
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if head.startswith(XLS_MAGIC):
        raise ValidationError(old_excel(), code="file_type")
    if extension == "xlsx" and not head.startswith(XLSX_MAGIC):
        raise _not_a_spreadsheet()
    if extension != "xlsx" and not head.startswith(XLSX_MAGIC) and not _text(head):
        raise _not_a_spreadsheet()


def _text(head: bytes) -> bool:
    """Whether a file's first bytes may begin a CSV file: text (no NUL bytes
    but in UTF-16) that is not a web page or other markup."""
    if b"\x00" in head and not head.startswith(_UTF16_BOMS):
        return False
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return not start.startswith(_MARKUP)


def _not_a_spreadsheet() -> ValidationError:
    return ValidationError(
        _("This file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file."),
        code="file_type",
    )
