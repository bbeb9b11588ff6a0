"""Writing spreadsheets: every export and template the portal offers is CSV
or an Excel workbook written here.

Text that people typed can start like a formula ("=HYPERLINK(…)", "+1",
"@SUM", a tab). A spreadsheet program opening the file would run it, so such
text is written so that it stays text: in CSV behind a single quote, in a
workbook as a string cell marked as typed with a leading quote (never as a
formula). Numbers, dates and amounts stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}
# What makes a spreadsheet program read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters a workbook cannot hold (control characters but tab and new lines).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TITLE_ILLEGAL = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Sheet:
    """A sheet to write: a header row (none when empty) and rows of values.
    `widths` are the columns' widths in a workbook, from column A; `as_text`
    makes what is typed into the columns later stay text (for templates:
    "202010123456.0" or "2020-03-01" keep their form). An `example` row is
    written under the header in grey italics, `example_note` as a comment on
    its first cell (in a workbook; CSV writes rows only)."""

    title: str
    header: Sequence[Any] = ()
    rows: Iterable[Sequence[Any]] = ()
    widths: Sequence[float] = ()
    as_text: bool = False
    example: Sequence[Any] = ()
    example_note: str = ""


def formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _plain(value: Any) -> Any:
    """A value as a spreadsheet stores it."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        # Spreadsheets know no time zones: the portal's local time.
        return timezone.localtime(value).replace(tzinfo=None)
    return value


# --------------------------------------------------------------------------- CSV


def csv_cell(value: Any) -> Any:
    value = _plain(value)
    if value is None:
        return ""
    if formula_like(value):
        return "'" + value
    return value


def csv_lines(sheet: Sheet) -> Iterator[str]:
    """The CSV text of a sheet, a row at a time (for streaming responses).
    The first line starts with a BOM so that Excel reads the UTF-8 right."""

    class Line:
        def write(self, text: str) -> str:
            return text

    writer = csv.writer(Line())
    prefix = "\ufeff"
    if sheet.header:
        yield prefix + writer.writerow([csv_cell(v) for v in sheet.header])
        prefix = ""
    for row in sheet.rows:
        yield prefix + writer.writerow([csv_cell(v) for v in row])
        prefix = ""


def csv_bytes(sheet: Sheet) -> bytes:
    return "".join(csv_lines(sheet)).encode("utf-8")


# --------------------------------------------------------------------------- XLSX


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook with a worksheet per sheet, in order."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    used: set[str] = set()
    for sheet in sheets:
        page = book.create_sheet(_title(sheet.title, used))
        for index, width in enumerate(sheet.widths):
            page.column_dimensions[get_column_letter(index + 1)].width = width
        if sheet.as_text:
            for index in range(len(sheet.header)):
                page.column_dimensions[get_column_letter(index + 1)].number_format = "@"
        if sheet.header:
            header = [_xlsx_cell(page, value) for value in sheet.header]
            for cell in header:
                cell.font = Font(bold=True)
            page.append(header)
        if sheet.example:
            page.append(_example_row(page, sheet))
        for row in sheet.rows:
            page.append([_xlsx_value(page, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _example_row(page: Any, sheet: Sheet) -> list[Any]:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    cells = [_xlsx_cell(page, value) for value in sheet.example]
    for cell in cells:
        cell.font = Font(italic=True, color="808080")
    if sheet.example_note and cells:
        cells[0].comment = Comment(sheet.example_note, "ipfin", width=320, height=80)
    return cells


def _xlsx_value(page: Any, value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, str) and (formula_like(value) or _ILLEGAL.search(value)):
        return _xlsx_cell(page, value)
    return value


def _xlsx_cell(page: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    value = _plain(value)
    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)
    cell = WriteOnlyCell(page, value=value)
    if formula_like(value):
        # A string, never a formula, even once someone edits the cell.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _title(title: str, used: set[str]) -> str:
    """A worksheet title Excel takes: at most 31 characters, none of []:*?/\\,
    and no two alike."""
    base = _TITLE_ILLEGAL.sub(" ", str(title)).strip("' ")[:31] or "Sheet"
    candidate, number = base, 1
    while candidate.lower() in used:
        number += 1
        suffix = f" ({number})"
        candidate = base[: 31 - len(suffix)] + suffix
    used.add(candidate.lower())
    return candidate
