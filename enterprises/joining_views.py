"""Joining the portal as an enterprise: register a new one, ask to join or
claim one already there; its administrators answer join requests; parks'
managers and regulators verify enterprises against their business licence.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.auth import signed_in
from core.exceptions import Conflict
from core.files import serve_file
from core.forms import move_form, page_move, show_service_errors
from core.http import methods
from enterprises.forms import ClaimForm, EnterpriseStartForm, JoinForm, ResubmitForm
from enterprises.models import Enterprise
from enterprises.selectors import (
    enterprise_by_credit_code,
    enterprise_under_verification,
    enterprises_for,
    is_verifier,
    join_request_for,
    join_requests_of,
    join_requests_to_decide,
    verification_history,
    verification_queue,
)
from enterprises.services import (
    enterprise_claim,
    enterprise_register,
    enterprise_resubmit,
    join_request_create,
)
from enterprises.workflows import JOIN_REQUEST, VERIFICATION

LICENCE_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def _found(credit_code: str) -> Enterprise | None:
    return enterprise_by_credit_code(credit_code=credit_code) if credit_code else None


def _start_page(
    request: HttpRequest,
    *,
    form: EnterpriseStartForm | None = None,
    found: Enterprise | None = None,
    join_form: JoinForm | None = None,
    claim_form: ClaimForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if found is not None and join_form is None and claim_form is None:
        if getattr(found, "member_count", 1):
            join_form = JoinForm(initial={"credit_code": found.credit_code})
        else:
            claim_form = ClaimForm(initial={"credit_code": found.credit_code})
    return render(
        request,
        "enterprises/start.html",
        {
            "form": form or EnterpriseStartForm(),
            "found": found,
            "join_form": join_form,
            "claim_form": claim_form,
            "requests": join_requests_of(user=request.user)[:20],
        },
        status=status,
    )


@methods("GET", "POST")
@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Register the user's enterprise, or ask to join (or claim) the one
    already on the portal under the credit code they typed."""
    actor = signed_in(request.user)
    if request.method != "POST":
        if enterprises_for(user=actor).exists():
            messages.info(request, _("Your account already acts for an enterprise."))
            return redirect("enterprises:workspace")
        return _start_page(request)
    step = request.POST.get("step", "create")
    if step == "join":
        return _join(request)
    if step == "claim":
        return _claim(request)
    form = EnterpriseStartForm(request.POST, request.FILES)
    valid = form.is_valid()
    code = form.cleaned_data.get("credit_code")
    if code and (found := _found(code)):
        # Already on the portal: offer to join (or claim) it rather than ask for the rest.
        messages.info(request, _("This enterprise is already on the portal."))
        return _start_page(request, form=form, found=found)
    if valid:
        try:
            enterprise_register(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your enterprise is registered and awaits verification. Meanwhile you can "
                    "build its IP portfolio."
                ),
            )
            return redirect("enterprises:workspace")
    messages.error(request, _("Please correct the errors in the form below."))
    return _start_page(request, form=form)


def _join(request: HttpRequest) -> HttpResponse:
    join_form = JoinForm(request.POST)
    found = _found(request.POST.get("credit_code", "").strip().upper())
    if found is None:
        raise Http404
    if join_form.is_valid():
        try:
            join_request_create(
                enterprise=found,
                actor=signed_in(request.user),
                message=join_form.cleaned_data["message"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "Your request has been sent to the administrators of %(enterprise)s. You "
                    "will be told when they answer."
                )
                % {"enterprise": found.name},
            )
        return redirect("enterprises:start")
    return _start_page(request, found=found, join_form=join_form)


def _claim(request: HttpRequest) -> HttpResponse:
    claim_form = ClaimForm(request.POST, request.FILES)
    found = _found(request.POST.get("credit_code", "").strip().upper())
    if found is None:
        raise Http404
    if claim_form.is_valid():
        try:
            enterprise_claim(
                enterprise=found,
                actor=signed_in(request.user),
                licence=claim_form.cleaned_data["licence"],
            )
        except PermissionDenied as refusal:
            messages.error(request, str(refusal))
            return redirect("enterprises:start")
        except Conflict as refusal:
            messages.error(request, refusal.message)
            return redirect("enterprises:start")
        except ValidationError as error:
            show_service_errors(claim_form, error)
        else:
            messages.success(
                request,
                _(
                    "You now administer %(enterprise)s on the portal. It awaits verification "
                    "by its park or its province's regulator."
                )
                % {"enterprise": found.name},
            )
            return redirect("enterprises:workspace")
    return _start_page(request, found=found, claim_form=claim_form)


