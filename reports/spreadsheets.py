"""The three sheets a provincial bureau reports in, declared for reading.

A workbook (XLSX) may hold any of the sheets `events`, `registrations` and
`contracts` (or 活动, 报名, 签约), each with a header row naming its columns
in English or Chinese; a CSV file holds one sheet, named when it is
uploaded. `core.spreadsheets` reads them as declared here (each cell checked
as its column says); `reports.imports` checks the rows against the portal
and writes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from django.core.validators import RegexValidator
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from core import spreadsheets
from core.spreadsheets import (
    Amount,
    Choice,
    ChoiceList,
    Date,
    DateTime,
    Problem,
    SheetSpec,
    Table,
    Text,
    TextList,
    Whole,
)
from core.validators import validate_credit_code
from events.models import Event, EventKind, Registration
from financing.models import Contract
from reports.selectors import institution_codes, park_codes

MAX_UPLOAD_BYTES = spreadsheets.MAX_UPLOAD_BYTES
MAX_ROWS = spreadsheets.MAX_ROWS
DEFAULT_START = dt.time(9, 0)
DEFAULT_END = dt.time(18, 0)

_FORMATS = {
    "线下": Event.Format.OFFLINE,
    "现场": Event.Format.OFFLINE,
    "线上": Event.Format.ONLINE,
    "网上": Event.Format.ONLINE,
    "线上线下": Event.Format.HYBRID,
    "线上+线下": Event.Format.HYBRID,
    "线上线下结合": Event.Format.HYBRID,
}
# The names bureaus give the kinds of event, besides the portal's own.
_KINDS = {
    "发布会": EventKind.Code.PRODUCT_RELEASE,
    "产品发布会": EventKind.Code.PRODUCT_RELEASE,
    "企业路演": EventKind.Code.ROADSHOW,
    "路演": EventKind.Code.ROADSHOW,
    "银行推介": EventKind.Code.BANK_PROMOTION,
    "推介会": EventKind.Code.BANK_PROMOTION,
    "政策培训": EventKind.Code.POLICY_TRAINING,
    "培训": EventKind.Code.POLICY_TRAINING,
    "政策宣讲": EventKind.Code.POLICY_TRAINING,
    "银企对接": EventKind.Code.MATCHMAKING,
    "对接洽谈": EventKind.Code.MATCHMAKING,
    "对接会": EventKind.Code.MATCHMAKING,
    "银企对接会": EventKind.Code.MATCHMAKING,
    "现场签约": EventKind.Code.SIGNING,
    "签约仪式": EventKind.Code.SIGNING,
    "集中签约": EventKind.Code.SIGNING,
}
_REGISTRATION_STATUSES = {
    "已报名": Registration.Status.REGISTERED,
    "报名": Registration.Status.REGISTERED,
    "已确认": Registration.Status.CONFIRMED,
    "确认": Registration.Status.CONFIRMED,
    "已签到": Registration.Status.CHECKED_IN,
    "签到": Registration.Status.CHECKED_IN,
    "已参会": Registration.Status.CHECKED_IN,
    "已取消": Registration.Status.CANCELLED,
    "取消": Registration.Status.CANCELLED,
    "候补": Registration.Status.WAITLISTED,
}
_CONTRACT_KINDS = {
    "贷款合同": Contract.Kind.LOAN,
    "贷款": Contract.Kind.LOAN,
    "借款合同": Contract.Kind.LOAN,
    "合同": Contract.Kind.LOAN,
    "意向协议": Contract.Kind.INTENTION,
    "意向": Contract.Kind.INTENTION,
    "意向签约": Contract.Kind.INTENTION,
}

# Codes and names are read NFKC-normalised: typed in full width ("ＺＪ-１")
# they read as ASCII. Columns more than one sheet has:
# an event named by its code, a slug, compared in lower case;
EVENT_CODE = Text(
    "event",
    zh="活动编号",
    required=True,
    normalize=True,
    case="lower",
)
# an enterprise by its unified social credit code, an institution by its code.
CREDIT_CODE = Text(
    "credit_code",
    zh="统一社会信用代码",
    normalize=True,
    case="upper",
    validators=(validate_credit_code,),
)
INSTITUTION = Text("institution", zh="机构代码", normalize=True)
WHOLE_NUMBER = gettext_lazy("A whole number.")
# What the templates' example rows name (the rows are skipped on import).
EXAMPLE_EVENT = "zj-hangzhou-2020-11"
EXAMPLE_CREDIT_CODE = "91330106MA2H4K2X0W"

EVENTS = SheetSpec(
    "events",
    "活动",
    gettext_lazy("Events"),
    (
        replace(
            EVENT_CODE,
            field="slug",
            en="slug",
            max_length=100,
            validators=(
                RegexValidator(
                    r"^[-a-z0-9_]+\Z",
                    message=gettext_lazy(
                        "“%(value)s” is not an event code: use letters, digits and hyphens."
                    ),
                ),
            ),
            help=gettext_lazy(
                "The event's short code (letters, digits, hyphens), e.g. zj-hangzhou-2020-11. "
                "A row with a code the portal knows updates that event."
            ),
            example=EXAMPLE_EVENT,
        ),
        Text(
            "campaign",
            zh="所属行动",
            normalize=True,
            help=gettext_lazy("The campaign's code."),
            example="park-campaign-2020",
        ),
        Text(
            "title_zh",
            zh="活动名称",
            required=True,
            normalize=True,
            max_length=255,
            help=gettext_lazy("Title in Chinese."),
            example="2020年杭州高新区知识产权质押融资银企对接会",
        ),
        Text(
            "title_en",
            zh="英文名称",
            normalize=True,
            max_length=255,
            help=gettext_lazy("Title in English."),
            example="Hangzhou Hi-tech Zone IP pledge financing matchmaking 2020",
        ),
        ChoiceList(
            "kinds",
            zh="活动类型",
            choices=EventKind.Code.choices,
            aliases=_KINDS,
            invalid=gettext_lazy("“%(value)s” is not a kind of event: %(choices)s."),
            help=gettext_lazy("Several kinds are separated by commas or 、."),
            example=EventKind.Code.MATCHMAKING,
        ),
        Text(
            "host_province",
            zh="主办省份",
            required=True,
            normalize=True,
            help=gettext_lazy("Code (330000) or name (浙江省, Zhejiang)."),
            example="330000",
        ),
        Text(
            "city_zh",
            en="city",
            zh="城市",
            normalize=True,
            max_length=60,
            help=gettext_lazy("City, in Chinese."),
            example="杭州市",
        ),
        Text(
            "venue",
            zh="地点",
            normalize=True,
            max_length=255,
            help=gettext_lazy("Venue."),
            example="杭州高新区（滨江）科技馆",
        ),
        TextList(
            "parks",
            zh="覆盖园区",
            help=gettext_lazy("Park codes or Chinese names (see the park codes)."),
            example="hangzhou-hitech-binjiang",
        ),
        DateTime(
            "starts_at",
            zh="开始时间",
            required=True,
            default_time=DEFAULT_START,
            help=gettext_lazy("2020-11-18 09:00; a date alone means 09:00."),
            example="2020-11-18 09:00",
        ),
        DateTime(
            "ends_at",
            zh="结束时间",
            required=True,
            default_time=DEFAULT_END,
            help=gettext_lazy("2020-11-18 17:00; a date alone means 18:00."),
            example="2020-11-18 17:00",
        ),
        Choice(
            "format",
            zh="举办方式",
            choices=Event.Format.choices,
            aliases=_FORMATS,
            invalid=gettext_lazy("“%(value)s” is not a format: offline, online or hybrid."),
            example=Event.Format.OFFLINE,
        ),
        Whole("participants_online", zh="线上参与人数", help=WHOLE_NUMBER, example="1200"),
        Whole("participants_offline", zh="线下参与人数", help=WHOLE_NUMBER, example="150"),
        TextList(
            "participating_provinces",
            zh="参与省份",
            help=gettext_lazy("Provinces taking part besides the host, by code or name."),
        ),
        TextList(
            "products",
            zh="发布产品",
            help=gettext_lazy("Codes of the financing products released there."),
        ),
    ),
)

REGISTRATIONS = SheetSpec(
    "registrations",
    "报名",
    gettext_lazy("Registrations"),
    (
        replace(EVENT_CODE, help=gettext_lazy("The event's code."), example=EXAMPLE_EVENT),
        replace(
            CREDIT_CODE,
            help=gettext_lazy(
                "The enterprise's unified social credit code (or give an institution)."
            ),
            example=EXAMPLE_CREDIT_CODE,
        ),
        replace(
            INSTITUTION,
            help=gettext_lazy(
                "The institution's code on the portal (or give an enterprise); see the "
                "institution codes."
            ),
        ),
        Choice(
            "status",
            zh="状态",
            choices=Registration.Status.choices,
            aliases=_REGISTRATION_STATUSES,
            invalid=gettext_lazy("“%(value)s” is not a registration status."),
            help=gettext_lazy("Confirmed when empty."),
            example=Registration.Status.CONFIRMED,
        ),
        Amount(
            "need_amount",
            zh="融资需求（元）",
            min_value=Decimal(0),
            help=gettext_lazy("e.g. 5000000 or 500万."),
            example="5000000",
        ),
        Whole(
            "need_term_months",
            zh="融资期限（月）",
            max_value=600,
            invalid=gettext_lazy("“%(value)s” is not a number of months."),
            help=gettext_lazy("Months."),
            example="12",
        ),
    ),
)

CONTRACTS = SheetSpec(
    "contracts",
    "签约",
    gettext_lazy("Contracts"),
    (
        Text(
            "reference",
            zh="合同编号",
            required=True,
            normalize=True,
            max_length=40,
            help=gettext_lazy(
                "The contract number; a number the portal knows updates that contract."
            ),
            example="ZJ-HZ-2020-001",
        ),
        replace(
            EVENT_CODE, help=gettext_lazy("The event where it was signed."), example=EXAMPLE_EVENT
        ),
        Choice(
            "kind",
            zh="类型",
            required=True,
            choices=Contract.Kind.choices,
            aliases=_CONTRACT_KINDS,
            invalid=gettext_lazy("“%(value)s” is not a kind of contract: loan or intention."),
            example=Contract.Kind.LOAN,
        ),
        Amount(
            "amount",
            zh="金额（元）",
            required=True,
            min_value=Decimal(0),
            min_exclusive=True,
            help=gettext_lazy("e.g. 20000000 or 2000万."),
            example="20000000",
        ),
        Date(
            "signed_on",
            zh="签约日期",
            required=True,
            help=gettext_lazy("2020-11-18."),
            example="2020-11-18",
        ),
        replace(
            CREDIT_CODE,
            required=True,
            help=gettext_lazy("The enterprise's unified social credit code."),
            example=EXAMPLE_CREDIT_CODE,
        ),
        replace(
            INSTITUTION,
            required=True,
            help=gettext_lazy(
                "The lending institution's code on the portal; see the institution codes."
            ),
            example="icbc-hangzhou",
        ),
        Text("product", zh="产品代码", normalize=True, help=gettext_lazy("The product's code.")),
    ),
)

# In the order they are written: registrations and contracts name events.
SHEETS: dict[str, SheetSpec] = {s.name: s for s in (EVENTS, REGISTRATIONS, CONTRACTS)}


# --------------------------------------------------------------------------- results


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


def read_tables(data: bytes, *, sheet: str = "") -> list[Table]:
    """The sheets in an uploaded file, in writing order. `sheet` names the
    sheet a CSV file (or a workbook with no sheet named as above) holds."""
    try:
        tables = spreadsheets.read_sheets(
            data, list(SHEETS.values()), default=SHEETS.get(sheet), max_rows=MAX_ROWS
        )
    except spreadsheets.FileRefused as refused:
        raise file_problem(refused.message) from refused
    empty = spreadsheets.nothing_to_import(tables)
    if empty:
        raise file_problem(empty)
    return tables


# --------------------------------------------------------------------------- templates


def code_sheets(*, chinese: bool) -> list[spreadsheets.Sheet]:
    """The codes a bureau's cells name, a sheet each: institutions (code,
    name) and parks (code, name, province), as the import page lists them."""
    with translation.override("zh-hans" if chinese else "en"):
        return [
            spreadsheets.Sheet(
                _("Institution codes"),
                header=[pgettext("codes", "Code"), _("Name")],
                rows=[[i.code, i.name] for i in institution_codes()],
                widths=[36, 60],
            ),
            spreadsheets.Sheet(
                _("Park codes"),
                header=[pgettext("codes", "Code"), _("Name"), _("Province")],
                rows=[[p.slug, p.name, p.province.name] for p in park_codes()],
                widths=[36, 60, 16],
            ),
        ]


def template_download(name: str, fmt: str, *, chinese: bool) -> tuple[bytes, str, str]:
    """A template by name: `workbook.xlsx` (all sheets), or one sheet as .xlsx
    or .csv; a workbook also lists the institution and park codes. Returns
    the bytes, content type and file name; LookupError for any other name."""
    if fmt == "xlsx" and (name == "workbook" or name in SHEETS):
        sheets = list(SHEETS.values()) if name == "workbook" else [SHEETS[name]]
        filename = "ipfin-import.xlsx" if name == "workbook" else f"ipfin-{name}.xlsx"
        data = spreadsheets.template_xlsx(
            sheets, chinese=chinese, codes=code_sheets(chinese=chinese), max_rows=MAX_ROWS
        )
        return data, spreadsheets.XLSX_TYPE, filename
    if fmt == "csv" and name in SHEETS:
        data = spreadsheets.template_csv(SHEETS[name], chinese=chinese)
        return data, spreadsheets.CSV_TYPE, f"ipfin-{name}.csv"
    raise LookupError(name)
