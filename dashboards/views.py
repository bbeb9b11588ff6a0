"""The regulator's dashboard: figures, charts and tables for a scope, drill-down
from a campaign to its provinces, parks and events and the contracts behind a
number, and exports of every table shown."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import Jurisdiction, regulator_jurisdiction
from core.auth import signed_in
from core.exceptions import Conflict
from core.forms import AppliedFilter, applied_filters, show_service_errors
from core.http import methods
from core.models import Province
from core.spreadsheets import CSV_TYPE, XLSX_TYPE, csv_lines, xlsx_bytes
from dashboards import tables
from dashboards.cells import dashboard_figures
from dashboards.forms import ContractFilterForm, ScopeForm
from dashboards.selectors import (
    Scope,
    campaigns_readable,
    contracts_in_scope,
    default_campaign,
    scope_for,
    upcoming_figures,
)
from events.forms import ParticipantsForm
from events.models import Campaign
from events.report import attendance
from events.selectors import organised_event
from events.services import campaign_feature, event_report_participants

CONTRACTS_PER_PAGE = 50


def _jurisdiction(request: HttpRequest) -> Jurisdiction:
    jurisdiction = regulator_jurisdiction(user=request.user)
    if jurisdiction is None:
        raise PermissionDenied(_("Only regulators may read dashboards."))
    return jurisdiction


def _scope(
    form: ScopeForm, jurisdiction: Jurisdiction, request: HttpRequest
) -> tuple[Scope, dict[str, str]]:
    """The scope the valid form asks for, held to the jurisdiction; the
    campaign defaults to the featured one the reader may read (else the
    latest under way or done). Also the query parameters naming it."""
    data = dict(form.cleaned_data)
    readable = campaigns_readable(user=request.user, jurisdiction=jurisdiction)
    if data.get("campaign") is None:
        data["campaign"] = default_campaign(user=request.user, jurisdiction=jurisdiction)
    elif not readable.filter(pk=data["campaign"].pk).exists():
        raise PermissionDenied(_("This campaign's figures are not yours to read."))
    scope = scope_for(params=data, jurisdiction=jurisdiction)
    params = {
        "campaign": scope.campaign.slug if scope.campaign else "",
        "province": scope.province.pk if scope.province else "",
        "park": scope.park.pk if scope.park else "",
        "event": scope.event.pk if scope.event else "",
        "month": scope.month or "",
    }
    return scope, {k: str(v) for k, v in params.items() if v}


def _filters(form: ScopeForm, scope: Scope, request: HttpRequest) -> list[AppliedFilter]:
    """Every filter the page applies, the scope's included (its campaign even
    when the reader did not choose it), each removable where the query names it."""
    in_scope = {
        "campaign": scope.campaign,
        "province": scope.province,
        "park": scope.park,
        "event": scope.event,
        "month": scope.month,
    }
    return applied_filters(form, request.GET, fixed=in_scope)


def _provinces(jurisdiction: Jurisdiction) -> list[Province]:
    if jurisdiction.national:
        return list(Province.objects.filter(hosted_events__isnull=False).distinct())
    return list(Province.objects.filter(pk__in=jurisdiction.provinces))


@methods("GET")
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Figures, the funnel and the breakdowns of a scope, each with its chart."""
    jurisdiction = _jurisdiction(request)
    form = ScopeForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
        "campaigns": list(
            campaigns_readable(user=request.user, jurisdiction=jurisdiction).order_by("-starts_on")
        ),
        "provinces": _provinces(jurisdiction),
        "national": jurisdiction.national,
    }
    if request.GET and not form.is_valid():
        return render(request, "dashboards/overview.html", context, status=400)
    if not request.GET:
        form = ScopeForm({})
        form.is_valid()
    scope, params = _scope(form, jurisdiction, request)
    figures = dashboard_figures(scope=scope)
    context.update(
        scope=scope,
        campaign=scope.campaign,
        province=scope.province,
        params=params,
        figures=figures,
        upcoming=upcoming_figures(scope=scope),
        filters=_filters(form, scope, request),
        tables=tables.dashboard_tables(scope=scope, figures=figures, base=params),
    )
    return render(request, "dashboards/overview.html", context)


