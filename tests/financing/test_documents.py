"""Answering a bank's request for information with documents: what the
enterprise may send (types told by content, 10 MB each, five at a time), who
may download them, and that a refused file or a failed answer keeps nothing."""

from __future__ import annotations

import io
import zipfile
from unittest import mock
from urllib.parse import quote

import pytest
import yaml
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client
from rest_framework.test import APIClient

from core.limits import DOCUMENT_MAX_BYTES, DOCUMENTS_PER_ANSWER
from financing.models import Application, ApplicationDocument, ApplicationStatusChange
from financing.services import application_answer_info
from tests.factories import (
    ApplicationFactory,
    RegulatorOfficeFactory,
    UserFactory,
    member_of,
)
from tests.financing.workflow import application_at

pytestmark = pytest.mark.django_db
S = Application.Status

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
# A Windows program: what a .exe renamed .pdf begins with.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def office_package(folder: str) -> bytes:
    """The smallest zip an Office program writes: its content types and its folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(f"{folder}/document.xml", "<x/>")
    return buffer.getvalue()


def pdf_of(size: int) -> bytes:
    return PDF + b"0" * (size - len(PDF))


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def memory_storage(settings):
    """The default storage in memory: the documents go through Django's
    storage API only, never a path on this machine's disk."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def stored_files(application: Application) -> list[str]:
    folder = f"applications/{application.pk}"
    if not default_storage.exists(folder):
        return []
    return default_storage.listdir(folder)[1]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answer(parties, application, files, note="见附件。"):
    return client_for(parties.applicant).post(
        f"/applications/{application.pk}/answer-info/",
        {"answer-info-note": note, "answer-info-documents": files},
    )


# --- answering with files


def test_the_enterprise_answers_with_files_kept_with_its_answer(parties):
    application = application_at(S.INFO_REQUESTED, parties)

    response = answer(
        parties,
        application,
        [upload("2025年财务报表.pdf", PDF), upload("营业执照.png", PNG, "image/png")],
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    the_answer = ApplicationStatusChange.objects.filter(application=application).latest("pk")
    assert the_answer.note == "见附件。"
    documents = list(application.documents.order_by("pk"))
    assert [(d.original_name, d.size, d.content_type) for d in documents] == [
        ("2025年财务报表.pdf", len(PDF), "application/pdf"),
        ("营业执照.png", len(PNG), "image/png"),
    ]
    assert {d.status_change_id for d in documents} == {the_answer.pk}
    assert {d.uploaded_by_id for d in documents} == {parties.applicant.pk}
    # Kept under a name of the portal's: the original is on the row.
    assert len(stored_files(application)) == 2
    assert all("财务" not in str(d.file.name) for d in documents)


def test_the_bank_sees_the_files_on_the_application_page(parties):
    application = application_at(S.INFO_REQUESTED, parties)
    answer(parties, application, [upload("财务报表.pdf", PDF)])
    document = application.documents.get()

    html = client_for(parties.banker).get(f"/applications/{application.pk}/").content.decode()

    link = f"/applications/{application.pk}/documents/{document.pk}/"
    assert f'href="{link}"' in html
    assert "财务报表.pdf" in html


def test_the_answer_form_states_the_limits(parties):
    application = application_at(S.INFO_REQUESTED, parties)

    html = client_for(parties.applicant).get(f"/applications/{application.pk}/").content.decode()

    assert 'enctype="multipart/form-data"' in html
    assert "at most 10 MB each, 5 files" in html
    assert 'accept=".pdf,.jpg,.jpeg,.png,.xlsx,.docx"' in html


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("balance-sheet.xlsx", office_package("xl")),
        ("licence.docx", office_package("word")),
        ("photo.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
    ],
)
def test_workbooks_documents_and_photos_are_accepted(parties, name, content):
    application = application_at(S.INFO_REQUESTED, parties)

    application_answer_info(
        application=application,
        actor=parties.applicant,
        note="Attached.",
        documents=[upload(name, content, "application/octet-stream")],
    )

    assert application.documents.get().original_name == name


# --- the limits, at their edges


