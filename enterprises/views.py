"""The enterprise workspace: the company profile and its IP portfolio.

Every page is for members of an enterprise. A user who acts for several
picks one (`?enterprise=<id>`, remembered in the session); a signed-in user
who acts for none is told so (403).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.auth import signed_in
from core.exceptions import Conflict
from core.forms import applied_filters, show_service_errors
from core.http import methods
from enterprises.filters import IPAssetFilter
from enterprises.forms import (
    AppraisalForm,
    AssetImportForm,
    EnterpriseProfileForm,
    IPAssetCreateForm,
    IPAssetForm,
)
from enterprises.imports import ImportRejected, read_asset_file
from enterprises.models import Enterprise
from enterprises.selectors import (
    appraisals_for,
    enterprises_for,
    ip_assets_for,
    member_ip_asset,
    portfolio_summary,
)
from enterprises.services import (
    ENTERPRISE_EDITABLE_FIELDS,
    IP_ASSET_EDITABLE_FIELDS,
    enterprise_update,
    ip_asset_appraise,
    ip_asset_create,
    ip_asset_delete,
    ip_asset_update,
    ip_assets_import,
)

SESSION_KEY = "enterprise_id"
# Shown apart on the new-asset form, as the optional latest appraisal.
APPRAISAL_FIELDS = ("appraised_value", "appraiser", "appraised_on")
PAGE_SIZE = 25


@dataclass(frozen=True)
class Workspace:
    """The enterprises the user acts for and the one they are working on
    (None while a user with several has not picked one)."""

    enterprises: list[Enterprise]
    enterprise: Enterprise | None


View = Callable[..., HttpResponse]


def _pick(request: HttpRequest, enterprises: list[Enterprise]) -> Enterprise | None:
    by_id = {enterprise.pk: enterprise for enterprise in enterprises}
    asked = request.GET.get("enterprise")
    if asked is not None:
        try:
            chosen = by_id[int(asked)]
        except (ValueError, KeyError):
            raise Http404 from None
        request.session[SESSION_KEY] = chosen.pk
        return chosen
    if len(enterprises) == 1:
        return enterprises[0]
    remembered = request.session.get(SESSION_KEY)
    return by_id.get(remembered) if isinstance(remembered, int) else None


def workspace_required(view: View) -> View:
    """Signed in and acting for an enterprise; the view gets the Workspace."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        enterprises = list(
            enterprises_for(user=request.user).select_related("province", "park", "industry")
        )
        if not enterprises:
            return render(request, "enterprises/no_enterprise.html", status=403)
        workspace = Workspace(enterprises=enterprises, enterprise=_pick(request, enterprises))
        return view(request, workspace, *args, **kwargs)

    return wrapped