@methods("GET")
@login_required
def contracts(request: HttpRequest) -> HttpResponse:
    """The contracts behind a number: the scope's, filterable, paginated."""
    jurisdiction = _jurisdiction(request)
    form = ContractFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "dashboards/contracts.html", {"form": form}, status=400)
    if not request.GET:
        form = ContractFilterForm({})
        form.is_valid()
    scope, params = _scope(form, jurisdiction, request)
    rows = contracts_in_scope(scope=scope, **_contract_filters(form))
    page = Paginator(rows, CONTRACTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboards/contracts.html",
        {
            "form": form,
            "scope": scope,
            "params": params,
            "page": page,
            "filters": _filters(form, scope, request),
            "export_query": request.GET.urlencode(),
        },
    )


def _contract_filters(form: ContractFilterForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "institution": data.get("institution"),
        "product_kind": data.get("product_kind") or None,
        "kind": data.get("kind") or None,
    }


@methods("GET")
@login_required
def export(request: HttpRequest, name: str, fmt: str) -> HttpResponseBase:
    """A table the dashboard shows for the scope, as CSV or XLSX; `all.xlsx`
    puts every table on a sheet of its own."""
    jurisdiction = _jurisdiction(request)
    if name == "contracts":
        return _export_contracts(request, jurisdiction, fmt)
    form = ScopeForm(request.GET)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    scope, params = _scope(form, jurisdiction, request)
    figures = dashboard_figures(scope=scope)
    shown = tables.dashboard_tables(scope=scope, figures=figures, base=params)
    every = name == "all" and fmt == "xlsx"
    chosen = shown if every else [t for t in shown if t.name == name]
    if not chosen:
        raise Http404(_("This table is not shown for this scope."))
    filename = f"ipfin-{'-'.join(params.values()) or 'dashboard'}-{name}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(tables.as_csv(chosen[0]), content_type=CSV_TYPE)
    else:
        response = HttpResponse(tables.as_xlsx(chosen), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export_contracts(
    request: HttpRequest, jurisdiction: Jurisdiction, fmt: str
) -> HttpResponseBase:
    form = ContractFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    scope, params = _scope(form, jurisdiction, request)
    rows = contracts_in_scope(scope=scope, **_contract_filters(form))
    filename = f"ipfin-{'-'.join(params.values()) or 'dashboard'}-contracts.{fmt}"
    sheet = tables.contracts_sheet(rows.iterator(chunk_size=2000))
    if fmt == "csv":
        response: HttpResponseBase = StreamingHttpResponse(csv_lines(sheet), content_type=CSV_TYPE)
    else:
        response = HttpResponse(xlsx_bytes([sheet]), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@methods("GET", "POST")
@login_required
def event_report(request: HttpRequest, slug: str) -> HttpResponse:
    """An event's own report for its organisers (park managers too, who read no
    dashboard): its figures (docs/figures.md), registrations by status, and the participant
    counts they report after the event."""
    event = organised_event(slug=slug, user=request.user)
    form = ParticipantsForm(
        request.POST or None,
        initial={
            "participants_online": event.participants_online,
            "participants_offline": event.participants_offline,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            event_report_participants(
                event=event, actor=signed_in(request.user), **form.cleaned_data
            )
        except Conflict as refusal:
            messages.error(request, str(refusal))
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Participant counts saved."))
            return redirect("dashboards:event-report", slug=event.slug)
    return render(
        request,
        "dashboards/event_report.html",
        {
            "event": event,
            "figures": dashboard_figures(scope=Scope(event=event)),
            "counts": attendance(event=event),
            "form": form,
            "started": event.starts_at <= timezone.now(),
        },
    )


@login_required
@methods("POST")
def feature_campaign(request: HttpRequest, slug: str) -> HttpResponse:
    """A national regulator makes the campaign the one the home page shows
    and the dashboard opens on."""
    jurisdiction = _jurisdiction(request)
    if not jurisdiction.national:
        raise PermissionDenied(_("Only national regulators choose the featured campaign."))
    campaign = get_object_or_404(Campaign, slug=slug)
    try:
        campaign_feature(campaign=campaign, actor=signed_in(request.user))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("“%(campaign)s” is now featured on the home page and the dashboard.")
            % {"campaign": campaign.name},
        )
    return redirect(f"{reverse('dashboards:overview')}?campaign={campaign.slug}")
