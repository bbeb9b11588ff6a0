"""Reading an IP-asset list from an uploaded CSV or XLSX file.

The file has a header row (row 1, as the spreadsheet shows it) naming its
columns in English or Chinese, then one asset per row. Parsing turns each
cell into a Python value and notes what it cannot read; the service
`ip_assets_import` then validates the rows like any other asset and writes
all of them or none. Row numbers are the spreadsheet's, so a user can find
the row they are told about.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.data.industries import IP_KINDS
from core.models import PATENT_KINDS, prefers_chinese
from core.spreadsheets import decode_text, heading_key, parse_amount, parse_date, text_key
from enterprises.models import IPAsset

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
# Columns past this are ignored: nobody keeps an asset in 50 cells.
MAX_COLUMNS = 50

# Field → the headings that name it, English and Chinese. Headings are
# compared after `_heading_key`: case, spaces, "*" marks and a unit in
# brackets ("评估价值（元）") do not matter.
COLUMNS: dict[str, tuple[str, ...]] = {
    "kind": ("kind", "ip kind", "type", "类型", "知识产权类型", "类别", "种类"),
    "number": (
        "number",
        "application number",
        "registration number",
        "号码",
        "申请号",
        "专利号",
        "注册号",
        "登记号",
        "申请号/注册号",
    ),
    "title": ("title", "name", "名称", "专利名称", "商标名称", "作品名称", "软件名称"),
    "filed_on": ("filed_on", "filed", "filing date", "申请日", "申请日期"),
    "granted_on": (
        "granted_on",
        "granted",
        "grant date",
        "授权日",
        "授权日期",
        "授权公告日",
        "注册日",
        "登记日",
    ),
    "expires_on": ("expires_on", "expires", "expiry date", "到期日", "届满日", "有效期至"),
    "legal_status": ("legal_status", "legal status", "status", "法律状态", "状态"),
    "appraised_value": (
        "appraised_value",
        "appraised value",
        "value",
        "评估价值",
        "评估值",
        "评估金额",
    ),
    "appraiser": ("appraiser", "评估机构", "评估单位"),
    "appraised_on": (
        "appraised_on",
        "appraised",
        "appraisal date",
        "评估日期",
        "评估日",
        "评估基准日",
    ),
}
REQUIRED_COLUMNS = ("kind", "number", "title")
DATE_COLUMNS = ("filed_on", "granted_on", "expires_on", "appraised_on")
# What the template's header row says, in the order of its columns.
TEMPLATE_HEADINGS_EN = tuple(COLUMNS)
TEMPLATE_HEADINGS_ZH = (
    "类型",
    "号码",
    "名称",
    "申请日",
    "授权日",
    "到期日",
    "法律状态",
    "评估价值",
    "评估机构",
    "评估日期",
)
_ZH_HEADINGS = dict(zip(TEMPLATE_HEADINGS_EN, TEMPLATE_HEADINGS_ZH, strict=True))
COLUMN_LABELS: dict[str, Promise] = {
    "": gettext_lazy("row"),
    "kind": gettext_lazy("kind"),
    "number": gettext_lazy("number"),
    "title": gettext_lazy("title"),
    "filed_on": gettext_lazy("filing date"),
    "granted_on": gettext_lazy("grant date"),
    "expires_on": gettext_lazy("expiry date"),
    "legal_status": gettext_lazy("legal status"),
    "appraised_value": gettext_lazy("appraised value"),
    "appraiser": gettext_lazy("appraiser"),
    "appraised_on": gettext_lazy("appraisal date"),
}

_KIND_ALIASES = {
    "发明": "invention_patent",
    "invention": "invention_patent",
    "实用新型": "utility_model",
    "utility model": "utility_model",
    "外观设计": "design_patent",
    "外观": "design_patent",
    "design": "design_patent",
    "注册商标": "trademark",
    "著作权": "copyright",
    "版权": "copyright",
    "作品": "copyright",
    "计算机软件著作权": "software_copyright",
    "软件著作权登记": "software_copyright",
    "软著": "software_copyright",
    "software": "software_copyright",
}
_STATUS_ALIASES = {
    "审中": "pending",
    "审查中": "pending",
    "在审": "pending",
    "实审": "pending",
    "申请中": "pending",
    "有效": "valid",
    "授权": "valid",
    "已授权": "valid",
    "已注册": "valid",
    "granted": "valid",
    "失效": "expired",
    "已失效": "expired",
    "届满": "expired",
    "期限届满": "expired",
    "过期": "expired",
    "无效": "invalidated",
    "已无效": "invalidated",
    "宣告无效": "invalidated",
    "被宣告无效": "invalidated",
    "转让": "transferred",
    "已转让": "transferred",
}
_XLSX_MAGIC = b"PK\x03\x04"
# The old binary Excel format (and other OLE2 files).
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


_HEADINGS = {heading_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}
_KINDS = {
    **{text_key(alias): code for alias, code in _KIND_ALIASES.items()},
    **{text_key(k.code): k.code for k in IP_KINDS},
    **{text_key(k.name_zh): k.code for k in IP_KINDS},
    **{text_key(k.name_en): k.code for k in IP_KINDS},
}
_STATUSES = {
    **{text_key(alias): code for alias, code in _STATUS_ALIASES.items()},
    **{text_key(code): code for code in IPAsset.LegalStatus.values},
    **{text_key(str(label)): code for code, label in IPAsset.LegalStatus.choices},
}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class RowError:
    """What is wrong with one cell (or, with no column, a whole row)."""

    row: int
    column: str
    message: str

    @property
    def column_label(self) -> str:
        return str(COLUMN_LABELS.get(self.column, self.column))


@dataclass
class ImportRow:
    """One data row: its number as the spreadsheet shows it, the values that
    could be read (by model field name) and the cells that could not."""

    row: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


class ImportRejected(Exception):
    """Nothing was imported: the file itself is unusable (`file_errors`) or
    some rows are bad (`rows`, every one of them)."""

    def __init__(
        self, *, file_errors: Iterable[str | Promise] = (), rows: Iterable[RowError] = ()
    ) -> None:
        self.file_errors = [str(message) for message in file_errors]
        order = {name: i for i, name in enumerate(COLUMNS)}
        self.rows = sorted(rows, key=lambda e: (e.row, order.get(e.column, -1)))
        super().__init__("; ".join(self.messages))

    @property
    def bad_rows(self) -> int:
        return len({error.row for error in self.rows})

    @property
    def messages(self) -> list[str]:
        if self.file_errors:
            return self.file_errors
        count = self.bad_rows
        return [
            ngettext(
                "%(count)d row has errors; nothing was imported.",
                "%(count)d rows have errors; nothing was imported.",
                count,
            )
            % {"count": count}
        ]

    def as_dict(self) -> dict[str, Any]:
        """The API's 400 body: the shared error shape plus every bad row."""
        return {
            "detail": _("Nothing was imported."),
            "code": "import_rejected",
            "fields": {"file": self.messages},
            "rows": [asdict(error) for error in self.rows],
        }


