"""Jobs in the API: 202 with the job, a status to poll, errors by row, the download."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from financing.models import Contract
from reports.models import Job
from tests.reports.conftest import (
    CONTRACT_HEADER,
    bureau_workbook,
    signed_at,
    workbook,
    zhejiang_event_held,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(national):
    client = APIClient()
    client.force_authenticate(national)
    return client


def test_an_import_answers_202_and_its_status_reports_the_counts(
    api, parties, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("bureau.xlsx", bureau_workbook(parties))

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/reports/imports/", {"file": upload}, format="multipart")

    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    status = api.get(response.json()["status_url"]).json()
    assert status["status"] == "done"
    assert status["progress"] == 100
    assert status["summary"]["contracts"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert status["errors"] == []
    assert status["download_url"] is None


def test_a_refused_import_lists_each_error_by_sheet_row_and_column(
    api, parties, django_capture_on_commit_callbacks
):
    contracts = [
        CONTRACT_HEADER,
        ["API-1", "zj-import-station", "gift", 1, "2020-12-08", "x", parties["institution"].code],
    ]
    upload = SimpleUploadedFile("bureau.xlsx", bureau_workbook(parties, contracts=contracts))

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/reports/imports/", {"file": upload}, format="multipart")

    status = api.get(response.json()["status_url"]).json()
    assert status["status"] == "failed"
    assert [(e["sheet"], e["row"], e["column"]) for e in status["errors"]] == [
        ("contracts", 2, "kind"),
        ("contracts", 2, "credit_code"),
    ]
    assert not Contract.objects.filter(reference="API-1").exists()


def test_a_csv_without_its_sheet_is_a_400_with_the_field(api):
    upload = SimpleUploadedFile("events.csv", b"slug\n")

    response = api.post("/api/v1/reports/imports/", {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "sheet" in response.json()["fields"]


def test_a_report_is_asked_for_and_downloaded(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/reports/pdf/", {"campaign": "park-campaign-2020", "province": "500000"}
        )

    assert response.status_code == 202
    status = api.get(response.json()["status_url"]).json()
    assert status["status"] == "done"
    download = api.get(status["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_report_needs_a_campaign_or_an_event(api):
    response = api.post("/api/v1/reports/pdf/", {}, format="json")

    assert response.status_code == 400
    assert "campaign" in response.json()["fields"]


def test_an_unfinished_job_has_nothing_to_download(api, national):
    job = Job.objects.create(owner=national, kind=Job.Kind.REPORT)

    assert api.get(f"/api/v1/jobs/{job.pk}/download/").status_code == 404


def test_the_job_list_is_paginated_in_a_fixed_number_of_queries(
    api, national, django_assert_max_num_queries
):
    before = Job.objects.filter(owner=national).count()
    Job.objects.bulk_create(Job(owner=national, kind=Job.Kind.IMPORT) for _ in range(3))
    with django_assert_max_num_queries(8) as few:
        api.get("/api/v1/jobs/")
    Job.objects.bulk_create(Job(owner=national, kind=Job.Kind.IMPORT) for _ in range(60))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get("/api/v1/jobs/")
    assert response.json()["count"] == before + 63
    assert len(response.json()["results"]) == 25


def test_the_same_file_twice_through_the_api_changes_nothing(
    api, parties, django_capture_on_commit_callbacks
):
    event = zhejiang_event_held()
    enterprise, institution, day = signed_at(event)
    data = workbook(
        contracts=[
            CONTRACT_HEADER,
            ["API-TWICE", event.slug, "loan", 1000000, day, enterprise, institution],
        ]
    )
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(
                "/api/v1/reports/imports/",
                {"file": SimpleUploadedFile("c.xlsx", data)},
                format="multipart",
            )
    second = api.get(response.json()["status_url"]).json()
    assert second["summary"] == {"contracts": {"created": 0, "updated": 0, "unchanged": 1}}
    assert Contract.objects.filter(reference="API-TWICE").count() == 1
