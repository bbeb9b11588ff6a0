"""Importing an IP list from CSV and XLSX: every row or none, every bad row reported."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from core.validators import make_patent_number
from enterprises import imports
from enterprises.imports import ImportRejected, read_asset_file, template_csv, template_xlsx
from enterprises.models import IPAppraisal, IPAsset
from enterprises.services import ip_assets_import
from tests.factories import EnterpriseFactory, IPAssetFactory, member_of

pytestmark = pytest.mark.django_db

INVENTION = make_patent_number(2020, 1, 777_001)
UTILITY = make_patent_number(2021, 2, 777_002)
DESIGN = make_patent_number(2019, 3, 777_003)
BAD_CHECK_DIGIT = INVENTION[:-1] + ("0" if INVENTION[-1] != "0" else "1")


@pytest.fixture
def enterprise():
    return EnterpriseFactory()


@pytest.fixture
def member(enterprise):
    return member_of(enterprise)


def csv_file(lines: list[str], encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO("\r\n".join(lines).encode(encoding))


def xlsx_file(rows: list[list[object]]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def rejected(upload: io.BytesIO, *, enterprise, member) -> ImportRejected:
    with pytest.raises(ImportRejected) as error:
        ip_assets_import(enterprise=enterprise, actor=member, rows=read_asset_file(upload))
    return error.value


def test_a_gbk_csv_with_chinese_headings_imports_every_row(enterprise, member):
    upload = csv_file(
        [
            "序号,类型,申请号,名称,申请日,授权日,法律状态,评估价值（元）,评估机构,评估日期",
            f"1,发明专利,CN{INVENTION},一种图像识别方法,2020/3/1,2021年5月8日,有效,200万,"
            "浙江中联资产评估有限公司,2022-01-10",
            f"2,实用新型,{UTILITY},一种智能网关,2021-02-01,,审中,,,",
            '3,商标,30123456,云栖,2018-01-01,2019-01-01,已注册,"1,500,000",杭州评估所,20220301',
        ],
        encoding="gbk",
    )

    created = ip_assets_import(enterprise=enterprise, actor=member, rows=read_asset_file(upload))

    assert len(created) == 3
    invention = IPAsset.objects.get(enterprise=enterprise, number=INVENTION)
    assert invention.kind_id == "invention_patent"
    assert invention.title == "一种图像识别方法"
    assert (invention.filed_on, invention.granted_on) == (dt.date(2020, 3, 1), dt.date(2021, 5, 8))
    assert invention.appraised_value == Decimal("2000000")
    utility = IPAsset.objects.get(enterprise=enterprise, number=UTILITY)
    assert (utility.legal_status, utility.appraised_value) == ("pending", None)
    trademark = IPAsset.objects.get(enterprise=enterprise, kind="trademark")
    assert trademark.appraised_value == Decimal("1500000")
    assert IPAppraisal.objects.filter(asset__enterprise=enterprise, recorded_by=member).count() == 2


def test_a_utf8_csv_with_a_bom_and_english_headings_imports(enterprise, member):
    upload = csv_file(
        ["kind,number,title,legal_status", f"design_patent,{DESIGN},Smart speaker,valid"],
        encoding="utf-8-sig",
    )

    created = ip_assets_import(enterprise=enterprise, actor=member, rows=read_asset_file(upload))

    assert [asset.number for asset in created] == [DESIGN]


def test_a_good_xlsx_imports_with_numbers_and_dates_as_excel_keeps_them(enterprise, member):
    upload = xlsx_file(
        [
            ["类型", "号码", "名称", "申请日", "评估价值", "评估机构", "评估日期"],
            [
                "发明专利",
                INVENTION,
                "一种方法",
                dt.datetime(2020, 3, 1),
                2_000_000,
                "评估所",
                dt.date(2022, 1, 1),
            ],
            # Excel turns a typed trademark number into a number.
            ["商标", 30123457.0, "山海", None, None, None, None],
            [None, None, None, None, None, None, None],
            # ... and a patent number typed without a leading quote into a float.
            ["实用新型", float(UTILITY), "一种网关", None, None, None, None],
            ["Software copyright", "2020SR0123456", "数据平台V1.0", "2020-06-01", None, None, None],
        ]
    )

    created = ip_assets_import(enterprise=enterprise, actor=member, rows=read_asset_file(upload))

    assert sorted(asset.number for asset in created) == sorted(
        [INVENTION, "30123457", UTILITY, "2020SR0123456"]
    )
    invention = IPAsset.objects.get(number=INVENTION)
    assert invention.filed_on == dt.date(2020, 3, 1)
    assert invention.appraised_value == Decimal("2000000")


def test_two_bad_rows_are_both_reported_with_their_row_numbers_and_nothing_is_written(
    enterprise, member
):
    before = IPAsset.objects.count()
    upload = csv_file(
        [
            "kind,number,title,filed_on",
            f"invention_patent,{INVENTION},Good row,2020-03-01",
            f"invention_patent,{BAD_CHECK_DIGIT},Bad check digit,",
            f"utility_model,{UTILITY},Good row,",
            ",12345,No kind,2020-13-01",
        ]
    )

    error = rejected(upload, enterprise=enterprise, member=member)

    assert {(e.row, e.column) for e in error.rows} == {
        (3, "number"),
        (5, "kind"),
        (5, "filed_on"),
    }
    assert error.bad_rows == 2
    assert error.messages == ["2 rows have errors; nothing was imported."]
    assert IPAsset.objects.count() == before


def test_a_number_twice_in_the_file_is_reported_on_the_later_row(enterprise, member):
    upload = csv_file(
        [
            "kind,number,title",
            f"invention_patent,{INVENTION},First",
            "trademark,30123458,Mark",
            f"invention_patent,ZL {INVENTION},Second",
        ]
    )

    error = rejected(upload, enterprise=enterprise, member=member)

    assert [(e.row, e.column, e.message) for e in error.rows] == [
        (4, "number", "Row 2 already lists this number.")
    ]
    assert not IPAsset.objects.filter(enterprise=enterprise).exists()


def test_a_number_already_on_the_portal_is_reported(enterprise, member):
    mine = IPAssetFactory(enterprise=enterprise)
    theirs = IPAssetFactory()
    upload = csv_file(
        [
            "kind,number,title",
            f"invention_patent,{mine.number},Again",
            f"invention_patent,{theirs.number},Theirs",
        ]
    )

    error = rejected(upload, enterprise=enterprise, member=member)

    assert [(e.row, e.message) for e in error.rows] == [
        (2, "This number is already in your portfolio."),
        (3, error.rows[1].message),
    ]
    assert "another enterprise" in error.rows[1].message


def test_a_half_given_appraisal_and_an_unknown_status_are_reported(enterprise, member):
    upload = csv_file(
        [
            "kind,number,title,legal_status,appraised_value,appraiser,appraised_on",
            f"invention_patent,{INVENTION},A,lost,abc,,",
            f"utility_model,{UTILITY},B,valid,100000,,2021-01-01",
        ]
    )

    error = rejected(upload, enterprise=enterprise, member=member)

    assert [(e.row, e.column) for e in error.rows] == [
        (2, "legal_status"),
        (2, "appraised_value"),
        (3, "appraiser"),
    ]


def test_an_oversize_file_is_refused_before_it_is_read():
    upload = io.BytesIO(b"kind,number,title\r\n" + b"x" * imports.MAX_UPLOAD_BYTES)

    with pytest.raises(ImportRejected) as error:
        read_asset_file(upload)

    assert "larger than 5 MB" in error.value.messages[0]


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    upload = csv_file(["kind,number,title", "trademark,1,a", "trademark,2,b", "trademark,3,c"])

    with pytest.raises(ImportRejected) as error:
        read_asset_file(upload)

    assert "more than 2 rows" in error.value.messages[0]


def test_a_file_without_the_required_columns_is_refused():
    with pytest.raises(ImportRejected) as error:
        read_asset_file(csv_file(["名称,申请日", "一种方法,2020-01-01"]))

    message = error.value.messages[0]
    assert "kind / 类型" in message
    assert "number / 号码" in message
    assert error.value.rows == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"kind,number,title\r\n\r\n", "no rows under it"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, ".xls"),
        (b"PK\x03\x04broken", "Excel workbook"),
        ("类型,号码".encode("utf-16-le") + b"\xff\xd8\xff", "neither"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(content, expected):
    with pytest.raises(ImportRejected) as error:
        read_asset_file(io.BytesIO(content))
    assert expected in error.value.messages[0]


def test_row_numbers_count_blank_rows_as_the_spreadsheet_does(enterprise, member):
    upload = csv_file(["kind,number,title", "", ",,", "trademark,abc,Bad number"])

    error = rejected(upload, enterprise=enterprise, member=member)

    assert [(e.row, e.column) for e in error.rows] == [(4, "number")]


def test_the_templates_headings_are_read_back(enterprise, member):
    for chinese in (False, True):
        workbook = load_workbook(io.BytesIO(template_xlsx(chinese=chinese)), read_only=True)
        headings = next(workbook.worksheets[0].iter_rows(values_only=True))
        assert list(headings) == list(imports.template_headings(chinese=chinese))

        csv_text = template_csv(chinese=chinese).decode("utf-8-sig").strip()
        rows = read_asset_file(
            io.BytesIO(f"{csv_text}\r\ntrademark,{'3012346' + str(int(chinese))},Mark\r\n".encode())
        )
        assert rows[0].values["kind"] == "trademark"
