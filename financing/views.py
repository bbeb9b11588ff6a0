"""The application workflow's pages: the enterprise's list and form, the
bank's queue, one application's page with the moves its reader may make."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.auth import signed_in
from core.exceptions import Conflict
from core.forms import applied_filters, move_form, page_move_answer, show_service_errors
from core.http import methods
from core.limits import is_id
from core.templatetags.money import yuan
from enterprises.selectors import enterprises_for
from financing.documents import download
from financing.filters import ApplicationFilter
from financing.forms import ApplicationForm
from financing.models import Actor, Application
from financing.selectors import (
    application_detail,
    application_document,
    application_documents,
    application_queue,
    application_sides,
    applications_for_enterprise,
    company_file,
    eligible_assets,
    pledge_capacity,
)
from financing.services import application_create
from financing.workflows import APPLICATION
from matching.selectors import pledge_capacity_for, referral_for
from products.selectors import institutions_for, product_open_for_applications, product_options_for

PAGE_SIZE = 25


@methods("GET")
@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    """The applications of the user's enterprises."""
    if not enterprises_for(user=request.user).exists():
        raise PermissionDenied(_("Only the members of an enterprise have applications."))
    applications = applications_for_enterprise(user=request.user, filters=request.GET)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "financing/list.html",
        {"page": page, "filters": ApplicationFilter(request.GET or None).form},
    )


@methods("GET")
@login_required
def application_queue_page(request: HttpRequest) -> HttpResponse:
    """The applications to the user's institutions' products."""
    institutions = institutions_for(user=request.user)
    if not institutions.exists():
        raise PermissionDenied(_("Only the officers of an institution have a queue."))
    applications = application_queue(user=request.user, filters=request.GET)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    products = product_options_for(user=request.user)
    filters = ApplicationFilter(request.GET or None).form
    # A product is chosen by its code and shown by its name.
    names = {p.code: p.name for p in products}
    chips = [
        replace(chip, label=_("Product"), value=names.get(chip.value, chip.value))
        if chip.name == "product"
        else chip
        for chip in applied_filters(filters, request.GET)
    ]
    return render(
        request,
        "financing/queue.html",
        {
            "page": page,
            "filters": filters,
            "chips": chips,
            "products": products,
            "statuses": Application.Status.choices,
        },
    )


def _asked(form: ApplicationForm, request: HttpRequest) -> dict[str, Any]:
    """The amount and term the form opens with: those the matching page ranked
    for (`?amount=300万&term=12`), when they read as the form's fields do."""
    initial: dict[str, Any] = {}
    for name, field in (("amount", "amount"), ("term", "term_months")):
        try:
            value = form.fields[field].clean(request.GET.get(name, ""))
        except ValidationError:
            continue
        if value is not None:
            initial[field] = value
    return initial


def _chosen_ids(form: ApplicationForm) -> list[int] | None:
    """The assets ticked on a form sent back: their ids (None before any was sent)."""
    if not isinstance(form.data, QueryDict):
        return None
    return [int(value) for value in form.data.getlist("assets") if is_id(value)]


def _amount_of(form: ApplicationForm) -> Decimal | None:
    if form.is_bound:
        amount = getattr(form, "cleaned_data", {}).get("amount")
    else:
        amount = form.initial.get("amount")
    return amount if isinstance(amount, Decimal) else None


