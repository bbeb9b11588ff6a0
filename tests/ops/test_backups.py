"""The backup drill: the seeded portal, a licence uploaded and a PDF report
built, backed up; database and storages wiped; restored; and the campaign's
figures, the PDF and the licence are back as they were. An archive that was
altered is refused and changes nothing."""

from __future__ import annotations

import io
import json
import re
import tarfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from enterprises.models import Enterprise
from events.models import Campaign
from ops import backups
from parks.models import Park
from reports.models import Job
from tests.enterprises.test_joining_views import CODE, PDF, start_data
from tests.factories import ParkFactory, UserFactory, member_of

CAMPAIGN = "park-campaign-2020"
SUMMARY = "/api/v1/dashboard/summary/"


@pytest.fixture(autouse=True)
def storages_in_scratch(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def campaign_figures() -> dict[str, object]:
    client = APIClient()
    client.force_authenticate(User.objects.get(email="regulator@example.com"))
    response = client.get(SUMMARY, {"campaign": CAMPAIGN})
    assert response.status_code == 200
    return dict(response.json())


def report_pdf(job: Job) -> bytes:
    response = signed_in(job.owner).get(f"/reports/jobs/{job.pk}/download/")
    assert response.status_code == 200
    return bytes(response.getvalue())


def licence(enterprise: Enterprise, manager: User) -> bytes:
    response = signed_in(manager).get(f"/enterprise/verification/{enterprise.pk}/licence/")
    assert response.status_code == 200
    return bytes(response.getvalue())


def stored_files() -> set[tuple[str, str]]:
    return {
        (key, name)
        for key, storage in backups.storages().items()
        for name in backups.stored_files(storage)
    }


def read_manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        file = tar.extractfile("manifest.json")
        assert file is not None
        return dict(json.load(file))


def rewritten(archive: Path, to: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """A copy of the archive with some members' bytes changed."""
    with tarfile.open(archive) as source, tarfile.open(to, "w:gz") as target:
        for member in source.getmembers():
            file = source.extractfile(member)
            assert file is not None
            body = change(member.name, file.read())
            member.size = len(body)
            target.addfile(member, io.BytesIO(body))
    return to


@pytest.mark.django_db(transaction=True)
def test_the_drill_brings_back_figures_report_and_licence(tmp_path):
    figures = campaign_figures()
    assert figures["contract_amount"] == "710000000.00"

    park = ParkFactory()
    founder, manager = UserFactory(), member_of(park)
    response = signed_in(founder).post("/enterprise/start/", start_data(park))
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(credit_code=CODE)
    assert licence(enterprise, manager) == PDF

    regulator = User.objects.get(email="regulator@example.com")
    response = signed_in(regulator).post("/reports/pdf/", {"campaign": CAMPAIGN})
    assert response.status_code == 302
    job = Job.objects.filter(owner=regulator, kind=Job.Kind.REPORT).latest("pk")
    report = report_pdf(job)
    assert report.startswith(b"%PDF")

    archive = tmp_path / "portal.tar.gz"
    out = io.StringIO()
    call_command("backup", output=archive, stdout=out)
    assert f"Backup written to {archive}" in out.getvalue()
    manifest = read_manifest(archive)
    listed = {(f["storage"], f["name"]) for f in manifest["files"]}
    assert listed == stored_files()
    assert ("enterprises.Enterprise.licence", enterprise.licence.name) in listed
    assert ("media", job.result.name) in listed

    # The disaster: every row and every stored file gone.
    call_command("flush", interactive=False, verbosity=0)
    backups.storages_wipe()
    assert not Campaign.objects.exists() and not Job.objects.exists()
    assert stored_files() == set()

    out = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=out)
    assert "Restored the backup" in out.getvalue()

    assert campaign_figures() == figures
    assert report_pdf(Job.objects.get(pk=job.pk)) == report
    assert licence(Enterprise.objects.get(pk=enterprise.pk), User.objects.get(pk=manager.pk)) == PDF


def manifest_changed(key: str, value: object) -> Callable[[str, bytes], bytes]:
    def change(name: str, body: bytes) -> bytes:
        if name != "manifest.json":
            return body
        return json.dumps({**json.loads(body), key: value}).encode()

    return change


@pytest.mark.django_db(transaction=True)
def test_an_altered_archive_is_refused_and_changes_nothing(tmp_path):
    park = ParkFactory()
    signed_in(UserFactory()).post("/enterprise/start/", start_data(park))
    enterprise = Enterprise.objects.get(credit_code=CODE)
    archive = tmp_path / "portal.tar.gz"
    manifest = backups.backup_create(output=archive)
    licence_member = f"files/enterprises.Enterprise.licence/{enterprise.licence.name}"

    # After the backup the portal moves on: a new campaign, the licence replaced.
    Campaign.objects.create(
        slug="after-the-backup",
        name_zh="备份之后",
        name_en="After the backup",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    name, storage = enterprise.licence.name, enterprise.licence.storage
    assert name
    storage.delete(name)
    storage.save(name, io.BytesIO(b"%PDF new"))
    files = stored_files()

    other = "sqlite" if manifest["database"]["engine"] == "postgresql" else "postgresql"
    cases = {
        "does not match its checksum: the backup was damaged or altered. Nothing was changed.": (
            lambda member, body: b"%PDF forged" if member == licence_member else body
        ),
        "comes from a newer portal (migrations reports.9999_from_the_future)": manifest_changed(
            "migrations", {**manifest["migrations"], "reports": ["9999_from_the_future"]}
        ),
        f"holds a {other} database": manifest_changed(
            "database", {**manifest["database"], "engine": other}
        ),
    }
    for n, (message, change) in enumerate(cases.items()):
        altered = rewritten(archive, tmp_path / f"altered-{n}.tar.gz", change)
        with pytest.raises(CommandError, match=re.escape(message)):
            call_command("restore", str(altered), yes=True, stdout=io.StringIO())

    assert Campaign.objects.filter(slug="after-the-backup").exists()
    assert stored_files() == files
    with storage.open(name) as file:
        assert file.read() == b"%PDF new"


def test_a_file_that_is_no_backup_is_refused(tmp_path):
    junk = tmp_path / "photo.tar.gz"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not an archive")
    with pytest.raises(CommandError, match=r"cannot be read as a backup archive.*Nothing was"):
        call_command("restore", str(junk), yes=True, stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_an_archive_older_than_the_code_leaves_no_newer_table_behind(tmp_path):
    """A table made by a migration newer than the archive is dropped with the
    restore, so `migrate` can create it again; the archive's rows are back."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's restore replaces the whole file: no table can stay behind")
    ParkFactory(name_en="Backed-up park")
    parks = set(Park.objects.values_list("name_en", flat=True))
    archive = tmp_path / "portal.tar.gz"
    backups.backup_create(output=archive)

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE ops_from_a_newer_migration (id bigint PRIMARY KEY)")
    ParkFactory(name_en="Park added later")
    call_command("restore", str(archive), yes=True, stdout=io.StringIO())

    assert "ops_from_a_newer_migration" not in connection.introspection.table_names()
    assert set(Park.objects.values_list("name_en", flat=True)) == parks
    assert "Backed-up park" in parks
