"""Reading uploaded spreadsheets into declared sheets.

An upload is an Excel workbook (.xlsx) or a CSV file (UTF-8 with or without a
BOM, GBK, or UTF-16 "Unicode text", commas or tabs). A workbook's sheets are
found by name; a CSV file holds the one sheet its uploader names. In each
sheet the first non-blank row is the header; its headings pick the declared
columns (English or Chinese, case, spaces and units in brackets do not
matter), other columns are left alone. Every cell of every row is then read
as its column declares, and what cannot be read is a `Problem` named by
sheet, row, column and cell, as the spreadsheet shows them.

What makes the whole file unusable raises `FileRefused` with one message.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from core.spreadsheets.cells import decode_text, heading_key
from core.spreadsheets.columns import Column, Invalid, SheetSpec

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
# Columns past this are ignored: no sheet here declares half as many.
MAX_COLUMNS = 50
XLSX_MAGIC = b"PK\x03\x04"
# The old binary Excel format (and other OLE2 files).
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


class FileRefused(Exception):
    """The file cannot be used at all; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def too_big(max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    return _(
        "The file is larger than %(limit)d MB; split it into several files and upload them "
        "one after another."
    ) % {"limit": max_bytes // (1024 * 1024)}


def old_excel() -> str:
    return _(
        "This looks like an old Excel (.xls) file. Save it as an Excel workbook "
        "(.xlsx) or as CSV and upload it again."
    )


@dataclass(frozen=True)
class Problem:
    """What is wrong with a cell: its sheet, row and column as the file shows
    them, the cell's address ("D3") and the declared field."""

    sheet: str
    row: int
    column: str
    message: str
    cell: str = ""
    field: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "message": self.message,
        }


@dataclass
class Row:
    """One data row: its number as the spreadsheet shows it, its non-empty
    cells as written (`cells`), what they were read as (`values`, by field;
    a cell that could not be read is missing) and its `problems`."""

    number: int
    cells: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Table:
    """A sheet as read: which declared sheet, its title in the file, the
    headings found (field → heading as written, column letter), its rows and
    the columns as their headings say to read them (an amount in 万元)."""

    sheet: SheetSpec
    title: str
    headings: dict[str, tuple[str, str]]
    rows: list[Row]
    columns: dict[str, Column] = field(default_factory=dict)
    example_row: int = 0  # the template's example row, skipped (0: none)

    def problem(self, row: int, name: str, message: str) -> Problem:
        heading, letter = self.headings.get(name, (name, ""))
        return Problem(
            sheet=self.title,
            row=row,
            column=heading,
            message=message,
            cell=f"{letter}{row}" if letter and row else "",
            field=name,
        )


# --------------------------------------------------------------------------- reading


def nothing_to_import(tables: Sequence[Table]) -> str | None:
    """What to tell someone whose file holds no data row (only the header
    rows, perhaps the template's example rows); None when it holds one."""
    if any(table.rows for table in tables):
        return None
    if any(table.example_row for table in tables):
        return _(
            "Nothing was imported: the file holds only the template's example row, which is "
            "never imported. Type your rows over it or under it."
        )
    return _("Nothing was imported: the file has a header row but no rows under it.")


def read_upload(
    upload: IO[bytes], *, size: int | None = None, max_bytes: int = MAX_UPLOAD_BYTES
) -> bytes:
    """The bytes of an upload, refused when it is larger than `max_bytes`
    (without reading more than that)."""
    if size is not None and size > max_bytes:
        raise FileRefused(too_big(max_bytes))
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileRefused(too_big(max_bytes))
    return data


def read_sheets(
    data: bytes,
    sheets: Sequence[SheetSpec],
    *,
    default: SheetSpec | None = None,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> list[Table]:
    """The declared sheets a file holds, in the order of `sheets`. `default`
    is the sheet a CSV file holds, or a workbook none of whose sheets is
    named as declared (its first sheet)."""
    if len(data) > max_bytes:
        raise FileRefused(too_big(max_bytes))
    if not data.strip():
        raise FileRefused(_("The file is empty."))
    if data.startswith(XLS_MAGIC):
        raise FileRefused(old_excel())
    if data.startswith(XLSX_MAGIC):
        tables = _workbook_tables(data, sheets, default=default, max_rows=max_rows)
    elif default is None:
        raise FileRefused(_("Say which sheet this CSV file holds."))
    else:
        tables = [_table(default, default.shown, _csv_rows(data), max_rows=max_rows)]
    order = [sheet.name for sheet in sheets]
    return sorted(tables, key=lambda table: order.index(table.sheet.name))


def _workbook_tables(
    data: bytes, sheets: Sequence[SheetSpec], *, default: SheetSpec | None, max_rows: int
) -> list[Table]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileRefused(
            _("The file could not be read as an Excel workbook (.xlsx): %(error)s")
            % {"error": error}
        ) from error
    try:
        named = {title: sheet for sheet in sheets for title in sheet.titles()}
        chosen = [
            (named[heading_key(page.title)], page)
            for page in workbook.worksheets
            if heading_key(page.title) in named
        ]
        if not chosen and default is not None and workbook.worksheets:
            chosen = [(default, workbook.worksheets[0])]
        if not chosen:
            raise FileRefused(
                _(
                    "The workbook has no sheet named %(sheets)s. Download the template to see "
                    "how it is laid out."
                )
                % {"sheets": ", ".join(f"{s.name} / {s.zh}" for s in sheets)}
            )
        seen: set[str] = set()
        for sheet, _page in chosen:
            if sheet.name in seen:
                raise FileRefused(
                    _("The workbook has two %(sheet)s sheets; keep one.") % {"sheet": sheet.shown}
                )
            seen.add(sheet.name)
        tables = []
        for sheet, page in chosen:
            # Some writers record wrong dimensions; read what is really there.
            page.reset_dimensions()
            rows = enumerate(page.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1)
            tables.append(_table(sheet, page.title, rows, max_rows=max_rows))
        return tables
    finally:
        workbook.close()


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = decode_text(data)
    if text is None:
        raise FileRefused(
            _(
                "The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8 or GBK. "
                "Save it from your spreadsheet as one of those and upload it again."
            )
        )
    # Excel's "Unicode text" and "Text (tab delimited)" separate by tabs.
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # A record is one spreadsheet row, even when a quoted cell spans lines.
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise FileRefused(
            _("The file could not be read as CSV: %(error)s") % {"error": error}
        ) from error


def _blank(cells: Sequence[Any]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells[:MAX_COLUMNS])


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _table(
    sheet: SheetSpec, title: str, grid: Iterable[tuple[int, Sequence[Any]]], *, max_rows: int
) -> Table:
    rows = iter(grid)
    header = next((cells for _number, cells in rows if not _blank(cells)), None)
    if header is None:
        raise FileRefused(_("The sheet %(sheet)s is empty.") % {"sheet": title})
    table = Table(sheet=sheet, title=title, headings={}, rows=[])
    index_of: dict[str, int] = {}
    for index, heading in enumerate(header[:MAX_COLUMNS]):
        if heading is None:
            continue
        name = sheet.fields_by_heading.get(heading_key(str(heading)))
        if name is None:
            continue
        if name in index_of:
            raise FileRefused(
                _("Sheet %(sheet)s: two columns both mean “%(column)s”; keep one.")
                % {"sheet": title, "column": heading}
            )
        table.headings[name] = (str(heading).strip(), _letter(index))
        index_of[name] = index
        try:
            table.columns[name] = sheet.column(name).under(str(heading).strip())
        except Invalid as invalid:
            raise FileRefused(
                _("Sheet %(sheet)s: %(problem)s") % {"sheet": title, "problem": invalid.message}
            ) from invalid
    missing = [c for c in sheet.columns if c.required and c.field not in index_of]
    if missing:
        raise FileRefused(
            _("Sheet %(sheet)s: the header row needs the columns %(columns)s.")
            % {"sheet": title, "columns": ", ".join(f"{c.en} / {c.zh}" for c in missing)}
        )
    for number, cells in rows:
        if _blank(cells):
            continue
        if not table.example_row and sheet.is_example(_cells(cells, index_of), table.columns):
            table.example_row = number
            continue
        if len(table.rows) == max_rows:
            raise FileRefused(
                _("Sheet %(sheet)s has more than %(limit)s rows; split it into several files.")
                % {"sheet": title, "limit": f"{max_rows:,}"}
            )
        table.rows.append(_row(table, number, cells, index_of))
    return table


def _cells(cells: Sequence[Any], index_of: dict[str, int]) -> dict[str, Any]:
    return {name: cells[index] for name, index in index_of.items() if index < len(cells)}


def _row(table: Table, number: int, cells: Sequence[Any], index_of: dict[str, int]) -> Row:
    row = Row(number=number)
    for name, index in index_of.items():
        value = cells[index] if index < len(cells) else None
        if isinstance(value, str):
            value = value.strip()
        if value is not None and value != "":
            row.cells[name] = value
    for column in table.sheet.columns:
        if column.field not in index_of:
            continue
        column = table.columns[column.field]
        if column.field not in row.cells:
            if column.required:
                row.problems.append(table.problem(number, column.field, column.missing_message()))
            continue
        try:
            row.values[column.field] = column.clean(row.cells[column.field])
        except Invalid as invalid:
            row.problems.append(table.problem(number, column.field, invalid.message))
    return row
