"""Reading an IP-asset list from an uploaded CSV or XLSX file.

The file has a header row naming its columns in English or Chinese, then one
asset per row; `ASSETS` declares the columns and `core.spreadsheets` reads
them, noting every cell it cannot read. The service `ip_assets_import` then
validates the rows like any other asset and writes all of them or none. Row
numbers are the spreadsheet's, so a user can find the row they are told about.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import spreadsheets
from core.data.industries import IP_KINDS, Industry
from core.models import PATENT_KINDS, prefers_chinese
from core.spreadsheets import Amount, Choice, Column, Date, SheetSpec, Text
from enterprises.models import IPAsset

MAX_UPLOAD_BYTES = spreadsheets.MAX_UPLOAD_BYTES
MAX_ROWS = spreadsheets.MAX_ROWS

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


def _kind_name(kind: Industry) -> str:
    return kind.name_zh if prefers_chinese() else kind.name_en


_kind_label = lazy(_kind_name, str)

# The columns of an IP list, in the template's order. Headings are compared
# after `heading_key`: case, spaces, "*" marks and a unit in brackets
# ("评估价值（元）") do not matter.
ASSETS = SheetSpec(
    "IP",
    "知识产权",
    gettext_lazy("IP assets"),
    (
        Choice(
            "kind",
            zh="类型",
            headings=("ip kind", "type", "知识产权类型", "类别", "种类"),
            required=True,
            invalid=gettext_lazy(
                "“%(value)s” is not a kind of IP the portal knows; use one of: %(choices)s."
            ),
            choices=[(kind.code, _kind_label(kind)) for kind in IP_KINDS],
            aliases=_KIND_ALIASES,
            example="invention_patent",
        ),
        # Read as written: how a number Excel made of it reads depends on the kind.
        Column(
            "number",
            zh="号码",
            headings=(
                "application number",
                "registration number",
                "申请号",
                "专利号",
                "注册号",
                "登记号",
                "申请号/注册号",
            ),
            required=True,
            help=gettext_lazy(
                "Patent application number with its check digit (202010123456.7), trademark "
                "registration number, or copyright registration number."
            ),
            example="202010123456.2",
        ),
        Text(
            "title",
            zh="名称",
            headings=("name", "专利名称", "商标名称", "作品名称", "软件名称"),
            required=True,
            help=gettext_lazy("The title of the patent, the mark or the work."),
            example="一种锂电池隔膜的制备方法",
        ),
        Date(
            "filed_on",
            zh="申请日",
            headings=("filed", "filing date", "申请日期"),
            example="2020-03-01",
        ),
        Date(
            "granted_on",
            zh="授权日",
            headings=("granted", "grant date", "授权日期", "授权公告日", "注册日", "登记日"),
            example="2022-06-17",
        ),
        Date(
            "expires_on",
            zh="到期日",
            headings=("expires", "expiry date", "届满日", "有效期至"),
            example="2040-03-01",
        ),
        Choice(
            "legal_status",
            zh="法律状态",
            headings=("legal status", "status", "状态"),
            invalid=gettext_lazy("“%(value)s” is not a legal status; use one of: %(choices)s."),
            choices=IPAsset.LegalStatus.choices,
            aliases=_STATUS_ALIASES,
            example=IPAsset.LegalStatus.VALID,
        ),
        Amount(
            "appraised_value",
            zh="评估价值",
            headings=("appraised value", "value", "评估值", "评估金额"),
            invalid=gettext_lazy(
                "“%(value)s” is not an amount in yuan; write it as 2000000 or 200万."
            ),
            help=gettext_lazy("Yuan, e.g. 2000000; give the appraiser and date too."),
            example="2000000",
        ),
        Text(
            "appraiser",
            zh="评估机构",
            headings=("评估单位",),
            help=gettext_lazy(
                "The latest appraisal in yuan (2000000 or 200万), who made it and when: all "
                "three or none."
            ),
            example="浙江中联资产评估有限公司",
        ),
        Date(
            "appraised_on",
            zh="评估日期",
            headings=("appraised", "appraisal date", "评估日", "评估基准日"),
            example="2024-05-10",
        ),
    ),
)
COLUMN_ORDER = {column.field: i for i, column in enumerate(ASSETS.columns)}
# What the import page calls each column when it lists the rows to correct.
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
        self.rows = sorted(rows, key=lambda e: (e.row, COLUMN_ORDER.get(e.column, -1)))
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
    XLSX file (its first sheet). Raises ImportRejected when the file cannot
    be used at all."""
    try:
        data = spreadsheets.read_upload(upload, size=size, max_bytes=MAX_UPLOAD_BYTES)
        [table] = spreadsheets.read_sheets(data, [ASSETS], default=ASSETS, max_rows=MAX_ROWS)
    except spreadsheets.FileRefused as refused:
        raise ImportRejected(file_errors=[refused.message]) from refused
    empty = spreadsheets.nothing_to_import([table])
    if empty:
        raise ImportRejected(file_errors=[empty])
    return [_import_row(row) for row in table.rows]


def _import_row(row: spreadsheets.Row) -> ImportRow:
    values = dict(row.values)
    if "number" in values:
        values["number"] = _number_text(values["number"], kind=values.get("kind"))
    return ImportRow(
        row=row.number,
        values=values,
        errors=[RowError(row=p.row, column=p.field, message=p.message) for p in row.problems],
    )


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


# --------------------------------------------------------------------------- the template


def template_headings(*, chinese: bool) -> tuple[str, ...]:
    return tuple(ASSETS.headings(chinese=chinese))


def template_csv(*, chinese: bool) -> bytes:
    return spreadsheets.template_csv(ASSETS, chinese=chinese)


def template_xlsx(*, chinese: bool) -> bytes:
    """The header row on the first sheet (the one the importer reads), then
    what each column takes."""
    return spreadsheets.template_xlsx(
        [ASSETS], chinese=chinese, max_rows=MAX_ROWS, max_bytes=MAX_UPLOAD_BYTES
    )
