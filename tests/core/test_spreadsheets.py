"""The one spreadsheet reader and writer: declared columns read and checked
cell by cell, uploads refused at once, exports safe from formula injection."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from core.spreadsheets import (
    MAX_UPLOAD_BYTES,
    XLSX_TYPE,
    Amount,
    Choice,
    Date,
    DateTime,
    FileRefused,
    Sheet,
    SheetSpec,
    Text,
    TextList,
    Whole,
    csv_bytes,
    csv_lines,
    nothing_to_import,
    read_sheets,
    read_upload,
    template_csv,
    template_xlsx,
    validate_upload,
    xlsx_bytes,
)
from tests.sheets import FORMULAS, assert_inert_csv, assert_inert_workbook, workbook

LOANS = SheetSpec(
    "loans",
    "贷款",
    gettext_lazy("Loans"),
    (
        Text("code", zh="编号", required=True, normalize=True, case="lower", max_length=8),
        Choice(
            "kind",
            zh="类型",
            headings=("type",),
            choices=[("loan", gettext_lazy("Loan")), ("intention", gettext_lazy("Intention"))],
            aliases={"贷款合同": "loan"},
        ),
        Amount("amount", zh="金额（元）", min_value=Decimal(0), min_exclusive=True),
        Whole("months", zh="期限", max_value=600),
        Date("signed_on", zh="签约日期"),
        DateTime("starts_at", zh="开始时间", default_time=dt.time(9, 0)),
        TextList("tags", zh="标签"),
    ),
)
NOTES = SheetSpec("notes", "备注", gettext_lazy("Notes"), (Text("text", zh="内容"),))


def read_one(data: bytes, sheet: SheetSpec = LOANS):
    [table] = read_sheets(data, [sheet], default=sheet)
    return table


# --------------------------------------------------------------------------- reading


def test_chinese_headings_with_units_and_aliases_pick_the_columns():
    table = read_one("编号,TYPE,金额 (元),期限*,无关列\nZJ-1,贷款合同,200万,36,x\n".encode("gbk"))

    assert table.headings == {
        "code": ("编号", "A"),
        "kind": ("TYPE", "B"),
        "amount": ("金额 (元)", "C"),
        "months": ("期限*", "D"),
    }
    [row] = table.rows
    assert row.values == {
        "code": "zj-1",
        "kind": "loan",
        "amount": Decimal("2000000"),
        "months": 36,
    }
    assert row.problems == []


def test_each_bad_cell_is_a_problem_named_by_sheet_row_column_and_cell():
    data = workbook(
        贷款=[
            ["code", "kind", "amount", "months", "signed_on", "starts_at"],
            [None],
            ["TOO-LONG-CODE", "gift", 0, 601, "2020-13-01", "soon"],
            [None, "Intention", "5万", 12, dt.datetime(2020, 11, 18), "2020年11月18日"],
        ]
    )

    table = read_one(data)

    problems = [(p.sheet, p.row, p.column, p.cell, p.field) for p in table.rows[0].problems]
    assert problems == [
        ("贷款", 3, "code", "A3", "code"),
        ("贷款", 3, "kind", "B3", "kind"),
        ("贷款", 3, "amount", "C3", "amount"),
        ("贷款", 3, "months", "D3", "months"),
        ("贷款", 3, "signed_on", "E3", "signed_on"),
        ("贷款", 3, "starts_at", "F3", "starts_at"),
    ]
    messages = [p.message for p in table.rows[0].problems]
    assert "at most 8 characters" in messages[0]
    assert messages[1] == "“gift” is not one of: Loan, Intention."
    assert messages[2] == "“0” is not an amount in yuan."
    # The good cells of a bad row are read all the same.
    assert table.rows[0].values == {}
    second = table.rows[1]
    assert [(p.row, p.field, p.message) for p in second.problems] == [
        (4, "code", "This column must be filled in on every row.")
    ]
    assert second.values["kind"] == "intention"
    assert second.values["signed_on"] == dt.date(2020, 11, 18)
    starts = second.values["starts_at"]
    assert timezone.localtime(starts).replace(tzinfo=None) == dt.datetime(2020, 11, 18, 9, 0)


def test_a_choice_reads_its_label_in_every_language():
    with translation.override("zh-hans"):
        status = Choice(
            "status",
            zh="状态",
            choices=[("registered", gettext_lazy("Registered"))],
        )
        assert status.read("Registered") == "registered"
    assert status.read("REGISTERED") == "registered"


def test_a_list_cell_splits_on_commas_and_enumeration_marks():
    table = read_one('code,tags\nx,"a, b、c；d"\n'.encode())

    assert table.rows[0].values["tags"] == ["a", "b", "c", "d"]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("编号\t期限\r\nx\t3\r\n", "utf-16"),
        ("编号,期限\r\nx,3\r\n", "utf-8-sig"),
        ("编号,期限\r\nx,3\r\n", "gb18030"),
    ],
)
def test_csv_in_the_encodings_excel_writes_is_read(data, encoding):
    table = read_one(data.encode(encoding))

    assert table.rows[0].values == {"code": "x", "months": 3}


def test_a_csv_in_no_readable_encoding_is_refused_with_a_clear_message():
    with pytest.raises(FileRefused) as refused:
        read_one(b"\x81\x30\xff\xfe\x00code\xff")

    assert "neither an Excel workbook (.xlsx) nor a CSV file in UTF-8 or GBK" in str(refused.value)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The file is empty."),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "old Excel (.xls)"),
        (b"PK\x03\x04broken", "could not be read as an Excel workbook"),
        (b"kind,amount\nloan,1\n", "needs the columns code / 编号"),
        (b"code,\xe7\xbc\x96\xe5\x8f\xb7\nx,y\n", "two columns both mean"),
        (b"\xff\xfe" + "编号".encode("utf-16-le") + b"\x00", "neither"),
    ],
)
def test_an_unusable_file_is_refused_with_a_reason(data, expected):
    with pytest.raises(FileRefused) as refused:
        read_one(data)

    assert expected in refused.value.message


def test_too_many_rows_are_refused_and_blank_rows_keep_their_numbers():
    data = b"code\n\nx\n,\ny\n"

    assert [row.number for row in read_one(data).rows] == [3, 5]
    with pytest.raises(FileRefused) as refused:
        read_sheets(data, [LOANS], default=LOANS, max_rows=1)
    assert "more than 1 rows" in refused.value.message


def test_a_workbook_is_read_by_its_sheet_names_in_the_declared_order():
    data = workbook(备注=[["内容"], ["hello"]], Other=[["code"], ["x"]], loans=[["code"], ["y"]])

    tables = read_sheets(data, [LOANS, NOTES])

    assert [(t.sheet.name, t.title, t.rows[0].values) for t in tables] == [
        ("loans", "loans", {"code": "y"}),
        ("notes", "备注", {"text": "hello"}),
    ]


def test_a_workbook_without_a_declared_sheet_is_read_as_the_default_or_refused():
    data = workbook(Sheet1=[["code"], ["x"]], Sheet2=[["text"]])

    assert read_sheets(data, [LOANS, NOTES], default=LOANS)[0].rows[0].values == {"code": "x"}
    with pytest.raises(FileRefused) as refused:
        read_sheets(data, [LOANS, NOTES])
    assert "no sheet named loans / 贷款, notes / 备注" in refused.value.message
    with pytest.raises(FileRefused) as refused:
        read_sheets(b"code\nx\n", [LOANS, NOTES])
    assert refused.value.message == "Say which sheet this CSV file holds."


def test_two_sheets_of_one_kind_are_refused():
    with pytest.raises(FileRefused) as refused:
        read_sheets(workbook(loans=[["code"]], 贷款=[["code"]]), [LOANS])

    assert refused.value.message == "The workbook has two Loans sheets; keep one."


def test_an_upload_larger_than_the_limit_is_refused_before_it_is_read():
    upload = io.BytesIO(b"x" * (MAX_UPLOAD_BYTES + 10))

    with pytest.raises(FileRefused) as refused:
        read_upload(upload)

    assert "larger than 5 MB" in refused.value.message
    assert upload.tell() == MAX_UPLOAD_BYTES + 1
    with pytest.raises(FileRefused):
        read_upload(io.BytesIO(b"x"), size=MAX_UPLOAD_BYTES + 1)


# --------------------------------------------------------------------------- uploads

XLSX_BYTES = xlsx_bytes([Sheet("loans", header=["code"])])


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("loans.xlsx", XLSX_BYTES, XLSX_TYPE),
        ("loans.XLSX", XLSX_BYTES, "application/octet-stream"),
        ("loans.csv", b"code\nx\n", "application/vnd.ms-excel"),
        ("loans.csv", b"code\nx\n", ""),
        ("loans.txt", "编号\tx\n".encode("utf-16"), "text/plain"),
    ],
)
def test_a_spreadsheet_upload_is_taken_and_left_to_read(name, content, content_type):
    upload = SimpleUploadedFile(name, content, content_type=content_type)

    validate_upload(upload)

    assert upload.read() == content


@pytest.mark.parametrize(
    ("name", "content", "content_type", "expected"),
    [
        ("setup.exe", b"MZ\x90\x00", "application/x-msdownload", "Upload an Excel workbook"),
        ("page.html", b"<html></html>", "text/html", "Upload an Excel workbook"),
        ("loans", b"code\n", "text/csv", "Upload an Excel workbook"),
        ("loans.xls", b"\xd0\xcf\x11\xe0", "application/vnd.ms-excel", "old Excel (.xls)"),
        ("loans.csv", b"\xd0\xcf\x11\xe0", "application/vnd.ms-excel", "old Excel (.xls)"),
        ("loans.csv", b"code\n", "text/html", "not a spreadsheet"),
        ("loans.csv", b"code\n", "application/x-msdownload", "not a spreadsheet"),
        ("loans.csv", b"\xef\xbb\xbf  <!DOCTYPE html><p>", "text/csv", "not a spreadsheet"),
        ("loans.csv", b"MZ\x90\x00\x03\x00\x00\x00", "text/csv", "not a spreadsheet"),
        ("loans.xlsx", b"code\nx\n", XLSX_TYPE, "not a spreadsheet"),
        ("loans.csv", b"x" * (MAX_UPLOAD_BYTES + 1), "text/csv", "larger than 5 MB"),
    ],
)
def test_an_upload_that_is_no_spreadsheet_is_refused(name, content, content_type, expected):
    upload = SimpleUploadedFile(name, content, content_type=content_type)

    with pytest.raises(ValidationError) as refused:
        validate_upload(upload)

    assert expected in refused.value.messages[0]


# --------------------------------------------------------------------------- writing


def test_csv_puts_a_quote_before_text_that_starts_like_a_formula():
    sheet = Sheet("t", header=["name", "amount"], rows=[[f, Decimal("-5.00")] for f in FORMULAS])

    data = csv_bytes(sheet)

    assert data.startswith("\ufeff".encode())
    assert_inert_csv(data, FORMULAS)
    assert data.decode("utf-8-sig").splitlines()[1] == "'=1+2,-5.00"


def test_csv_writes_numbers_dates_and_empty_cells_as_they_are():
    rows = [[-3, 2.5, None, dt.date(2020, 11, 18), gettext_lazy("Loan"), "a-b"]]

    text = csv_bytes(Sheet("t", rows=rows)).decode("utf-8-sig")

    assert text == "-3,2.5,,2020-11-18,Loan,a-b\r\n"


def test_csv_streams_a_row_at_a_time_with_one_bom():
    lines = list(csv_lines(Sheet("t", header=["a"], rows=iter([["=x"], ["y"]]))))

    assert lines == ["\ufeffa\r\n", "'=x\r\n", "y\r\n"]


def test_a_workbook_writes_text_like_formulas_as_strings_and_numbers_as_numbers():
    moment = timezone.make_aware(dt.datetime(2020, 11, 18, 9, 30))
    rows = [[f, -5, Decimal("-1.50"), moment, "bell\x07"] for f in FORMULAS]

    data = xlsx_bytes([Sheet("t", header=["=header", "n", "d", "at", "x"], rows=rows)])

    assert_inert_workbook(data, [*FORMULAS, "=header"])
    page = load_workbook(io.BytesIO(data)).worksheets[0]
    number, amount, at, bell = page["B2"], page["C2"], page["D2"], page["E2"]
    assert (number.value, number.data_type) == (-5, "n")
    assert (amount.value, amount.data_type) == (-1.5, "n")
    assert at.value == dt.datetime(2020, 11, 18, 9, 30)
    assert bell.value == "bell"
    assert page["A1"].font.b


def test_a_workbook_has_a_sheet_per_table_with_titles_excel_takes():
    titles = ["By province", "By province", "a/b:c?" + "x" * 40, "Figures"]

    data = xlsx_bytes([Sheet(title, header=["a"], widths=[30], as_text=True) for title in titles])

    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "By province",
        "By province (2)",
        "a b c " + "x" * 25,
        "Figures",
    ]
    column = book["Figures"].column_dimensions["A"]
    assert (column.width, column.number_format) == (30, "@")


# --------------------------------------------------------------------------- templates


@pytest.mark.parametrize("chinese", [False, True])
def test_a_template_is_read_back_as_the_sheets_it_declares(chinese):
    data = template_xlsx([LOANS, NOTES], chinese=chinese)

    tables = read_sheets(data, [LOANS, NOTES])

    assert [(t.sheet.name, t.rows) for t in tables] == [("loans", []), ("notes", [])]
    book = load_workbook(io.BytesIO(data))
    # Named in the template's language, as the pages name them; the notes too.
    assert book.sheetnames == (
        ["贷款", "备注", "列说明"] if chinese else ["Loans", "Notes", "Columns"]
    )
    notes = list(book[book.sheetnames[2]].iter_rows(values_only=True))
    assert notes[1][:3] == (book.sheetnames[0], "code / 编号", "是" if chinese else "yes")
    # Every spelling that imports, the alias too.
    assert notes[2][3] == (
        "loan / Loan / 贷款合同；intention / 意向。"
        if chinese
        else "loan / Loan / 贷款合同; intention / Intention."
    )
    csv_text = template_csv(LOANS, chinese=chinese).decode("utf-8-sig")
    assert read_one(f"{csv_text}x,loan\n".encode()).rows[0].values["kind"] == "loan"


# --------------------------------------------------------------------------- amount units


@pytest.mark.parametrize(
    ("heading", "cell", "amount"),
    [
        ("金额（元）", 300, Decimal(300)),
        ("金额（万元）", 300, Decimal(3_000_000)),
        ("金额(万元)", "1.5", Decimal(15_000)),
        ("金额【亿元】", 2, Decimal(200_000_000)),
        ("amount (yuan)", 300, Decimal(300)),
        ("金额", "300", Decimal(300)),
        # A cell that says its own unit keeps it.
        ("金额（万元）", "200万", Decimal(2_000_000)),
        ("金额（万元）", "500元", Decimal(500)),
    ],
)
def test_an_amount_is_read_in_the_unit_its_heading_names(heading, cell, amount):
    table = read_one(csv_bytes(Sheet("loans", header=["code", heading], rows=[["a", cell]])))

    assert table.rows[0].problems == []
    assert table.rows[0].values["amount"] == amount


def test_an_amount_heading_in_an_unknown_unit_refuses_the_sheet():
    with pytest.raises(FileRefused) as refused:
        read_one("code,金额（千美元）\na,300\n".encode())

    assert "金额（千美元）" in refused.value.message
    assert "万元" in refused.value.message


# --------------------------------------------------------------------------- example rows

EXAMPLED = SheetSpec(
    "loans",
    "贷款",
    gettext_lazy("Loans"),
    (
        Text("code", zh="编号", required=True, example="zj-1"),
        Choice(
            "kind",
            zh="类型",
            choices=[("loan", gettext_lazy("Loan")), ("intention", gettext_lazy("Intention"))],
            example="intention",
        ),
        Amount("amount", zh="金额", example="2000000"),
        Date("signed_on", zh="签约日期", example="2020-11-18"),
        Text("note", zh="备注"),
    ),
)


def _rows_of(page) -> list[list]:
    return [list(row) for row in page.iter_rows(values_only=True)]


@pytest.mark.parametrize("chinese", [False, True])
def test_the_template_shows_an_example_row_that_importing_it_untouched_skips(chinese):
    data = template_xlsx([EXAMPLED], chinese=chinese)

    book = load_workbook(io.BytesIO(data))
    page = book.worksheets[0]
    kind = "意向" if chinese else "Intention"
    assert _rows_of(page)[1] == ["zj-1", kind, "2000000", "2020-11-18", None]
    assert page["A2"].font.i and page["A2"].comment is not None
    assert ("示例行" if chinese else "example") in page["A2"].comment.text
    [table] = read_sheets(data, [EXAMPLED])
    assert (table.rows, table.example_row) == ([], 2)
    with translation.override("zh-hans" if chinese else "en"):
        said = nothing_to_import([table]) or ""
    assert ("示例行" if chinese else "example row") in said
    # The CSV template too.
    csv_text = template_csv(EXAMPLED, chinese=chinese).decode("utf-8-sig")
    assert csv_text.splitlines()[1] == f"zj-1,{kind},2000000,2020-11-18,"
    assert read_one(csv_text.encode(), EXAMPLED).rows == []


def test_an_example_row_typed_over_or_under_is_read_and_excel_dates_still_match():
    book = load_workbook(io.BytesIO(template_xlsx([EXAMPLED], chinese=False)))
    page = book.worksheets[0]
    # Excel made the example's date a date: still the example.
    page["D2"] = dt.datetime(2020, 11, 18)
    page.append(["zj-2", "loan", "300万", "2020-12-01", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    [table] = read_sheets(buffer.getvalue(), [EXAMPLED])
    assert [(r.number, r.values["code"]) for r in table.rows] == [(3, "zj-2")]
    assert nothing_to_import([table]) is None

    # A note in the example row makes it a row like any other.
    page["E2"] = "real"
    buffer = io.BytesIO()
    book.save(buffer)
    [table] = read_sheets(buffer.getvalue(), [EXAMPLED])
    assert [r.number for r in table.rows] == [2, 3]
    assert table.example_row == 0


def test_a_file_with_headers_only_says_it_has_no_rows():
    table = read_one("编号,类型\n".encode(), EXAMPLED)

    assert "no rows under it" in (nothing_to_import([table]) or "")
