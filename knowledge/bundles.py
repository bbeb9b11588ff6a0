"""A collection that has no file of its own downloads as a workbook listing
what it gathers: its policies and its typical cases, in the reader's language."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from knowledge.models import Collection
from knowledge.selectors import collection_contents

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def collection_workbook(*, collection: Collection) -> bytes:
    policies, cases = collection_contents(collection=collection)
    book = Workbook()
    about = book.worksheets[0]  # a new workbook comes with one sheet
    about.title = _("Collection")[:31]
    for label, value in (
        (_("Title"), collection.title),
        (_("Summary"), collection.summary),
        (_("Publisher"), str(collection.publisher or "")),
        (_("Province"), str(collection.province or "")),
        (_("Published"), collection.published_on.isoformat()),
    ):
        about.append([label, value])
    _sheet(
        book,
        _("Policies"),
        [_("Title"), _("Issuer"), _("Document number"), _("Level"), _("Region"), _("Issued")],
        (
            [
                p.title,
                p.issuer,
                p.document_number,
                p.get_level_display(),
                str(p.province or ""),
                p.issued_on.isoformat(),
            ]
            for p in policies
        ),
    )
    _sheet(
        book,
        _("Typical cases"),
        [_("Title"), _("Province"), _("Enterprise"), _("Institution"), _("Amount (CNY)")],
        (
            [
                c.title,
                str(c.province),
                c.enterprise_name,
                c.institution_name,
                c.amount,
            ]
            for c in cases
        ),
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(
    book: Workbook, title: str, header: list[str], rows: Iterable[list[str | Decimal | None]]
) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
