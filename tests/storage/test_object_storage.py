"""The portal on object storage (SeaweedFS, as `make prod` runs it): files
uploaded through the pages land in the bucket, never on the local disk, and
reach only those the portal lets through, by a signed URL that expires."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from enterprises.models import Enterprise
from financing.models import Application
from reports.models import Job
from tests.enterprises.test_joining_views import CODE, PDF, start_data
from tests.factories import ParkFactory, UserFactory, member_of
from tests.financing.workflow import application_at, make_parties
from tests.storage.conftest import portal_settings

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fetch(url: str) -> tuple[int, bytes, Any]:
    """What a browser gets from the object store at this address."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read(), answer.headers
    except urllib.error.HTTPError as refused:
        return refused.code, b"", refused.headers


def nothing_on_disk(settings: Any) -> bool:
    return not any(
        Path(folder).exists() for folder in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
    )


@pytest.fixture
def registered(object_storage: Any) -> Enterprise:
    """An enterprise registered through the sign-up page, with its licence."""
    park = ParkFactory()
    response = client_for(UserFactory()).post("/enterprise/start/", start_data(park))
    assert response.status_code == 302
    return Enterprise.objects.get(credit_code=CODE)


def test_a_licence_is_kept_in_the_private_part_of_the_bucket_and_opened_by_a_signed_url(
    object_storage, seaweedfs, registered
):
    manager = client_for(member_of(registered.park))

    response = manager.get(f"/enterprise/verification/{registered.pk}/licence/")

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    assert signed.startswith(f"{seaweedfs['S3_ENDPOINT_URL']}/ipfin/private/licences/{CODE}/")
    status, body, headers = fetch(signed)
    assert (status, body) == (200, PDF)
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == f'inline; filename="licence-{CODE}.pdf"'
    assert headers["Cache-Control"] == "private, no-store"
    # The object itself is not public, and nothing went to the local disk.
    assert fetch(signed.split("?")[0])[0] == 403
    assert nothing_on_disk(object_storage)


def test_someone_else_gets_no_signed_url_for_a_licence(object_storage, registered):
    response = client_for(UserFactory()).get(f"/enterprise/verification/{registered.pk}/licence/")

    assert response.status_code == 404
    assert "Location" not in response
    assert "X-Accel-Redirect" not in response
    assert str(registered.licence.name) not in response.content.decode()


def test_a_signed_url_lives_its_seconds_and_only_for_its_file(
    object_storage, seaweedfs, registered, monkeypatch
):
    object_storage.STORAGES = portal_settings(monkeypatch, S3_URL_EXPIRE="2")["STORAGES"]
    manager = client_for(member_of(registered.park))

    signed = manager.get(f"/enterprise/verification/{registered.pk}/licence/")["Location"]

    assert parse_qs(urlsplit(signed).query)["X-Amz-Expires"] == ["2"]
    assert fetch(signed)[0] == 200
    # Another file, or another name for the download, under the same signature.
    elsewhere = signed.replace("/private/licences/", "/private/licences/x")
    renamed = signed.replace("licence-", "report-")
    assert fetch(elsewhere)[0] == 403
    assert fetch(renamed)[0] == 403
    time.sleep(3)
    assert fetch(signed)[0] == 403


def test_behind_nginx_the_download_is_an_internal_redirect_to_the_signed_url(
    object_storage, seaweedfs, registered
):
    object_storage.IPFIN_FILES_ACCEL = "/_files/"
    manager = client_for(member_of(registered.park))

    response = manager.get(f"/enterprise/verification/{registered.pk}/licence/")

    assert response.status_code == 200
    assert response.content == b""
    internal = response["X-Accel-Redirect"]
    assert internal.startswith(f"/_files/ipfin/private/licences/{CODE}/")
    assert "X-Amz-Signature=" in internal
    # What nginx's `location /_files/ { proxy_pass <endpoint>/; }` asks the store.
    status, body, _ = fetch(seaweedfs["S3_ENDPOINT_URL"] + internal.removeprefix("/_files"))
    assert (status, body) == (200, PDF)