# --------------------------------------------------------------------------- join requests


@methods("GET")
@login_required
def join_requests(request: HttpRequest) -> HttpResponse:
    """The pending requests to join the enterprises the user administers."""
    pending = list(join_requests_to_decide(user=request.user))
    if not pending and not enterprises_for(user=request.user).exists():
        raise PermissionDenied(_("Only the administrators of an enterprise answer join requests."))
    return render(
        request,
        "enterprises/join_requests.html",
        {"pending": pending, "decline_form": move_form(JOIN_REQUEST, "decline")},
    )


@methods("POST")
@login_required
def join_request_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    join_request = join_request_for(pk=pk, user=request.user)
    asked = page_move(request, workflow=JOIN_REQUEST, obj=join_request, name=action)
    if isinstance(asked, HttpResponse):  # a move that asks to confirm first
        return asked
    if action == "withdraw":
        return redirect("enterprises:start")
    return redirect("enterprises:join-requests")


# --------------------------------------------------------------------------- verification


@methods("GET")
@login_required
def verification_queue_page(request: HttpRequest) -> HttpResponse:
    if not is_verifier(user=request.user):
        raise PermissionDenied(_("Only park managers and regulators verify enterprises."))
    return render(
        request,
        "enterprises/verification_queue.html",
        {"enterprises": verification_queue(user=request.user)[:200]},
    )


def _verification_page(
    request: HttpRequest, enterprise: Enterprise, bound: Any = None, status: int = 200
) -> HttpResponse:
    allowed = VERIFICATION.allowed(enterprise, request.user)
    forms_by_action = {
        name: (bound if bound is not None and bound.prefix == name else None)
        or (ResubmitForm(prefix=name) if name == "resubmit" else move_form(VERIFICATION, name))
        for name in allowed
        if name != "claim"
    }
    return render(
        request,
        "enterprises/verification.html",
        {
            "enterprise": enterprise,
            "moves": [(VERIFICATION.actions[n], f) for n, f in forms_by_action.items()],
            "history": [
                (row, VERIFICATION.label_of(row.to_status))
                for row in verification_history(enterprise=enterprise)
            ],
        },
        status=status,
    )


@methods("GET")
@login_required
def verification(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = enterprise_under_verification(pk=pk, user=request.user)
    return _verification_page(request, enterprise)


@methods("POST")
@login_required
def verification_move(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    enterprise = enterprise_under_verification(pk=pk, user=request.user)
    if action not in VERIFICATION.actions or action == "claim":
        raise Http404
    if action == "resubmit":
        VERIFICATION.check_side(enterprise, request.user, action)
        form = ResubmitForm(request.POST, request.FILES, prefix=action)
        if form.is_valid():
            try:
                enterprise_resubmit(
                    enterprise=enterprise, actor=signed_in(request.user), **form.cleaned_data
                )
            except Conflict as refusal:
                messages.error(request, refusal.message)
            except ValidationError as error:
                show_service_errors(form, error)
                return _verification_page(request, enterprise, form)
            else:
                messages.success(request, VERIFICATION.done_message(enterprise, action))
            return redirect("enterprises:verification", pk=pk)
        return _verification_page(request, enterprise, form)
    bound = page_move(request, workflow=VERIFICATION, obj=enterprise, name=action)
    if isinstance(bound, HttpResponse):  # a move that asks to confirm first
        return bound
    if bound is not None:
        return _verification_page(request, enterprise, bound)
    if action in ("verify", "refuse"):
        return redirect("enterprises:verification-queue")
    return redirect("enterprises:verification", pk=pk)


@methods("GET")
@login_required
def licence(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The enterprise's business licence, for its members and its verifiers
    only; never cached, never shown as anything but its own type."""
    enterprise = enterprise_under_verification(pk=pk, user=request.user)
    if not enterprise.licence:
        raise Http404
    suffix = (enterprise.licence.name or "").rsplit(".", 1)[-1]
    return serve_file(
        enterprise.licence,
        filename=f"licence-{enterprise.credit_code}.{suffix}",
        content_type=LICENCE_TYPES.get(suffix, "application/octet-stream"),
        as_attachment=False,
    )
