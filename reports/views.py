"""Regulators' pages: imports (template, upload, progress, result) and PDF
reports (choose, progress, download). Views parse input and call one
service or selector."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.selectors import Jurisdiction, regulator_jurisdiction
from core.auth import signed_in
from core.files import serve_file
from core.forms import applied_filters
from core.http import methods
from parks.models import Park
from products.models import Institution
from reports.forms import CodesForm, ImportForm, ReportForm
from reports.models import Job
from reports.selectors import (
    institution_codes,
    job_for,
    jobs_for,
    park_codes,
    report_scope,
)
from reports.services import job_create
from reports.spreadsheets import SHEETS, template_download

PAGE_SIZE = 20
P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


class RegulatorRequest(HttpRequest):
    """A request `regulator_required` let through: it carries what the
    regulator may read."""

    jurisdiction: Jurisdiction


def regulator_required(
    view: Callable[Concatenate[RegulatorRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
        jurisdiction = regulator_jurisdiction(user=request.user)
        if jurisdiction is None:
            raise PermissionDenied(_("Only regulators may use reports and imports."))
        regulator = cast(RegulatorRequest, request)
        regulator.jurisdiction = jurisdiction
        return view(regulator, *args, **kwargs)

    return wrapped


@methods("GET")
@regulator_required
def index(request: RegulatorRequest) -> HttpResponse:
    page = Paginator(jobs_for(user=signed_in(request.user)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "reports/index.html", {"page": page, "jobs": page.object_list})


@methods("GET", "POST")
@regulator_required
def imports(request: RegulatorRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_create(
            owner=signed_in(request.user),
            kind=Job.Kind.IMPORT,
            params={"sheet": form.cleaned_data["sheet"], "language": get_language()},
            upload=form.cleaned_data["file"],
        )
        return redirect("reports:job", pk=job.pk)
    return render(
        request,
        "reports/imports.html",
        {"form": form, "sheets": SHEETS.values(), **_codes(request)},
    )


def _codes(request: HttpRequest) -> dict[str, object]:
    """The institution or park codes the import page lists, narrowed and
    paged as the query asks."""
    codes = CodesForm(request.GET)
    data = codes.cleaned_data if codes.is_valid() else {}
    query = data.get("q") or ""
    listing = codes.listing
    rows: QuerySet[Park] | QuerySet[Institution]
    if listing == CodesForm.PARKS:
        province = data.get("province")
        rows = park_codes(query=query, province=province.pk if province else "")
    else:
        rows = institution_codes(query=query)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "codes_form": codes,
        "codes_listing": listing,
        "codes_page": page,
        # Which list shows is not a filter; a province narrows parks only.
        "filters": [
            applied
            for applied in (applied_filters(codes, request.GET) if codes.is_valid() else [])
            if applied.name == "q" or (applied.name == "province" and listing == CodesForm.PARKS)
        ],
    }


def template_file(name: str, fmt: str) -> tuple[bytes, str, str]:
    """The template a URL names, with headings in the active language."""
    try:
        return template_download(name, fmt, chinese=(get_language() or "").startswith("zh"))
    except LookupError:
        raise Http404 from None


@methods("GET")
@regulator_required
def template(request: RegulatorRequest, name: str, fmt: str) -> HttpResponse:
    data, content_type, filename = template_file(name, fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@methods("GET", "POST")
@regulator_required
def report(request: RegulatorRequest) -> HttpResponse:
    form = ReportForm(request.POST or None, jurisdiction=request.jurisdiction)
    if request.method == "POST" and form.is_valid():
        params = form.params()
        try:
            report_scope(params=params, jurisdiction=request.jurisdiction)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        else:
            job = job_create(
                owner=signed_in(request.user),
                kind=Job.Kind.REPORT,
                params={**params, "language": get_language()},
            )
            return redirect("reports:job", pk=job.pk)
    return render(request, "reports/report.html", {"form": form})


@methods("GET")
@regulator_required
def job(request: RegulatorRequest, pk: int) -> HttpResponse:
    return render(
        request, "reports/job.html", {"job": job_for(user=signed_in(request.user), pk=pk)}
    )


@methods("GET")
@regulator_required
def job_progress(request: RegulatorRequest, pk: int) -> HttpResponse:
    """The status row the job page polls with htmx until the job has finished."""
    return render(
        request, "reports/_progress.html", {"job": job_for(user=signed_in(request.user), pk=pk)}
    )


@methods("GET")
@regulator_required
def job_download(request: RegulatorRequest, pk: int) -> HttpResponseBase:
    found = job_for(user=signed_in(request.user), pk=pk)
    if found.status != Job.Status.DONE or not found.result:
        raise Http404
    return serve_file(found.result, filename=found.result_name)