@methods("GET", "POST")
@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    """Apply to a published product (`?product=<code>`), pledging eligible
    assets; `amount` and `term` in the address fill the form in. Asking for
    more than the pledge capacity is allowed, with a warning."""
    enterprise = enterprises_for(user=request.user).order_by("pk").first()
    if enterprise is None:
        raise PermissionDenied(_("Only the members of an enterprise may apply."))
    product = product_open_for_applications(code=request.GET.get("product", ""))
    assets = eligible_assets(enterprise_id=enterprise.pk, product=product)
    form = ApplicationForm(request.POST or None, assets=assets)
    if not form.is_bound:
        form.initial = _asked(form, request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = application_create(
                enterprise=enterprise,
                product=product,
                actor=signed_in(request.user),
                amount_requested=data["amount"],
                term_months=data["term_months"],
                asset_ids=[asset.pk for asset in data["assets"]],
                purpose=data["purpose"],
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            show_service_errors(
                form, error, rename={"asset_ids": "assets", "amount_requested": "amount"}
            )
        except Conflict as refusal:  # an enterprise not verified yet, nothing saved
            form.add_error(None, refusal.message)
        else:
            if application.status == Application.Status.SUBMITTED:
                messages.success(request, _("Your application was submitted."))
            else:
                messages.success(request, _("Your application was saved as a draft."))
            capacity = pledge_capacity(application=application)
            if application.amount_requested > capacity:
                messages.warning(
                    request,
                    _(
                        "You ask for %(amount)s, more than the pledge capacity of %(capacity)s: "
                        "the bank is unlikely to lend more than the capacity."
                    )
                    % {"amount": yuan(application.amount_requested), "capacity": yuan(capacity)},
                )
            return redirect("financing:detail", pk=application.pk)
    capacity_here = pledge_capacity_for(
        enterprise=enterprise, product=product, asset_ids=_chosen_ids(form) or None
    )
    amount = _amount_of(form)
    return render(
        request,
        "financing/new.html",
        {
            "form": form,
            "product": product,
            "enterprise": enterprise,
            "capacity": capacity_here,
            "amount": amount,
            "above_capacity": (
                capacity_here is not None and amount is not None and amount > capacity_here.capacity
            ),
        },
    )


def _initial(action: str, application: Application, capacity: Decimal) -> dict[str, Any]:
    """Sensible defaults for the amounts, terms and dates a move asks for:
    the most the bank may approve and the term asked for; the contract
    starts from the approved amount and terms; today."""
    today = timezone.localdate()
    contract = getattr(application, "contract", None)
    most = min(application.amount_requested, application.product.amount_max, capacity)
    defaults: dict[str, dict[str, Any]] = {
        "approve": {
            "amount": most,
            "term_months": min(application.term_months, application.product.term_max_months),
        },
        # The contract starts from the terms approved.
        "sign-contract": {
            "amount": application.amount_approved,
            "interest_rate": application.interest_rate_approved,
            "term_months": application.term_months_approved,
            "repayment_method": application.repayment_method_approved,
            "signed_on": today,
        },
        "register-pledge": {"registered_on": today},
        "disburse": {"amount": contract.amount if contract else None, "disbursed_on": today},
    }
    return defaults.get(action, {})


def _render_detail(
    request: HttpRequest, application: Application, bound: forms.Form | None = None
) -> HttpResponse:
    sides = application_sides(application=application, user=request.user)
    capacity = pledge_capacity(application=application)
    actions = []
    for name in APPLICATION.allowed(application, request.user, sides=sides):
        form = bound if bound is not None and bound.prefix == name else None
        form = form or move_form(APPLICATION, name, initial=_initial(name, application, capacity))
        actions.append({"name": name, "label": APPLICATION.actions[name].label, "form": form})
    rejected = application.status == Application.Status.REJECTED
    alternatives = (
        referral_for(application=application) if rejected and "enterprise" in sides else []
    )
    # The enterprise behind the application, for the bank deciding it (and the
    # regulators who read it); the enterprise's own page stays as it was.
    company = (
        company_file(application=application, today=timezone.localdate())
        if Actor.INSTITUTION.value in sides or not sides
        else None
    )
    labels = dict(Application.Status.choices)
    documents = application_documents(application=application, user=request.user)
    timeline = [
        {
            "entry": h,
            "from": labels.get(h.from_status, ""),
            "to": labels.get(h.to_status, ""),
            "documents": [d for d in documents if d.status_change_id == h.pk],
        }
        for h in application.history.all()
    ]
    return render(
        request,
        "financing/detail.html",
        {
            "application": application,
            "timeline": timeline,
            "contract": getattr(application, "contract", None),
            "capacity": capacity,
            "documents": documents,
            "actions": actions,
            "read_only": not sides,
            "alternatives": alternatives,
            "company": company,
        },
    )


@methods("GET")
@login_required
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, application_detail(pk=pk, user=request.user))


@login_required
@methods("POST")
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Make one move. Done or refused, the answer is a message on the
    application's page; bad input shows the move's form again."""
    application = application_detail(pk=pk, user=request.user)
    return page_move_answer(
        request,
        workflow=APPLICATION,
        obj=application,
        name=action,
        page=reverse("financing:detail", args=[pk]),
        again=lambda form: _render_detail(request, application, bound=form),
    )


@methods("GET")
@login_required
def document_download(request: HttpRequest, pk: int, document: int) -> HttpResponseBase:
    """A document sent with the application, for its enterprise and its
    institution only (404 for anyone else)."""
    return download(application_document(application_pk=pk, pk=document, user=request.user))