def test_a_document_sent_to_the_bank_is_downloaded_under_its_chinese_name(object_storage):
    parties = make_parties()
    application = application_at(Application.Status.INFO_REQUESTED, parties)
    name = "2025年财务报表.pdf"
    sent = client_for(parties.applicant).post(
        f"/applications/{application.pk}/answer-info/",
        {
            "answer-info-note": "见附件。",
            "answer-info-documents": [SimpleUploadedFile(name, PDF, "application/pdf")],
        },
    )
    assert sent.status_code == 302
    document = application.documents.get()
    page = f"/applications/{application.pk}/documents/{document.pk}/"

    api = APIClient()
    api.force_authenticate(parties.banker)
    endpoint = api.get(f"/api/v1/applications/{application.pk}/documents/{document.pk}/")

    for response in (client_for(parties.banker).get(page), endpoint):
        assert response.status_code == 302
        status, body, headers = fetch(response["Location"])
        assert (status, body) == (200, PDF)
        assert headers["Content-Type"] == "application/pdf"
        assert headers["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    other_bank = member_of(make_parties().institution)
    refused = client_for(other_bank).get(page)
    assert refused.status_code == 404 and "Location" not in refused
    assert nothing_on_disk(object_storage)


def test_a_report_built_by_the_worker_is_downloaded_from_the_bucket(
    object_storage, django_capture_on_commit_callbacks
):
    from accounts.models import User

    national = User.objects.get(email="regulator@example.com")
    client = client_for(national)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/reports/pdf/", {"campaign": "park-campaign-2020"})
    job = Job.objects.filter(owner=national, kind=Job.Kind.REPORT).latest("pk")
    assert job.status == Job.Status.DONE

    page = client.get(f"/reports/jobs/{job.pk}/download/")
    api = APIClient()
    api.force_authenticate(national)
    endpoint = api.get(f"/api/v1/jobs/{job.pk}/download/")

    for response in (page, endpoint):
        assert response.status_code == 302
        status, body, headers = fetch(response["Location"])
        assert status == 200 and body.startswith(b"%PDF")
        assert headers["Content-Disposition"].startswith("attachment;")
    zhejiang = client_for(User.objects.get(email="zhejiang.regulator@example.com"))
    assert zhejiang.get(f"/reports/jobs/{job.pk}/download/").status_code == 404
    assert nothing_on_disk(object_storage)


def test_a_policy_document_uploaded_on_the_page_is_served_from_the_bucket(object_storage):
    from accounts.models import User
    from knowledge.models import Policy

    regulator = client_for(User.objects.get(email="regulator@example.com"))
    regulator.post(
        "/knowledge/manage/policies/new/",
        {
            "title_zh": "关于知识产权质押的通知",
            "title_en": "Notice on IP pledges",
            "issuer_zh": "国家知识产权局",
            "level": "national",
            "issued_on": "2021-02-01",
            "file": SimpleUploadedFile("通知.pdf", PDF, "application/pdf"),
        },
    )
    policy = Policy.objects.get(title_en="Notice on IP pledges")

    served = Client().get(f"/knowledge/policies/{policy.pk}/file/")

    assert served.status_code == 302
    assert "/ipfin/media/policies/" in served["Location"]
    status, body, headers = fetch(served["Location"])
    assert (status, body) == (200, PDF)
    assert quote("通知") in headers["Content-Disposition"]
    assert nothing_on_disk(object_storage)


def test_readyz_checks_the_object_store(object_storage, monkeypatch):
    ready = Client().get("/readyz/").json()
    assert ready["checks"]["storage"]["status"] == "ok"

    broken = portal_settings(monkeypatch, S3_SECRET_ACCESS_KEY="not the key")
    object_storage.STORAGES = broken["STORAGES"]
    answer = Client().get("/readyz/")
    assert answer.status_code == 503
    assert "storage" in answer.json()["failing"]


def test_an_imported_spreadsheet_is_read_by_the_worker_from_the_bucket(
    object_storage, django_capture_on_commit_callbacks
):
    from accounts.models import User
    from events.models import Campaign
    from financing.models import Contract
    from parks.models import Park
    from products.models import Institution
    from tests.reports.conftest import bureau_workbook

    zhejiang = Enterprise.objects.filter(province_id="330000").order_by("pk")
    parties = {
        "enterprise": zhejiang[0],
        "enterprise2": zhejiang[1],
        "institution": Institution.objects.filter(products__isnull=False).order_by("pk")[0],
        "campaign": Campaign.objects.get(slug="park-campaign-2020"),
        "park": Park.objects.filter(province_id="330000").order_by("pk")[0],
    }
    api = APIClient()
    api.force_authenticate(User.objects.get(email="regulator@example.com"))
    upload = SimpleUploadedFile("bureau.xlsx", bureau_workbook(parties))

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/reports/imports/", {"file": upload}, format="multipart")

    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == Job.Status.DONE
    assert job.upload.storage.exists(job.upload.name or "")
    assert Contract.objects.filter(reference="ZJ-IMP-0001").exists()
    assert nothing_on_disk(object_storage)
