"""What is no spreadsheet is refused at once, on the import page and in the
API alike: a form error or a 400, and no job is made (nor its file kept)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from reports.models import Job
from tests.sheets import not_spreadsheets

pytestmark = pytest.mark.django_db

EVENTS_CSV = (
    b"slug,title_zh,host_province,starts_at,ends_at\r\nzj-1,x,330000,2020-12-08,2020-12-08\r\n"
)


def test_the_import_page_refuses_what_is_no_spreadsheet_without_a_job(client, national):
    client.force_login(national)
    jobs = Job.objects.count()

    for name, upload in not_spreadsheets(EVENTS_CSV):
        response = client.post("/reports/imports/", {"file": upload, "sheet": "events"})

        assert response.status_code == 200, name
        assert response.context["form"].errors["file"], name
        assert Job.objects.count() == jobs, name


def test_the_api_refuses_what_is_no_spreadsheet_with_a_400_and_no_job(national):
    api = APIClient()
    api.force_authenticate(national)
    jobs = Job.objects.count()

    for name, upload in not_spreadsheets(EVENTS_CSV):
        response = api.post(
            "/api/v1/reports/imports/", {"file": upload, "sheet": "events"}, format="multipart"
        )

        assert response.status_code == 400, name
        assert response.json()["fields"]["file"], name
        assert Job.objects.count() == jobs, name