def enterprise_required(view: View) -> View:
    """As workspace_required, and an enterprise picked: the view gets it."""

    @workspace_required
    @wraps(view)
    def wrapped(
        request: HttpRequest, workspace: Workspace, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        if workspace.enterprise is None:
            messages.info(request, _("First choose the enterprise you are working for."))
            return redirect("enterprises:workspace")
        return view(request, workspace.enterprise, *args, **kwargs)

    return wrapped


def _posted(request: HttpRequest, *, files: bool = False) -> tuple[Any, ...]:
    """A form's data: bound on POST (even an empty one), unbound otherwise."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


# --------------------------------------------------------------------------- the profile


@methods("GET")
@workspace_required
def workspace(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    enterprise = workspace.enterprise
    summary = portfolio_summary(enterprise=enterprise) if enterprise else None
    return render(
        request,
        "enterprises/workspace.html",
        {"workspace": workspace, "enterprise": enterprise, "summary": summary},
    )


@methods("GET", "POST")
@enterprise_required
def profile_edit(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    if request.method == "POST":
        form = EnterpriseProfileForm(request.POST)
        if form.is_valid():
            try:
                enterprise_update(
                    enterprise=enterprise, actor=signed_in(request.user), **form.cleaned_data
                )
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, _("The profile has been saved."))
                return redirect("enterprises:workspace")
    else:
        form = EnterpriseProfileForm(
            initial=forms.model_to_dict(enterprise, fields=ENTERPRISE_EDITABLE_FIELDS)
        )
    return render(
        request, "enterprises/profile_form.html", {"form": form, "enterprise": enterprise}
    )


# --------------------------------------------------------------------------- the portfolio


@methods("GET")
@enterprise_required
def assets(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    # The form shows what was asked and any value it could not use; the
    # selector filters by the values that are valid.
    filter_form = IPAssetFilter(request.GET).form
    filter_form.is_valid()
    page = Paginator(ip_assets_for(enterprise=enterprise, filters=request.GET), PAGE_SIZE)
    return render(
        request,
        "enterprises/assets.html",
        {
            "enterprise": enterprise,
            "filter_form": filter_form,
            "chips": applied_filters(filter_form, request.GET),
            "page": page.get_page(request.GET.get("page")),
        },
    )


@methods("GET", "POST")
@enterprise_required
def asset_create(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    form = IPAssetCreateForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            asset = ip_asset_create(
                enterprise=enterprise, actor=signed_in(request.user), **form.cleaned_data
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("%(number)s has been added.") % {"number": asset.number})
            return redirect("enterprises:assets")
    return render(
        request,
        "enterprises/asset_form.html",
        {
            "form": form,
            "enterprise": enterprise,
            "asset": None,
            "appraisal_fields": APPRAISAL_FIELDS,
        },
    )


@methods("GET", "POST")
@workspace_required
def asset_edit(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    asset = member_ip_asset(asset_id=pk, user=request.user)
    if request.method == "POST":
        form = IPAssetForm(request.POST)
        if form.is_valid():
            try:
                ip_asset_update(asset=asset, actor=signed_in(request.user), **form.cleaned_data)
            except ValidationError as error:
                show_service_errors(form, error)
            except Conflict as conflict:
                form.add_error(None, conflict.message)
            else:
                messages.success(
                    request, _("%(number)s has been saved.") % {"number": asset.number}
                )
                return redirect("enterprises:assets")
    else:
        form = IPAssetForm(initial=forms.model_to_dict(asset, fields=IP_ASSET_EDITABLE_FIELDS))
    return render(
        request,
        "enterprises/asset_form.html",
        {"form": form, "enterprise": asset.enterprise, "asset": asset},
    )


@methods("GET", "POST")
@workspace_required
def asset_appraise(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    asset = member_ip_asset(asset_id=pk, user=request.user)
    form = AppraisalForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            ip_asset_appraise(asset=asset, actor=signed_in(request.user), **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The appraisal of %(number)s has been recorded.") % {"number": asset.number},
            )
            return redirect("enterprises:assets")
    return render(
        request,
        "enterprises/appraise.html",
        {
            "form": form,
            "enterprise": asset.enterprise,
            "asset": asset,
            "appraisals": appraisals_for(asset=asset),
        },
    )


@methods("POST")
@workspace_required
def asset_delete(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    asset = member_ip_asset(asset_id=pk, user=request.user)
    try:
        ip_asset_delete(asset=asset, actor=signed_in(request.user))
    except Conflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, _("%(number)s has been deleted.") % {"number": asset.number})
    return redirect("enterprises:assets")


@methods("GET", "POST")
@enterprise_required
def assets_import(request: HttpRequest, enterprise: Enterprise) -> HttpResponse:
    form = AssetImportForm(*_posted(request, files=True))
    rejected: ImportRejected | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_asset_file(upload, size=upload.size)
            created = ip_assets_import(
                enterprise=enterprise, actor=signed_in(request.user), rows=rows
            )
        except ImportRejected as error:
            rejected = error
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d asset has been imported.",
                    "%(count)d assets have been imported.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect("enterprises:assets")
    return render(
        request,
        "enterprises/import.html",
        {
            "form": form,
            "enterprise": enterprise,
            "rejected": rejected,
            "template_csv": reverse("api-asset-import-template-csv"),
            "template_xlsx": reverse("api-asset-import-template-xlsx"),
        },
    )