def test_a_file_of_exactly_10_mb_is_accepted(parties):
    application = application_at(S.INFO_REQUESTED, parties)

    response = answer(parties, application, [upload("年报.pdf", pdf_of(DOCUMENT_MAX_BYTES))])

    assert response.status_code == 302
    assert application.documents.get().size == 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([upload("年报.pdf", pdf_of(DOCUMENT_MAX_BYTES + 1))], "“年报.pdf” is larger than 10 MB."),
        (
            [upload("报表.pdf", EXE, "application/pdf")],
            "“报表.pdf” is not a PDF, JPEG, PNG, XLSX or DOCX file.",
        ),
        ([upload("setup.exe", EXE)], "“setup.exe” is not a PDF, JPEG, PNG, XLSX or DOCX file."),
        # A Word document renamed as a workbook: the package says otherwise.
        (
            [upload("报表.xlsx", office_package("word"))],
            "“报表.xlsx” is not a PDF, JPEG, PNG, XLSX or DOCX file.",
        ),
        (
            [upload(f"{n}.pdf", PDF) for n in range(DOCUMENTS_PER_ANSWER + 1)],
            "Send at most 5 files with one answer.",
        ),
    ],
    ids=["10 MB and a byte", "exe renamed pdf", "exe", "docx renamed xlsx", "six files"],
)
def test_a_refused_file_refuses_the_whole_answer(parties, files, message):
    application = application_at(S.INFO_REQUESTED, parties)
    history = application.history.count()

    # A good file beside the refused one is not kept either.
    response = answer(parties, application, [upload("好的.pdf", PDF), *files][:6])

    assert response.status_code == 200
    assert message in response.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")
    application.refresh_from_db()
    assert application.status == S.INFO_REQUESTED
    assert application.history.count() == history
    assert not ApplicationDocument.objects.exists()
    assert stored_files(application) == []


def test_a_file_stored_before_a_failure_is_deleted(parties):
    application = application_at(S.INFO_REQUESTED, parties)
    real_save = ApplicationDocument.save
    saved: list[str] = []

    def second_fails(self, *args, **kwargs):
        if saved:
            raise IntegrityError("the database refused the second row")
        saved.append(self.file.name)
        return real_save(self, *args, **kwargs)

    with (
        mock.patch.object(ApplicationDocument, "save", second_fails),
        pytest.raises(IntegrityError),
    ):
        application_answer_info(
            application=application,
            actor=parties.applicant,
            note="Both statements.",
            documents=[upload("一.pdf", PDF), upload("二.pdf", PDF)],
        )

    assert saved  # the first was stored, then taken back
    assert stored_files(application) == []
    application.refresh_from_db()
    assert application.status == S.INFO_REQUESTED
    assert not ApplicationDocument.objects.exists()


# --- who may download


@pytest.fixture
def sent(parties):
    application = application_at(S.INFO_REQUESTED, parties)
    answer(parties, application, [upload("2025年财务报表.pdf", PDF)])
    return application, application.documents.get()


def readers(parties):
    other_bank = member_of(ApplicationFactory().product.institution)
    regulator = member_of(RegulatorOfficeFactory(level="national", province_id=None))
    return {
        "enterprise": (parties.applicant, 200),
        "bank": (parties.banker, 200),
        "another bank": (other_bank, 404),
        "an outsider": (UserFactory(), 404),
        "a regulator": (regulator, 404),
    }


@pytest.mark.parametrize(
    "who", ["enterprise", "bank", "another bank", "an outsider", "a regulator"]
)
def test_only_the_enterprise_and_its_bank_download_a_document(parties, sent, who):
    application, document = sent
    user, status = readers(parties)[who]

    response = client_for(user).get(f"/applications/{application.pk}/documents/{document.pk}/")

    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f"attachment; filename*=utf-8''{quote('2025年财务报表.pdf')}"
        )
        assert response["Cache-Control"] == "private, no-store"


def test_a_document_is_not_found_under_another_application(parties, sent):
    _, document = sent
    other = application_at(S.SUBMITTED, parties)

    response = client_for(parties.applicant).get(
        f"/applications/{other.pk}/documents/{document.pk}/"
    )

    assert response.status_code == 404


