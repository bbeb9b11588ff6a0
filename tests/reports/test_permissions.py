"""Permission table for reports and imports: regulators only; a job is its
owner's alone. "Own" is the national regulator's job, "other" the Zhejiang
regulator's."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Event
from reports.models import Job
from tests.permissions import Route, World, case_id, cases, check, everyone, signed_in

REGULATORS = signed_in(403, provincial_regulator=200, national_regulator=200)
NATIONAL_OWN = signed_in(403, provincial_regulator=404, national_regulator=200)
PROVINCIAL_OWN = signed_in(403, provincial_regulator=200, national_regulator=404)


@pytest.fixture(scope="session")
def report_world(world, django_db_blocker):
    """A finished report job for each regulator, made once beside the world."""
    if "jobs" in world.extra:
        return world
    with django_db_blocker.unblock():
        made = {}
        for role in ("national_regulator", "provincial_regulator"):
            job = Job(
                owner=world.users[role],
                kind=Job.Kind.REPORT,
                status=Job.Status.DONE,
                progress=100,
                params={"campaign": "park-campaign-2020"},
            )
            job.result.save("report.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
            job.save()
            made[role] = job
        world.extra["jobs"] = made
    return world


def jobs(w: World) -> dict[str, Job]:
    return w.extra["jobs"]


def own(w: World) -> int:
    return jobs(w)["national_regulator"].pk


def other(w: World) -> int:
    return jobs(w)["provincial_regulator"].pk


def csv_upload(w: World) -> dict[str, Any]:
    return {
        "file": SimpleUploadedFile("events.csv", b"slug,title_zh\n", content_type="text/csv"),
        "sheet": "events",
    }


def guangdong_event(w: World) -> str:
    return Event.objects.filter(host_province_id="440000").values_list("slug", flat=True)[0]


PAGES = [
    Route(
        "reports:index",
        "GET",
        lambda w: "/reports/",
        REGULATORS,
        # Each regulator's jobs are its own: the other's is not listed.
        shows=lambda w: {
            f"/reports/jobs/{own(w)}/": frozenset({"national_regulator"}),
            f"/reports/jobs/{other(w)}/": frozenset({"provincial_regulator"}),
        },
    ),
    Route("reports:imports", "GET", lambda w: "/reports/imports/", REGULATORS),
    Route(
        "reports:imports",
        "POST",
        lambda w: "/reports/imports/",
        signed_in(403, provincial_regulator=302, national_regulator=302),
        data=csv_upload,
        done=lambda w: Job.objects.filter(kind=Job.Kind.IMPORT),
    ),
    Route(
        "reports:template",
        "GET",
        lambda w: "/reports/imports/template/workbook.xlsx",
        REGULATORS,
    ),
    Route(
        "reports:template",
        "GET",
        lambda w: "/reports/imports/template/contracts.csv",
        REGULATORS,
        label="csv",
    ),
    Route("reports:report", "GET", lambda w: "/reports/pdf/", REGULATORS),
    Route(
        "reports:report",
        "POST",
        lambda w: "/reports/pdf/",
        signed_in(403, provincial_regulator=302, national_regulator=302),
        data=lambda w: {"campaign": "park-campaign-2020"},
        done=lambda w: Job.objects.filter(kind=Job.Kind.REPORT),
    ),
    Route(
        "reports:report",
        "POST",
        lambda w: "/reports/pdf/",
        # Another province's event is not among the provincial regulator's choices.
        signed_in(403, provincial_regulator=200, national_regulator=302),
        data=lambda w: {"event": guangdong_event(w)},
        label="another province's event",
        refused=frozenset({"provincial_regulator"}),
        done=lambda w: Job.objects.filter(kind=Job.Kind.REPORT),
    ),
    Route("reports:job", "GET", lambda w: f"/reports/jobs/{own(w)}/", NATIONAL_OWN),
    Route(
        "reports:job",
        "GET",
        lambda w: f"/reports/jobs/{other(w)}/",
        PROVINCIAL_OWN,
        label="other's",
    ),
    Route(
        "reports:job-progress", "GET", lambda w: f"/reports/jobs/{own(w)}/progress/", NATIONAL_OWN
    ),
    Route(
        "reports:job-progress",
        "GET",
        lambda w: f"/reports/jobs/{other(w)}/progress/",
        PROVINCIAL_OWN,
        label="other's",
    ),
    Route(
        "reports:job-download", "GET", lambda w: f"/reports/jobs/{own(w)}/download/", NATIONAL_OWN
    ),
    Route(
        "reports:job-download",
        "GET",
        lambda w: f"/reports/jobs/{other(w)}/download/",
        PROVINCIAL_OWN,
        label="other's",
    ),
    Route("reports:index", "POST", lambda w: "/reports/", everyone(405), label="takes no form"),
]


def api_status(status: int, **overrides: int) -> dict[str, int]:
    return everyone(status, visitor=401, **overrides)


API_REGULATORS = api_status(403, provincial_regulator=200, national_regulator=200)

API = [
    # Everyone signed in has a list of their own jobs, empty when they have none.
    Route("api-jobs", "GET", lambda w: "/api/v1/jobs/", api_status(200)),
    Route(
        "api-job",
        "GET",
        lambda w: f"/api/v1/jobs/{own(w)}/",
        api_status(404, national_regulator=200),
    ),
    Route(
        "api-job",
        "GET",
        lambda w: f"/api/v1/jobs/{other(w)}/",
        api_status(404, provincial_regulator=200),
        label="other's",
    ),
    Route(
        "api-job-download",
        "GET",
        lambda w: f"/api/v1/jobs/{own(w)}/download/",
        api_status(404, national_regulator=200),
    ),
    Route(
        "api-job-download",
        "GET",
        lambda w: f"/api/v1/jobs/{other(w)}/download/",
        api_status(404, provincial_regulator=200),
        label="other's",
    ),
    Route(
        "api-imports",
        "POST",
        lambda w: "/api/v1/reports/imports/",
        api_status(403, provincial_regulator=202, national_regulator=202),
        data=csv_upload,
        done=lambda w: Job.objects.filter(kind=Job.Kind.IMPORT),
    ),
    Route(
        "api-import-template",
        "GET",
        lambda w: "/api/v1/reports/imports/template/events.xlsx",
        API_REGULATORS,
    ),
    Route(
        "api-reports",
        "POST",
        lambda w: "/api/v1/reports/pdf/",
        api_status(403, provincial_regulator=202, national_regulator=202),
        data=lambda w: {"campaign": "park-campaign-2020"},
        json=True,
        done=lambda w: Job.objects.filter(kind=Job.Kind.REPORT),
    ),
    Route(
        "api-reports",
        "POST",
        lambda w: "/api/v1/reports/pdf/",
        api_status(403, national_regulator=202),
        data=lambda w: {"event": guangdong_event(w)},
        json=True,
        label="another province's event",
        # Refused to the Zhejiang regulator (403): no job is made.
        done=lambda w: Job.objects.filter(kind=Job.Kind.REPORT),
    ),
]

ROUTES = PAGES + API


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), cases(ROUTES), ids=case_id)
def test_permission(report_world, route, role):
    check(report_world, route, role)
