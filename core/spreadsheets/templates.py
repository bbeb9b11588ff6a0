"""Import templates, written from the importer's own declarations: a header
row per sheet (English or Chinese headings, both import) and a sheet of notes
saying what each column takes."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from core.spreadsheets.columns import SheetSpec
from core.spreadsheets.reading import MAX_ROWS, MAX_UPLOAD_BYTES
from core.spreadsheets.writing import Sheet, csv_bytes, xlsx_bytes


def template_csv(sheet: SheetSpec, *, chinese: bool) -> bytes:
    """The header row as CSV (UTF-8 with a BOM, as Excel likes it)."""
    return csv_bytes(Sheet(sheet.title(chinese=chinese), header=sheet.headings(chinese=chinese)))


def template_xlsx(
    sheets: Sequence[SheetSpec],
    *,
    chinese: bool,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> bytes:
    """A workbook: a sheet per declared sheet with its header row, in the
    order read, then the notes."""
    pages = [
        Sheet(
            sheet.title(chinese=chinese),
            header=sheet.headings(chinese=chinese),
            widths=[20] * len(sheet.columns),
            as_text=True,
        )
        for sheet in sheets
    ]
    notes = [
        [
            sheet.title(chinese=chinese),
            f"{column.en} / {column.zh}",
            _("yes") if column.required else "",
            column.describe(),
        ]
        for sheet in sheets
        for column in sheet.columns
    ]
    notes.append(
        [
            "",
            _("Limits"),
            "",
            _("At most %(rows)s rows and %(mb)d MB per file.")
            % {"rows": f"{max_rows:,}", "mb": max_bytes // (1024 * 1024)},
        ]
    )
    pages.append(
        Sheet(
            _("Columns"),
            header=[_("Sheet"), _("Column"), _("Required"), _("What to write")],
            rows=notes,
            widths=[14, 36, 10, 90],
        )
    )
    return xlsx_bytes(pages)
