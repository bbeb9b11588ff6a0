"""A bureau's import templates: sheets named as the import page and the
result name them, an example row the import skips, and the institution and
park codes on the page and in the workbook."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from events.models import Event
from parks.models import Park
from products.models import Institution
from reports.models import Job
from reports.spreadsheets import EXAMPLE_EVENT, SHEETS

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAMES = {
    "zh-hans": ["活动", "报名", "签约", "机构代码表", "园区代码表", "列说明"],
    "en": ["Events", "Registrations", "Contracts", "Institution codes", "Park codes", "Columns"],
}


@pytest.fixture
def client_of(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def _prefix(language: str) -> str:
    return "" if language == "en" else f"/{language}"


def _template(client, language: str, name: str = "workbook"):
    response = client.get(f"{_prefix(language)}/reports/imports/template/{name}.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _upload(client, book, django_capture_on_commit_callbacks, language: str = "en") -> Job:
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("bureau.xlsx", buffer.getvalue(), content_type=XLSX)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{_prefix(language)}/reports/imports/", {"file": upload})
    assert response.status_code == 302
    return Job.objects.latest("pk")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_workbook_names_its_sheets_as_the_import_page_does(client_of, national, language):
    client = client_of(national)
    book = _template(client, language)

    assert book.sheetnames == NAMES[language]
    page = client.get(f"{_prefix(language)}/reports/imports/").content.decode()
    shown = re.findall(r'<h3 data-sheet="\w+">([^<]+)</h3>', page)
    assert shown == NAMES[language][:3]
    # The CSV upload's sheet choice names them alike.
    assert all(f">{name}</option>" in page for name in NAMES[language][:3])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_data_sheet_has_the_example_row_in_grey(client_of, national, language):
    book = _template(client_of(national), language)

    for spec, page in zip(SHEETS.values(), book.worksheets[:3], strict=True):
        header, example = [list(row) for row in page.iter_rows(max_row=2, values_only=True)]
        assert header == spec.headings(chinese=language == "zh-hans")
        assert [cell or "" for cell in example] == [
            cell.strip() and cell for cell in example_cells(spec, language)
        ]
        assert page["A2"].font.i
        assert page["A2"].comment is not None
    events = book.worksheets[0]
    assert events["A2"].value == EXAMPLE_EVENT
    # Choices are written as people write them in the template's language.
    assert events["E2"].value == ("银企对接" if language == "zh-hans" else "Matchmaking")


def example_cells(spec, language):
    from django.utils import translation

    with translation.override(language):
        return spec.example()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_codes_sheets_list_the_portals_institutions_and_parks(client_of, national, language):
    book = _template(client_of(national), language)
    chinese = language == "zh-hans"

    institutions = list(book.worksheets[3].iter_rows(values_only=True))
    assert institutions[0] == (("代码", "名称") if chinese else ("Code", "Name"))
    expected = Institution.objects.order_by("name_zh")
    assert [row[0] for row in institutions[1:]] == [i.code for i in expected]
    first = expected[0]
    assert institutions[1][1] == (first.name_zh if chinese else first.name_en or first.name_zh)

    parks = list(book.worksheets[4].iter_rows(values_only=True))
    assert parks[0] == (("代码", "名称", "省份") if chinese else ("Code", "Name", "Province"))
    found = {row[0]: row for row in parks[1:]}
    assert set(found) == set(Park.objects.values_list("slug", flat=True))
    park = Park.objects.select_related("province").get(slug="hangzhou-hitech-binjiang")
    assert found[park.slug][2] == (
        park.province.name_zh if chinese else park.province.name_en or park.province.name_zh
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_untouched_template_imports_nothing_and_says_so(
    client_of, national, language, django_capture_on_commit_callbacks
):
    client = client_of(national)
    events = Event.objects.count()

    job = _upload(client, _template(client, language), django_capture_on_commit_callbacks, language)

    assert job.status == Job.Status.FAILED
    assert Event.objects.count() == events
    page = client.get(f"{_prefix(language)}/reports/jobs/{job.pk}/").content.decode()
    assert ("示例行" if language == "zh-hans" else "example row") in page


def test_a_filled_in_template_imports_its_rows_and_not_the_example(
    client_of, national, parties, django_capture_on_commit_callbacks
):
    client = client_of(national)
    book = _template(client, "zh-hans")
    sheet = book["活动"]
    headings = [c.value for c in sheet[1]]
    row = dict.fromkeys(headings)
    row.update(
        {
            "活动编号": "zj-filled-in",
            "活动名称": "模板填写测试",
            "主办省份": "浙江省",
            "活动类型": "银企对接",
            "覆盖园区": parties["park"].slug,
            "开始时间": "2020-12-10 09:00",
            "结束时间": "2020-12-10 12:00",
        }
    )
    sheet.append([row[h] for h in headings])

    job = _upload(client, book, django_capture_on_commit_callbacks, "zh-hans")

    assert job.status == Job.Status.DONE, job.errors
    assert job.summary["events"]["created"] == 1
    assert Event.objects.get(slug="zj-filled-in").title_zh == "模板填写测试"
    assert not Event.objects.filter(title_zh=sheet["C2"].value).exists()
    # The result names the sheet as the template does.
    page = client.get(f"/zh-hans/reports/jobs/{job.pk}/").content.decode()
    assert '<tr data-sheet="events"><td>活动</td>' in page


def _codes(client, query: str) -> list[list[str]]:
    page = client.get(f"/zh-hans/reports/imports/?{query}").content.decode()
    table = page.split('<table class="jobs codes"', 1)[1].split("</table>", 1)[0]
    return [
        re.findall(r"<td>(?:<code>)?([^<]*)", row)
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
        if "<td>" in row
    ]


def test_the_import_page_looks_up_institution_and_park_codes(
    client_of, national, django_assert_max_num_queries
):
    client = client_of(national)

    with django_assert_max_num_queries(12):
        first = _codes(client, "")
    assert len(first) == 20  # a page of them
    assert first[0][0] == Institution.objects.order_by("name_zh")[0].code

    bank = Institution.objects.filter(name_zh__contains="杭州").order_by("name_zh")[0]
    found = _codes(client, "q=杭州")
    assert [bank.code, bank.name_zh] in found
    assert all("杭州" in name or "hangzhou" in code for code, name in found)

    with django_assert_max_num_queries(12):
        parks = _codes(client, "codes=parks&province=330000")
    zhejiang = Park.objects.filter(province_id="330000").order_by("slug")
    assert [row[0] for row in parks] == [p.slug for p in zhejiang][:20]
    assert {row[2] for row in parks} == {"浙江省"}


def test_the_codes_filters_show_as_chips_that_remove_them(client_of, national):
    page = client_of(national).get("/zh-hans/reports/imports/?codes=parks&q=杭州&province=330000")

    html = page.content.decode()
    assert 'data-filter="q"' in html and 'data-filter="province"' in html
    chip = re.search(r'data-filter="q".*?href="([^"]+)"', html, re.S)
    assert chip is not None
    query = chip.group(1).replace("&amp;", "&")
    rest = client_of(national).get(f"/zh-hans/reports/imports/{query}")
    assert 'data-filter="q"' not in rest.content.decode()
    assert 'data-filter="province"' in rest.content.decode()