# --------------------------------------------------------------------------- reading files


def read_asset_file(upload: IO[bytes], *, size: int | None = None) -> list[ImportRow]:
    """The rows of an uploaded CSV (UTF-8, with or without BOM, or GBK) or
    XLSX file. Raises ImportRejected when the file cannot be used at all."""
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ImportRejected(file_errors=[_too_big()])
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRejected(file_errors=[_too_big()])
    if not data.strip():
        raise ImportRejected(file_errors=[_("The file is empty.")])
    if data.startswith(_XLS_MAGIC):
        raise ImportRejected(
            file_errors=[
                _(
                    "This looks like an old Excel (.xls) file. Save it as an Excel workbook "
                    "(.xlsx) or as CSV and upload it again."
                )
            ]
        )
    table = _xlsx_table(data) if data.startswith(_XLSX_MAGIC) else _csv_table(data)
    return parse_table(table)


def _too_big() -> str:
    return _(
        "The file is larger than %(limit)d MB. Split the list into several files and "
        "upload them one after another."
    ) % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}


def _csv_table(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # A record is one spreadsheet row, even when a quoted cell spans lines.
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise ImportRejected(
            file_errors=[_("The file could not be read as CSV: %(error)s") % {"error": error}]
        ) from error


def _xlsx_table(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportRejected(
            file_errors=[
                _("The file could not be read as an Excel workbook (.xlsx): %(error)s")
                % {"error": error}
            ]
        ) from error
    try:
        sheet = workbook.worksheets[0]
        # Some writers record wrong dimensions; read what is really there.
        sheet.reset_dimensions()
        for number, values in enumerate(
            sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
        ):
            yield number, list(values)
    finally:
        workbook.close()


# --------------------------------------------------------------------------- parsing rows


def parse_table(table: Iterable[tuple[int, list[Any]]]) -> list[ImportRow]:
    """Rows from (row number, cells) pairs; the first non-blank row is the header."""
    rows = iter(table)
    header: list[Any] | None = None
    for _number, cells in rows:
        if not _blank(cells):
            header = cells
            break
    if header is None:
        raise ImportRejected(file_errors=[_("The file is empty.")])
    columns = _columns(header)

    parsed: list[ImportRow] = []
    for number, cells in rows:
        if _blank(cells):
            continue
        if len(parsed) == MAX_ROWS:
            raise ImportRejected(
                file_errors=[
                    _(
                        "The file has more than %(limit)s rows of assets. Split it into "
                        "several files and upload them one after another."
                    )
                    % {"limit": f"{MAX_ROWS:,}"}
                ]
            )
        parsed.append(_parse_row(number, cells, columns))
    if not parsed:
        raise ImportRejected(file_errors=[_("The file has a header row but no assets under it.")])
    return parsed


def _blank(cells: list[Any]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells[:MAX_COLUMNS])


def _columns(header: list[Any]) -> dict[str, int]:
    """Field name → column index. Columns the importer does not know (a serial
    number, notes) are left alone."""
    columns: dict[str, int] = {}
    for index, heading in enumerate(header[:MAX_COLUMNS]):
        if heading is None:
            continue
        name = _HEADINGS.get(heading_key(str(heading)))
        if name is None:
            continue
        if name in columns:
            raise ImportRejected(
                file_errors=[
                    _("Two columns of the header row both mean “%(column)s”; keep one of them.")
                    % {"column": COLUMN_LABELS[name]}
                ]
            )
        columns[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ImportRejected(
            file_errors=[
                _(
                    "The header row (row 1) needs the columns %(columns)s. Download the template "
                    "to see the headings the importer understands."
                )
                % {"columns": ", ".join(f"{name} / {_ZH_HEADINGS[name]}" for name in missing)}
            ]
        )
    return columns


def _parse_row(number: int, cells: list[Any], columns: dict[str, int]) -> ImportRow:
    row = ImportRow(row=number)

    def cell(name: str) -> Any:
        index = columns.get(name)
        if index is None or index >= len(cells):
            return None
        value = cells[index]
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def fail(name: str, message: str) -> None:
        row.errors.append(RowError(row=number, column=name, message=message))

    kind = cell("kind")
    if kind is None:
        fail("kind", _("The kind is missing."))
    elif (code := _KINDS.get(text_key(str(kind)))) is None:
        fail(
            "kind",
            _("“%(value)s” is not a kind of IP the portal knows; use one of: %(kinds)s.")
            % {"value": kind, "kinds": _kind_names()},
        )
    else:
        row.values["kind"] = code

    number_cell = cell("number")
    if number_cell is None:
        fail("number", _("The number is missing."))
    else:
        row.values["number"] = _number_text(number_cell, kind=row.values.get("kind"))

    title = cell("title")
    if title is None:
        fail("title", _("The title is missing."))
    else:
        row.values["title"] = str(title)

    for name in DATE_COLUMNS:
        value = cell(name)
        if value is None:
            continue
        date = parse_date(value)
        if date is None:
            fail(name, _("“%(value)s” is not a date; write it as 2020-03-01.") % {"value": value})
        else:
            row.values[name] = date

    status = cell("legal_status")
    if status is not None:
        code = _STATUSES.get(text_key(str(status)))
        if code is None:
            fail(
                "legal_status",
                _("“%(value)s” is not a legal status; use one of: %(statuses)s.")
                % {"value": status, "statuses": ", ".join(map(str, IPAsset.LegalStatus.labels))},
            )
        else:
            row.values["legal_status"] = code

    value = cell("appraised_value")
    if value is not None:
        amount = parse_amount(value)
        if amount is None:
            fail(
                "appraised_value",
                _("“%(value)s” is not an amount in yuan; write it as 2000000 or 200万.")
                % {"value": value},
            )
        else:
            row.values["appraised_value"] = amount

    appraiser = cell("appraiser")
    if appraiser is not None:
        row.values["appraiser"] = str(appraiser)
    return row


def _kind_names() -> str:
    if prefers_chinese():
        return "、".join(k.name_zh for k in IP_KINDS)
    return ", ".join(k.name_en for k in IP_KINDS)


def _number_text(value: Any, *, kind: str | None) -> str:
    """A number cell as text. Spreadsheets turn "202010123456.7" or a
    trademark number into numbers; give them back their written form."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and kind not in PATENT_KINDS:
            return str(int(value))
        return repr(value)
    return str(value)


def _decode(data: bytes) -> str:
    text = decode_text(data)
    if text is None:
        raise ImportRejected(
            file_errors=[
                _(
                    "The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8 or GBK. "
                    "Save it from your spreadsheet as one of those and upload it again."
                )
            ]
        )
    return text


# --------------------------------------------------------------------------- the template


def template_headings(*, chinese: bool) -> tuple[str, ...]:
    return TEMPLATE_HEADINGS_ZH if chinese else TEMPLATE_HEADINGS_EN


def template_csv(*, chinese: bool) -> bytes:
    """The header row as CSV, in UTF-8 with a BOM so Excel shows Chinese right."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(template_headings(chinese=chinese))
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(*, chinese: bool) -> bytes:
    """A workbook: the header row on the first sheet (the one the importer
    reads) and the accepted values on a second one."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "IP" if not chinese else "知识产权"
    sheet.append(list(template_headings(chinese=chinese)))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter in "ABCDEFGHIJ":
        sheet.column_dimensions[letter].width = 18
    # Numbers and dates typed as text keep their form ("202010123456.0").
    for letter in "BDEFJ":
        for row in range(2, 1002):
            sheet[f"{letter}{row}"].number_format = "@"
    notes = workbook.create_sheet(_("Accepted values"))
    notes.append([_("Column"), _("Accepted values")])
    notes.append(
        [
            str(COLUMN_LABELS["kind"]),
            ", ".join(f"{k.code} / {k.name_zh}" for k in IP_KINDS),
        ]
    )
    notes.append(
        [
            str(COLUMN_LABELS["number"]),
            _(
                "Patent application number with its check digit (202010123456.7), trademark "
                "registration number, or copyright registration number."
            ),
        ]
    )
    notes.append(
        [
            str(COLUMN_LABELS["legal_status"]),
            ", ".join(f"{code} / {label}" for code, label in IPAsset.LegalStatus.choices),
        ]
    )
    notes.append([_("Dates"), "2020-03-01"])
    notes.append(
        [
            str(COLUMN_LABELS["appraised_value"]),
            _("Yuan, e.g. 2000000; give the appraiser and date too."),
        ]
    )
    notes.append(
        [
            _("Limits"),
            _("At most %(rows)s rows and %(mb)d MB per file.")
            % {"rows": f"{MAX_ROWS:,}", "mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        ]
    )
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
