"""The three sheets a provincial bureau reports in, and reading them from a file.

A workbook (XLSX) may hold any of the sheets `events`, `registrations` and
`contracts` (or 活动, 报名, 签约), each with a header row naming its columns
in English or Chinese; a CSV file holds one sheet, named when it is
uploaded. This module only reads cells; `reports.imports` validates and
writes them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# Shared cell readers of the IP-asset importer: headings compared without
# case, spaces or units; CSV in UTF-8 or GBK.
from core.spreadsheets import decode_text, heading_key

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_COLUMNS = 40
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class Column:
    field: str
    en: str
    zh: str
    required: bool
    help: Promise


@dataclass(frozen=True)
class Sheet:
    name: str
    zh: str
    label: Promise
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)

    def headings(self, *, chinese: bool) -> list[str]:
        return [c.zh if chinese else c.en for c in self.columns]


LIST_HELP = gettext_lazy("Several values separated by commas or 、.")

EVENTS = Sheet(
    "events",
    "活动",
    gettext_lazy("Events"),
    (
        Column(
            "slug",
            "slug",
            "活动编号",
            True,
            gettext_lazy(
                "The event's short code (letters, digits, hyphens), e.g. zj-hangzhou-2020-11. "
                "A row with a code the portal knows updates that event."
            ),
        ),
        Column("campaign", "campaign", "所属行动", False, gettext_lazy("The campaign's code.")),
        Column("title_zh", "title_zh", "活动名称", True, gettext_lazy("Title in Chinese.")),
        Column("title_en", "title_en", "英文名称", False, gettext_lazy("Title in English.")),
        Column(
            "kinds",
            "kinds",
            "活动类型",
            False,
            gettext_lazy(
                "Product release, roadshow, bank promotion, policy training, matchmaking, "
                "signing (产品发布, 企业路演, 银行推介, 政策培训, 对接洽谈, 现场签约)."
            ),
        ),
        Column(
            "host_province",
            "host_province",
            "主办省份",
            True,
            gettext_lazy("Code (330000) or name (浙江省, Zhejiang)."),
        ),
        Column("city_zh", "city", "城市", False, gettext_lazy("City, in Chinese.")),
        Column("venue", "venue", "地点", False, gettext_lazy("Venue.")),
        Column("parks", "parks", "覆盖园区", False, gettext_lazy("Park codes or Chinese names.")),
        Column(
            "starts_at",
            "starts_at",
            "开始时间",
            True,
            gettext_lazy("2020-11-18 09:00; a date alone means 09:00."),
        ),
        Column(
            "ends_at",
            "ends_at",
            "结束时间",
            True,
            gettext_lazy("2020-11-18 17:00; a date alone means 18:00."),
        ),
        Column(
            "format",
            "format",
            "举办方式",
            False,
            gettext_lazy("offline, online or hybrid (线下, 线上, 线上线下)."),
        ),
        Column(
            "participants_online",
            "participants_online",
            "线上参与人数",
            False,
            gettext_lazy("A whole number."),
        ),
        Column(
            "participants_offline",
            "participants_offline",
            "线下参与人数",
            False,
            gettext_lazy("A whole number."),
        ),
        Column(
            "participating_provinces",
            "participating_provinces",
            "参与省份",
            False,
            gettext_lazy("Provinces taking part besides the host, by code or name."),
        ),
        Column(
            "products",
            "products",
            "发布产品",
            False,
            gettext_lazy("Codes of the financing products released there."),
        ),
    ),
)

REGISTRATIONS = Sheet(
    "registrations",
    "报名",
    gettext_lazy("Registrations"),
    (
        Column("event", "event", "活动编号", True, gettext_lazy("The event's code.")),
        Column(
            "credit_code",
            "credit_code",
            "统一社会信用代码",
            False,
            gettext_lazy("The enterprise's unified social credit code (or give an institution)."),
        ),
        Column(
            "institution",
            "institution",
            "机构代码",
            False,
            gettext_lazy("The institution's code on the portal (or give an enterprise)."),
        ),
        Column(
            "status",
            "status",
            "状态",
            False,
            gettext_lazy(
                "registered, confirmed, checked_in or cancelled (已报名, 已确认, 已签到, 已取消); "
                "registered when empty."
            ),
        ),
        Column(
            "need_amount",
            "need_amount",
            "融资需求（元）",
            False,
            gettext_lazy("Yuan, e.g. 5000000 or 500万."),
        ),
        Column(
            "need_term_months",
            "need_term_months",
            "融资期限（月）",
            False,
            gettext_lazy("Months."),
        ),
    ),
)

CONTRACTS = Sheet(
    "contracts",
    "签约",
    gettext_lazy("Contracts"),
    (
        Column(
            "reference",
            "reference",
            "合同编号",
            True,
            gettext_lazy("The contract number; a number the portal knows updates that contract."),
        ),
        Column("event", "event", "活动编号", True, gettext_lazy("The event where it was signed.")),
        Column(
            "kind",
            "kind",
            "类型",
            True,
            gettext_lazy("loan or intention (贷款合同, 意向协议)."),
        ),
        Column(
            "amount", "amount", "金额（元）", True, gettext_lazy("Yuan, e.g. 20000000 or 2000万.")
        ),
        Column("signed_on", "signed_on", "签约日期", True, gettext_lazy("2020-11-18.")),
        Column(
            "credit_code",
            "credit_code",
            "统一社会信用代码",
            True,
            gettext_lazy("The enterprise's unified social credit code."),
        ),
        Column(
            "institution",
            "institution",
            "机构代码",
            True,
            gettext_lazy("The lending institution's code on the portal."),
        ),
        Column("product", "product", "产品代码", False, gettext_lazy("The product's code.")),
    ),
)

# In the order they are written: registrations and contracts name events.
SHEETS: dict[str, Sheet] = {s.name: s for s in (EVENTS, REGISTRATIONS, CONTRACTS)}
_SHEET_TITLES = {
    heading_key(title): sheet.name
    for sheet in SHEETS.values()
    for title in (sheet.name, sheet.zh, str(sheet.label))
}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Problem:
    """What is wrong: in a sheet, a row and a column as the file shows them
    (row 0 and no column for the file or a whole sheet)."""

    sheet: str
    row: int
    column: str
    message: str
    cell: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "message": self.message,
        }


class ImportRejected(Exception):
    """Nothing was written; `problems` says why, every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems[:3]))

    @property
    def message(self) -> str:
        rows = {(p.sheet, p.row) for p in self.problems if p.row}
        if not rows:
            return self.problems[0].message if self.problems else _("Nothing was imported.")
        return ngettext(
            "%(count)d row has errors; nothing was imported.",
            "%(count)d rows have errors; nothing was imported.",
            len(rows),
        ) % {"count": len(rows)}


