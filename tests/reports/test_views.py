"""The regulators' pages: upload, progress, result with errors, report download."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import RegulatorOffice
from events.models import Event
from financing.models import Contract
from reports.models import Job
from tests.factories import member_of
from tests.reports.conftest import CONTRACT_HEADER, bureau_workbook

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def client_of(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def test_the_regulator_downloads_the_campaign_report(
    client_of, national, django_capture_on_commit_callbacks
):
    client = client_of(national)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/pdf/", {"campaign": "park-campaign-2020"})
    assert response.status_code == 302
    job = Job.objects.filter(owner=national, kind=Job.Kind.REPORT).latest("pk")
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE

    page = client.get(response["Location"])
    assert page.status_code == 200
    download = f"/reports/jobs/{job.pk}/download/"
    assert download in page.content.decode()

    pdf = client.get(download)
    assert pdf.status_code == 200
    assert pdf["Content-Disposition"].startswith("attachment")
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF")
    assert "¥710,000,000" in PdfReader(io.BytesIO(body)).pages[0].extract_text()


def test_a_running_job_polls_its_progress_and_a_finished_one_stops(client_of, national):
    job = Job.objects.create(
        owner=national, kind=Job.Kind.IMPORT, status=Job.Status.RUNNING, progress=40
    )
    client = client_of(national)

    running = client.get(f"/reports/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert 'value="40"' in running.content.decode()

    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, progress=100)
    done = client.get(f"/reports/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in done.content.decode()


def test_an_upload_with_a_bad_row_shows_the_row_and_writes_nothing(
    client_of, national, parties, django_capture_on_commit_callbacks
):
    e1, bank = parties["enterprise"].credit_code, parties["institution"].code
    contracts = [
        CONTRACT_HEADER,
        ["ZJ-VIEW-1", "zj-import-station", "loan", 1000000, "2020-12-08", e1, bank],
        ["ZJ-VIEW-2", "zj-import-station", "loan", 1000000, "not a date", e1, bank],
    ]
    upload = SimpleUploadedFile(
        "bureau.xlsx", bureau_workbook(parties, contracts=contracts), content_type=XLSX
    )
    client = client_of(national)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/imports/", {"file": upload})
    response = client.get(response["Location"])

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-row="3"' in page
    assert "signed_on (E3)" in page
    assert "“not a date” is not a date" in page
    assert not Event.objects.filter(slug="zj-import-station").exists()
    assert not Contract.objects.filter(reference__startswith="ZJ-VIEW").exists()


def test_a_csv_upload_must_say_its_sheet(client_of, national):
    upload = SimpleUploadedFile("events.csv", b"slug\n", content_type="text/csv")
    jobs = Job.objects.count()

    response = client_of(national).post("/reports/imports/", {"file": upload})

    assert response.status_code == 200
    assert "Say which sheet" in response.content.decode()
    assert Job.objects.count() == jobs


def test_the_template_workbook_has_the_three_sheets_in_chinese(client_of, national):
    response = client_of(national).get("/zh-hans/reports/imports/template/workbook.xlsx")

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["活动", "报名", "签约"]
    assert book["签约"]["A1"].value == "合同编号"


def test_the_template_is_accepted_back_once_filled_in(
    client_of, national, parties, django_capture_on_commit_callbacks
):
    client = client_of(national)
    book = load_workbook(io.BytesIO(client.get("/reports/imports/template/events.xlsx").content))
    sheet = book["Events"]
    headings = [c.value for c in sheet[1]]
    row = dict.fromkeys(headings)
    row.update(
        slug="zj-template-station",
        title_zh="模板回填测试",
        host_province="Zhejiang",
        kinds="对接洽谈",
        parks=parties["park"].name_zh,
        starts_at="2020-12-10 09:00",
        ends_at="2020-12-10 12:00",
    )
    sheet.append([row[h] for h in headings])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("filled.xlsx", buffer.getvalue(), content_type=XLSX)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/reports/imports/", {"file": upload})

    assert Event.objects.get(slug="zj-template-station").title_zh == "模板回填测试"


def test_the_job_list_takes_the_same_queries_however_many_jobs(
    client_of, national, django_assert_max_num_queries
):
    client = client_of(national)
    Job.objects.bulk_create(
        Job(owner=national, kind=Job.Kind.REPORT, status=Job.Status.DONE) for _ in range(25)
    )
    with django_assert_max_num_queries(12) as few:
        client.get("/reports/")
    Job.objects.bulk_create(
        Job(owner=national, kind=Job.Kind.REPORT, status=Job.Status.DONE) for _ in range(40)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/reports/")
    assert response.content.decode().count("data-job=") == 20


def test_an_empty_job_list_says_what_to_do(client_of, zhejiang):
    office = RegulatorOffice.objects.filter(memberships__user=zhejiang).first()
    assert office is not None
    colleague = member_of(office)

    response = client_of(colleague).get("/reports/")

    assert "No imports or reports yet" in response.content.decode()


def test_the_import_page_speaks_chinese(client_of, zhejiang):
    response = client_of(zhejiang).get("/zh-hans/reports/imports/")

    page = response.content.decode()
    assert "导入省局报送数据" in page
    assert "合同编号 *" in page


def test_an_unknown_template_is_not_found(client_of, national):
    client = client_of(national)

    assert client.get("/reports/imports/template/workbook.csv").status_code == 404
    assert client.get("/reports/imports/template/payments.xlsx").status_code == 404
    assert client.get("/api/v1/reports/imports/template/payments.csv").status_code == 404
