"""Pages: the public knowledge base (an index, and a list and a page for each
kind), downloads, and the regulators' workspace for the items of their
jurisdiction."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.selectors import Jurisdiction, regulator_jurisdiction
from core.auth import signed_in
from core.clients import client_address
from core.exceptions import Conflict
from core.files import serve_file
from core.forms import show_service_errors
from core.http import methods
from core.spreadsheets import XLSX_TYPE
from knowledge.bundles import collection_workbook
from knowledge.forms import FORMS
from knowledge.kinds import KINDS, Kind
from knowledge.selectors import (
    collection_contents,
    collection_download_figures,
    knowledge_filter,
    knowledge_item,
    knowledge_overview,
    managed_counts,
    managed_item,
    managed_list,
)
from knowledge.services import (
    collection_download_record,
    download_visitor,
    knowledge_create,
    knowledge_delete,
    knowledge_update,
)

PAGE_SIZE = 25

View = Callable[..., HttpResponse]


@methods("GET")
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "knowledge/index.html", {"sections": knowledge_overview()})


@methods("GET")
def item_list(request: HttpRequest, kind: Kind) -> HttpResponse:
    filterset = knowledge_filter(kind=kind, filters=request.GET)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/list.html",
        {
            "kind": kind,
            "filter": filterset,
            "page": page,
            "rows": f"knowledge/_rows_{kind.slug}.html",
            "may_manage": regulator_jurisdiction(user=request.user) is not None,
        },
    )


@methods("GET")
def item_detail(request: HttpRequest, kind: Kind, pk: int) -> HttpResponse:
    item = knowledge_item(kind=kind, pk=pk)
    context: dict[str, Any] = {
        "kind": kind,
        "item": item,
        "body": f"knowledge/_detail_{kind.slug}.html",
        "may_manage": managed_list(kind=kind, user=request.user).filter(pk=pk).exists(),
    }
    if kind.slug == "collections":
        context["figures"] = collection_download_figures(collection=item)
        context["policies"], context["cases"] = collection_contents(collection=item)
    elif kind.slug == "agreements":
        context["members"] = item.institutions.select_related("province").order_by(
            "province_id", "name_zh"
        )
    return render(request, "knowledge/detail.html", context)


@methods("GET")
def collection_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The collection's file (or, without one, a workbook of its contents),
    counted once per visitor per day."""
    collection = knowledge_item(kind=KINDS["collections"], pk=pk)
    if collection.file:
        try:
            response = serve_file(
                collection.file, filename=os.path.basename(collection.file.name or "")
            )
        except FileNotFoundError as missing:
            raise Http404(_("The file of this collection is missing.")) from missing
    else:
        response = HttpResponse(collection_workbook(collection=collection), content_type=XLSX_TYPE)
        name = slugify(collection.title_en) or f"collection-{collection.pk}"
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    if request.method == "GET":  # a HEAD request only asks about the file
        visitor = download_visitor(user=request.user, address=client_address(request))
        collection_download_record(collection=collection, visitor=visitor)
    return response


@methods("GET")
def policy_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    policy = knowledge_item(kind=KINDS["policies"], pk=pk)
    if not policy.file:
        raise Http404(_("This policy has no file."))
    try:
        return serve_file(policy.file, filename=os.path.basename(policy.file.name or ""))
    except FileNotFoundError as missing:
        raise Http404(_("The file of this policy is missing.")) from missing


# ---------------------------------------------------------------- the regulators' workspace


def _jurisdiction(request: HttpRequest) -> Jurisdiction:
    """The jurisdiction of the regulator signed in; anyone else is refused."""
    jurisdiction = regulator_jurisdiction(user=request.user)
    if jurisdiction is None:
        raise PermissionDenied(_("Only regulators manage the knowledge base."))
    return jurisdiction


def regulator_required(view: View) -> View:
    """Signed in, and a member of a regulator office."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _jurisdiction(request)
        return view(request, *args, **kwargs)

    return wrapper


@methods("GET")
@regulator_required
def manage(request: HttpRequest) -> HttpResponse:
    return render(request, "knowledge/manage.html", {"counts": managed_counts(user=request.user)})


@methods("GET")
@regulator_required
def manage_list(request: HttpRequest, kind: Kind) -> HttpResponse:
    page = Paginator(managed_list(kind=kind, user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "knowledge/manage_list.html", {"kind": kind, "page": page})


@methods("GET", "POST")
@regulator_required
def create(request: HttpRequest, kind: Kind) -> HttpResponse:
    jurisdiction = _jurisdiction(request)
    form = FORMS[kind.slug](request.POST or None, request.FILES or None, jurisdiction=jurisdiction)
    if request.method == "POST" and form.is_valid():
        try:
            item = knowledge_create(
                model=kind.model, actor=signed_in(request.user), **form.service_fields()
            )
        except ValidationError as error:
            show_service_errors(form, error)
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("“%(item)s” saved.") % {"item": item})
            return redirect("knowledge:manage-list", kind=kind)
    return render(request, "knowledge/form.html", {"kind": kind, "form": form, "item": None})


@methods("GET", "POST")
@regulator_required
def edit(request: HttpRequest, kind: Kind, pk: int) -> HttpResponse:
    item = managed_item(kind=kind, user=request.user, pk=pk)
    jurisdiction = _jurisdiction(request)
    form = FORMS[kind.slug](
        request.POST or None, request.FILES or None, instance=item, jurisdiction=jurisdiction
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = knowledge_update(
                item=item, actor=signed_in(request.user), **form.service_fields()
            )
        except ValidationError as error:
            show_service_errors(form, error)
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("“%(item)s” saved.") % {"item": item})
            return redirect("knowledge:manage-list", kind=kind)
    return render(request, "knowledge/form.html", {"kind": kind, "form": form, "item": item})


@methods("GET", "POST")
@regulator_required
def delete(request: HttpRequest, kind: Kind, pk: int) -> HttpResponse:
    item = managed_item(kind=kind, user=request.user, pk=pk)
    if request.method != "POST":
        return render(request, "knowledge/delete.html", {"kind": kind, "item": item})
    try:
        knowledge_delete(item=item, actor=signed_in(request.user))
    except Conflict as conflict:
        messages.error(request, str(conflict))
    else:
        messages.success(request, _("“%(item)s” deleted.") % {"item": item})
    return redirect("knowledge:manage-list", kind=kind)