def file_problem(message: str) -> ImportRejected:
    return ImportRejected([Problem(sheet="", row=0, column="", message=message)])


@dataclass
class Row:
    """One data row: its number as the spreadsheet shows it, and its non-empty
    cells by field name, with where each came from (for messages)."""

    number: int
    cells: dict[str, Any] = field(default_factory=dict)


@dataclass
class Table:
    sheet: Sheet
    title: str
    # Field → (heading as the file writes it, column letter).
    headings: dict[str, tuple[str, str]]
    rows: list[Row]

    def where(self, row: int, name: str) -> Problem:
        heading, letter = self.headings.get(name, (name, ""))
        return Problem(
            sheet=self.title,
            row=row,
            column=heading,
            message="",
            cell=f"{letter}{row}" if letter and row else "",
        )

    def problem(self, row: int, name: str, message: str) -> Problem:
        where = self.where(row, name)
        return Problem(
            sheet=where.sheet, row=row, column=where.column, message=message, cell=where.cell
        )


# --------------------------------------------------------------------------- reading


def read_tables(data: bytes, *, sheet: str = "") -> list[Table]:
    """The sheets in an uploaded file, in writing order. `sheet` names the
    sheet a CSV file (or a workbook with one unnamed sheet) holds."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise file_problem(
            _("The file is larger than %(limit)d MB; split it into several files.")
            % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise file_problem(_("The file is empty."))
    if data.startswith(_XLS_MAGIC):
        raise file_problem(
            _("Old Excel (.xls) files cannot be read; save it as .xlsx or CSV and upload it again.")
        )
    if data.startswith(_XLSX_MAGIC):
        grids = list(_xlsx_grids(data))
        named = [
            (SHEETS[_SHEET_TITLES[heading_key(t)]], t, g)
            for t, g in grids
            if heading_key(t) in _SHEET_TITLES
        ]
        if not named and len(grids) == 1 and sheet in SHEETS:
            named = [(SHEETS[sheet], grids[0][0], grids[0][1])]
        if not named:
            raise file_problem(
                _(
                    "The workbook has no sheet named events, registrations or contracts "
                    "(活动, 报名, 签约). Download the template to see how it is laid out."
                )
            )
    else:
        if sheet not in SHEETS:
            raise file_problem(_("Say which sheet this CSV file holds."))
        named = [(SHEETS[sheet], str(SHEETS[sheet].label), _csv_grid(data))]
    order = list(SHEETS)
    tables = [_table(s, title, grid) for s, title, grid in named]
    seen: set[str] = set()
    for table in tables:
        if table.sheet.name in seen:
            raise file_problem(
                _("The workbook has two %(sheet)s sheets; keep one.") % {"sheet": table.sheet.label}
            )
        seen.add(table.sheet.name)
    return sorted(tables, key=lambda t: order.index(t.sheet.name))


def _xlsx_grids(data: bytes) -> Iterator[tuple[str, Iterator[tuple[int, list[Any]]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise file_problem(
            _("The file could not be read as an Excel workbook (.xlsx): %(error)s")
            % {"error": error}
        ) from error
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()
            rows = [
                (n, list(values))
                for n, values in enumerate(
                    sheet.iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS + 50, values_only=True),
                    start=1,
                )
            ]
            yield sheet.title, iter(rows)
    finally:
        workbook.close()


def _csv_grid(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = decode_text(data)
    if text is None:
        raise file_problem(
            _(
                "The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8 or GBK. "
                "Save it from your spreadsheet as one of those and upload it again."
            )
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return iter(list(enumerate(reader, start=1)))
    except csv.Error as error:
        raise file_problem(
            _("The file could not be read as CSV: %(error)s") % {"error": error}
        ) from error


def _blank(cells: list[Any]) -> bool:
    return all(c is None or str(c).strip() == "" for c in cells)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _table(sheet: Sheet, title: str, grid: Iterator[tuple[int, list[Any]]]) -> Table:
    header: list[Any] | None = None
    for _number, cells in grid:
        if not _blank(cells):
            header = cells
            break
    if header is None:
        raise file_problem(_("The sheet %(sheet)s is empty.") % {"sheet": title})
    known = {}
    for column in sheet.columns:
        for alias in (column.field, column.en, column.zh):
            known[heading_key(alias)] = column.field
    headings: dict[str, tuple[str, str]] = {}
    index_of: dict[str, int] = {}
    for index, heading in enumerate(header[:MAX_COLUMNS]):
        if heading is None:
            continue
        name = known.get(heading_key(str(heading)))
        if name is None:
            continue
        if name in headings:
            raise file_problem(
                _("Sheet %(sheet)s: two columns both mean “%(column)s”; keep one.")
                % {"sheet": title, "column": heading}
            )
        headings[name] = (str(heading).strip(), _letter(index))
        index_of[name] = index
    missing = [c for c in sheet.columns if c.required and c.field not in headings]
    if missing:
        raise file_problem(
            _("Sheet %(sheet)s: the header row needs the columns %(columns)s.")
            % {"sheet": title, "columns": ", ".join(f"{c.en} / {c.zh}" for c in missing)}
        )
    rows: list[Row] = []
    for number, cells in grid:
        if _blank(cells):
            continue
        if len(rows) == MAX_ROWS:
            raise file_problem(
                _("Sheet %(sheet)s has more than %(limit)s rows; split it into several files.")
                % {"sheet": title, "limit": f"{MAX_ROWS:,}"}
            )
        row = Row(number=number)
        for name, index in index_of.items():
            value = cells[index] if index < len(cells) else None
            if isinstance(value, str):
                value = value.strip()
            if value is not None and value != "":
                row.cells[name] = value
        rows.append(row)
    return Table(sheet=sheet, title=title, headings=headings, rows=rows)


# --------------------------------------------------------------------------- templates


def template_csv(sheet: Sheet, *, chinese: bool) -> bytes:
    """The header row as CSV, UTF-8 with a BOM so that Excel shows Chinese right."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(sheet.headings(chinese=chinese))
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(sheets: list[Sheet], *, chinese: bool) -> bytes:
    """A workbook with a header row per sheet and a sheet that explains the columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        page = workbook.create_sheet(sheet.zh if chinese else sheet.name)
        page.append(sheet.headings(chinese=chinese))
        for index, cell in enumerate(page[1]):
            cell.font = Font(bold=True)
            page.column_dimensions[_letter(index)].width = 20
            # Codes and dates typed as text keep their form.
            for row in range(2, 502):
                page.cell(row=row, column=index + 1).number_format = "@"
    notes = workbook.create_sheet(_("Columns"))
    notes.append([_("Sheet"), _("Column"), _("Required"), _("What to write")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for sheet in sheets:
        for column in sheet.columns:
            notes.append(
                [
                    sheet.zh if chinese else sheet.name,
                    f"{column.en} / {column.zh}",
                    _("yes") if column.required else "",
                    str(column.help),
                ]
            )
    for letter, width in zip("ABCD", (14, 36, 10, 90), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_download(name: str, fmt: str, *, chinese: bool) -> tuple[bytes, str, str]:
    """A template by name: `workbook.xlsx` (all sheets), or one sheet as .xlsx
    or .csv. Returns the bytes, content type and file name; LookupError for
    any other name."""
    if name == "workbook" and fmt == "xlsx":
        return template_xlsx(list(SHEETS.values()), chinese=chinese), XLSX_TYPE, "ipfin-import.xlsx"
    if name in SHEETS and fmt == "xlsx":
        return template_xlsx([SHEETS[name]], chinese=chinese), XLSX_TYPE, f"ipfin-{name}.xlsx"
    if name in SHEETS and fmt == "csv":
        return (
            template_csv(SHEETS[name], chinese=chinese),
            "text/csv; charset=utf-8",
            f"ipfin-{name}.csv",
        )
    raise LookupError(name)