def test_the_application_page_with_documents_takes_a_bounded_number_of_queries(
    parties, django_assert_max_num_queries
):
    application = application_at(S.INFO_REQUESTED, parties)
    answer(parties, application, [upload(f"{n}.pdf", PDF) for n in range(5)])
    client = client_for(parties.banker)

    with django_assert_max_num_queries(30):
        response = client.get(f"/applications/{application.pk}/")

    assert response.content.decode().count("data-document=") == 5


# --- the API


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def api_answer(parties, application, files, note="See the attachments."):
    return api_client(parties.applicant).post(
        f"/api/v1/applications/{application.pk}/answer-info/",
        {"note": note, "documents": files},
        format="multipart",
    )


def test_the_api_answers_with_multipart_files_and_lists_them(parties):
    application = application_at(S.INFO_REQUESTED, parties)

    response = api_answer(parties, application, [upload("财务报表.pdf", PDF)])

    assert response.status_code == 200, response.json()
    [listed] = response.json()["documents"]
    assert listed["name"] == "财务报表.pdf"
    assert listed["size"] == len(PDF)
    assert listed["content_type"] == "application/pdf"
    # The bank downloads it from the link, with its token.
    download = api_client(parties.banker).get(listed["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert "attachment;" in download["Content-Disposition"]


def test_the_api_still_takes_an_answer_without_files_as_json(parties):
    application = application_at(S.INFO_REQUESTED, parties)

    response = api_client(parties.applicant).post(
        f"/api/v1/applications/{application.pk}/answer-info/", {"note": "Sent by post."}
    )

    assert response.status_code == 200
    assert response.json()["documents"] == []


@pytest.mark.parametrize(
    ("files", "status", "code"),
    [
        ([upload("年报.pdf", pdf_of(DOCUMENT_MAX_BYTES + 1))], 413, "too_large"),
        ([upload("报表.pdf", EXE)], 415, "unsupported_media_type"),
        ([upload(f"{n}.pdf", PDF) for n in range(6)], 400, "invalid"),
    ],
    ids=["too large", "exe renamed pdf", "six files"],
)
def test_the_api_refuses_files_in_its_error_shape_and_keeps_nothing(parties, files, status, code):
    application = application_at(S.INFO_REQUESTED, parties)

    response = api_answer(parties, application, files)

    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    assert body["fields"]["documents"]
    application.refresh_from_db()
    assert application.status == S.INFO_REQUESTED
    assert not ApplicationDocument.objects.exists()
    assert stored_files(application) == []


def test_another_bank_cannot_download_through_the_api(parties, sent):
    application, document = sent
    other_bank = member_of(ApplicationFactory().product.institution)

    response = api_client(other_bank).get(
        f"/api/v1/applications/{application.pk}/documents/{document.pk}/"
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_bank_cannot_answer_for_the_enterprise_whatever_it_sends(parties):
    application = application_at(S.INFO_REQUESTED, parties)

    with pytest.raises(PermissionDenied):
        application_answer_info(
            application=application,
            actor=parties.banker,
            note="",
            documents=[upload("setup.exe", EXE)],
        )

    assert not ApplicationDocument.objects.exists()


def test_the_schema_documents_the_files_the_answer_takes_and_the_documents_listed(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target))
    schema = yaml.safe_load(target.read_text())

    answer = schema["paths"]["/api/v1/applications/{id}/answer-info/"]["post"]
    assert "multipart/form-data" in answer["requestBody"]["content"]
    assert {"413", "415", "400"} <= set(answer["responses"])
    given = schema["components"]["schemas"]["FinancingAnswerFormInput"]["properties"]
    assert given["documents"] == {"type": "array", "items": {"type": "string", "format": "binary"}}
    listed = schema["components"]["schemas"]["ApplicationDetail"]["properties"]["documents"]
    assert listed["items"] == {"$ref": "#/components/schemas/Document"}
    assert "download" in schema["components"]["schemas"]["Document"]["properties"]
    assert "/api/v1/applications/{id}/documents/{document}/" in schema["paths"]
