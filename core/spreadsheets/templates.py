"""Import templates, written from the importer's own declarations: per sheet
a header row (English or Chinese headings, both import) and one example row,
then the sheets of codes the importer looks up, then a sheet of notes saying
what each column takes.

The example row is the declared `example` of each column. The reader knows it
(`SheetSpec.is_example`) and skips it while it is left as it is, so a template
imported untouched imports nothing; typed over, it is a row like any other.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import translation
from django.utils.translation import gettext as _

from core.spreadsheets.columns import SheetSpec, listing
from core.spreadsheets.reading import MAX_ROWS, MAX_UPLOAD_BYTES
from core.spreadsheets.writing import Sheet, csv_bytes, xlsx_bytes


def _language(chinese: bool) -> str:
    return "zh-hans" if chinese else "en"


def example_note() -> str:
    return _(
        "Row 2 is an example: the import skips it while it is left as it is. "
        "Type your first row over it or delete it."
    )


def _data_sheet(sheet: SheetSpec, *, chinese: bool) -> Sheet:
    example = sheet.example()
    return Sheet(
        sheet.title(chinese=chinese),
        header=sheet.headings(chinese=chinese),
        widths=[20] * len(sheet.columns),
        as_text=True,
        example=example if any(example) else [],
        example_note=example_note(),
    )


def template_csv(sheet: SheetSpec, *, chinese: bool) -> bytes:
    """The header row and the example row as CSV (UTF-8 with a BOM, as Excel
    likes it)."""
    with translation.override(_language(chinese)):
        page = _data_sheet(sheet, chinese=chinese)
        return csv_bytes(Sheet(page.title, header=page.header, rows=[page.example]))


def template_xlsx(
    sheets: Sequence[SheetSpec],
    *,
    chinese: bool,
    codes: Sequence[Sheet] = (),
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> bytes:
    """A workbook: a sheet per declared sheet with its header row and example
    row, in the order read; then the `codes` sheets (the codes the cells name,
    for looking up); then the notes."""
    with translation.override(_language(chinese)):
        pages = [_data_sheet(sheet, chinese=chinese) for sheet in sheets]
        pages += codes
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
        notes.append(["", _("Example row"), "", example_note()])
        if codes:
            notes.append(
                [
                    "",
                    _("Codes"),
                    "",
                    _("The sheets %(sheets)s list the codes the cells may name.")
                    % {"sheets": listing([c.title for c in codes])},
                ]
            )
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
