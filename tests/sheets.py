"""Reading back what the portal's exports write, for the tests of each export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

# One text per way a spreadsheet program starts a formula.
FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(1,2)", "\t=1+2", "\r=1+2"]
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # the limit the import pages state
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def csv_cells(content: bytes) -> set[str]:
    return {cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row}


def assert_inert_csv(content: bytes, texts: list[str]) -> None:
    """Each text is in the CSV behind a quote, so that it is no formula."""
    cells = csv_cells(content)
    for text in texts:
        assert f"'{text}" in cells, text
        assert text not in cells, text


def assert_inert_workbook(content: bytes, texts: list[str]) -> None:
    """No cell of the workbook is a formula, and each text is in it as
    written, a string cell marked as typed with a leading quote."""
    book = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    # Read back, a carriage return in a cell is a new line.
    found = {c.value.replace("\n", "\r"): c for c in cells if isinstance(c.value, str)}
    for text in texts:
        assert text in found, text
        assert found[text].data_type == "s", text
        assert found[text].quotePrefix, text


def workbook(as_text: bool = False, **sheets: list[list[Any]]) -> bytes:
    """An .xlsx file with one worksheet per keyword: its title, then rows
    (the first one the header). With `as_text`, "=…" is text, not a formula."""
    book = Workbook()
    book.remove(book.worksheets[0])
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if as_text and isinstance(cell.value, str):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def not_spreadsheets(readable: bytes) -> Iterator[tuple[str, SimpleUploadedFile]]:
    """Uploads an import refuses at once, however readable the CSV `readable`
    inside: a program, a web page, a file whose name says spreadsheet but
    whose type or bytes do not, and one over the size limit. With a name for
    each, to say which one a test fails on."""
    cases = [
        ("a program", "list.exe", readable, "application/x-msdownload"),
        ("a web page", "list.html", readable, "text/html"),
        ("a CSV name, a web page's type", "list.csv", readable, "text/html"),
        ("a CSV name, a web page inside", "list.csv", b"<!DOCTYPE html>\n" + readable, "text/csv"),
        ("a workbook's name, a program inside", "list.xlsx", PROGRAM, XLSX_TYPE),
        ("too large", "list.csv", readable + b"x" * MAX_UPLOAD_BYTES, "text/csv"),
    ]
    for case, name, content, content_type in cases:
        yield case, SimpleUploadedFile(name, content, content_type=content_type)
