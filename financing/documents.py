"""Documents an enterprise sends with its answer to a bank's request for
information: which files are accepted (core.limits: the types, 10 MB each,
five per answer), told by the name's extension and by the first bytes of the
content, so a program renamed `.pdf` is refused before anything is stored.

The files are kept in the default storage (Django's storage API only, never
a path on disk: the storage may be object storage) under
`applications/<id>/`, with a random name; the original name is kept on the
row and given back on download."""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Iterable
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.files import serve_file
from core.limits import (
    DOCUMENT_EXTENSIONS,
    DOCUMENT_MAX_BYTES,
    DOCUMENTS_PER_ANSWER,
    FILE_TOO_LARGE,
    FILE_TYPE_REFUSED,
)

if TYPE_CHECKING:
    from financing.models import ApplicationDocument

# The codes of a refusal: the API answers 413 for a file too large, 415 for
# one of a type it does not take, 400 for too many.
TOO_LARGE = FILE_TOO_LARGE
UNSUPPORTED = FILE_TYPE_REFUSED
TOO_MANY = "too_many_files"

# The content type each accepted extension is kept and served as.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# For a file input's `accept`: what the file chooser offers.
ACCEPT = ",".join(f".{extension}" for extension in DOCUMENT_EXTENSIONS)

_PDF = b"%PDF-"
_JPEG = b"\xff\xd8\xff"
_PNG = b"\x89PNG\r\n\x1a\n"
_ZIP = b"PK\x03\x04"
# The folder inside an Office Open XML package that says what it holds.
_OFFICE_PARTS = {"xlsx": "xl/", "docx": "word/"}


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def limits_text() -> str:
    """The limits as the form states them, in the reader's language."""
    return _("PDF, JPEG, PNG, XLSX or DOCX; at most %(mb)s MB each, %(count)s files.") % {
        "mb": megabytes(DOCUMENT_MAX_BYTES),
        "count": DOCUMENTS_PER_ANSWER,
    }


def extension_of(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def _content_matches(upload: Any, extension: str) -> bool:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension == "pdf":
        return bool(head.startswith(_PDF))
    if extension in ("jpg", "jpeg"):
        return bool(head.startswith(_JPEG))
    if extension == "png":
        return bool(head.startswith(_PNG))
    if not head.startswith(_ZIP):
        return False
    # A workbook or a Word document is a zip package with its own folder.
    try:
        with zipfile.ZipFile(upload) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    part = _OFFICE_PARTS[extension]
    return "[Content_Types].xml" in names and any(name.startswith(part) for name in names)


def check_document(upload: Any) -> None:
    """ValidationError unless the upload is one document the portal keeps:
    its size within the limit, its extension accepted and its content of
    that type."""
    name = upload.name or ""
    if upload.size is not None and upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than %(mb)s MB.")
            % {"name": name, "mb": megabytes(DOCUMENT_MAX_BYTES)},
            code=TOO_LARGE,
        )
    extension = extension_of(name)
    if extension not in DOCUMENT_EXTENSIONS or not _content_matches(upload, extension):
        raise ValidationError(
            _("“%(name)s” is not a PDF, JPEG, PNG, XLSX or DOCX file.") % {"name": name},
            code=UNSUPPORTED,
        )


def check_documents(uploads: Iterable[Any]) -> list[Any]:
    """The uploads of one answer, each checked; ValidationError with every
    refusal when one is refused or there are too many."""
    files = list(uploads)
    if len(files) > DOCUMENTS_PER_ANSWER:
        raise ValidationError(
            ngettext(
                "Send at most %(count)d file with one answer.",
                "Send at most %(count)d files with one answer.",
                DOCUMENTS_PER_ANSWER,
            )
            % {"count": DOCUMENTS_PER_ANSWER},
            code=TOO_MANY,
        )
    errors: list[ValidationError] = []
    for upload in files:
        try:
            check_document(upload)
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return files


def document_path(instance: ApplicationDocument, filename: str) -> str:
    """Where a document is kept in the storage: a random name under its
    application, with the extension it was accepted for (the original name,
    in any script, stays on the row)."""
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}.{extension_of(filename)}"


def download(document: ApplicationDocument) -> HttpResponseBase:
    """The document as an attachment under its original name (RFC 6266
    `filename*` for a Chinese one), never cached and never shown as anything
    but the type it was accepted as (core.files.serve_file)."""
    return serve_file(
        document.file, filename=document.original_name, content_type=document.content_type
    )
