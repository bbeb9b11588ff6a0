"""On-site outcome pages: the organisers' entry of what was signed at an
event, one such contract, and the enterprise following an intention up with
an application."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.auth import signed_in
from core.exceptions import Conflict
from core.forms import confirm_first, show_service_errors
from core.http import methods
from events.access import events_organised_by
from events.meeting_selectors import active_registration, institutions_to_meet, published_event
from events.models import Event, Meeting
from financing.forms import RequiredNoteForm
from financing.models import Application, Contract
from financing.onsite_forms import FollowUpForm, OnsiteContractForm
from financing.onsite_selectors import onsite_contract_detail, onsite_contracts, onsite_totals
from financing.selectors import eligible_assets
from financing.services import contract_record_onsite, contract_void, intention_to_application
from financing.workflows import CONTRACT
from products.models import Institution, Product

PAGE_SIZE = 25


def _from_meeting(event: Event, pk: str) -> dict[str, Any]:
    """The form's parties, when the organiser comes from a meeting's page."""
    meeting = Meeting.objects.filter(event=event, pk=pk).first() if pk.isdigit() else None
    if meeting is None:
        return {}
    registration = active_registration(event=event, enterprise_id=meeting.enterprise_id)
    return {
        "meeting": meeting.pk,
        "institution": meeting.institution_id,
        "registration": registration.pk if registration else None,
    }


def _recorder(request: HttpRequest, slug: str) -> tuple[Event, QuerySet[Institution] | None]:
    """The event and, unless the user organises it, the user's institutions
    registered there: their officers record their own signings. Http404 for
    everyone else."""
    event = events_organised_by(user=request.user).filter(slug=slug).first()
    if event is not None:
        return event, None
    event = published_event(slug=slug)
    own = institutions_to_meet(event=event).filter(memberships__user=signed_in(request.user))
    if not own.exists():
        raise Http404("No such event.")
    return event, own


@methods("GET", "POST")
@login_required
def event_outcomes(request: HttpRequest, slug: str) -> HttpResponse:
    """What was signed at the event, and the form to record another: for its
    organisers, and for the officers of institutions registered there."""
    event, own_institutions = _recorder(request, slug)
    organiser = own_institutions is None
    initial = {"signed_on": min(timezone.localdate(), timezone.localdate(event.ends_at))}
    form = OnsiteContractForm(
        request.POST or None,
        event=event,
        institutions=own_institutions,
        initial={**initial, **_from_meeting(event, request.GET.get("meeting", ""))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            contract = contract_record_onsite(
                event=event, actor=signed_in(request.user), **form.cleaned_data
            )
        except Conflict as refusal:
            messages.error(request, refusal.message)
            return redirect("onsite:event", slug=slug)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(kind)s %(reference)s was recorded.")
                % {"kind": contract.get_kind_display(), "reference": contract.reference},
            )
            return redirect("onsite:event", slug=slug)
    if request.method == "POST":
        messages.error(request, _("Please correct the errors in the form below."))
    contracts = onsite_contracts(event=event, user=request.user, organiser=organiser)
    return render(
        request,
        "financing/onsite/event.html",
        {
            "event": event,
            "form": form,
            "organiser": organiser,
            "totals": onsite_totals(event=event) if organiser else None,
            "page": Paginator(contracts, PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )


def _contract_page(
    request: HttpRequest, contract: Contract, void_form: RequiredNoteForm | None = None
) -> HttpResponse:
    is_enterprise = contract.enterprise.memberships.filter(user=signed_in(request.user)).exists()
    follow_ups = Application.objects.filter(from_intention=contract).order_by("-created_at")
    signed = contract.status == Contract.Status.SIGNED
    can_void = (
        signed
        and contract.application_id is None
        and "void" in CONTRACT.allowed(contract, request.user)
    )
    return render(
        request,
        "financing/onsite/contract.html",
        {
            "contract": contract,
            "follow_ups": follow_ups,
            "can_follow_up": signed and is_enterprise and contract.kind == Contract.Kind.INTENTION,
            "void_form": (void_form or RequiredNoteForm()) if can_void else None,
            "history": [
                (change, CONTRACT.label_of(change.to_status))
                for change in contract.history.select_related("actor").order_by("created_at", "pk")
            ],
        },
        status=400 if void_form is not None and void_form.errors else 200,
    )


@methods("GET")
@login_required
def contract_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _contract_page(request, onsite_contract_detail(pk=pk, user=request.user))


@login_required
@methods("POST")
def void(request: HttpRequest, pk: int) -> HttpResponse:
    """Void a contract recorded at an event by mistake, with the reason."""
    contract = onsite_contract_detail(pk=pk, user=request.user)
    # Who asks, before what they sent is looked at.
    CONTRACT.check_side(contract, request.user, "void")
    form = RequiredNoteForm(request.POST)
    if not form.is_valid():
        return _contract_page(request, contract, void_form=form)
    if "void" not in CONTRACT.allowed(contract, request.user):
        messages.error(request, CONTRACT.refused(contract, "void").message)
        return redirect("onsite:contract", pk=pk)
    # Asked first: what voiding does, and to whom (a loan's contract the
    # service refuses outright).
    onsite = contract.event_id is not None and contract.application_id is None
    asked = onsite and confirm_first(
        request,
        workflow=CONTRACT,
        obj=contract,
        name="void",
        back=reverse("onsite:contract", args=[pk]),
    )
    if asked:
        return asked
    try:
        voided = contract_void(
            contract=contract, actor=signed_in(request.user), note=form.cleaned_data["note"]
        )
    except Conflict as refusal:
        messages.error(request, refusal.message)
        return redirect("onsite:contract", pk=pk)
    except ValidationError as error:
        show_service_errors(form, error)
        return _contract_page(request, contract, void_form=form)
    messages.success(
        request,
        _("%(kind)s %(reference)s is void: it counts in no figure.")
        % {"kind": voided.get_kind_display(), "reference": voided.reference},
    )
    return redirect("onsite:contract", pk=pk)


@methods("GET", "POST")
@login_required
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply to the intention's institution, pledging eligible assets."""
    contract = onsite_contract_detail(pk=pk, user=request.user)
    if not contract.enterprise.memberships.filter(user=signed_in(request.user)).exists():
        raise PermissionDenied(_("Only the members of the enterprise may apply."))
    products = Product.objects.filter(
        institution_id=contract.institution_id, status=Product.Status.PUBLISHED
    ).order_by("name_zh")
    code = request.POST.get("product") or request.GET.get("product")
    product = products.filter(code=code).first() if code else None
    if product is None and contract.product_id:
        product = products.filter(pk=contract.product_id).first()
    form = None
    if product is not None:
        form = FollowUpForm(
            request.POST or None,
            assets=eligible_assets(enterprise_id=contract.enterprise_id, product=product),
            initial={"amount": contract.amount},
        )
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            application = intention_to_application(
                contract=contract,
                actor=signed_in(request.user),
                product=product,
                amount=data["amount"],
                term_months=data["term_months"],
                asset_ids=[asset.pk for asset in data["asset_ids"]],
                purpose=data["purpose"],
                submit="submit" in request.POST,
            )
        except Conflict as refusal:
            messages.error(request, refusal.message)
            return redirect("onsite:contract", pk=pk)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Your application follows up the intention."))
            return redirect("financing:detail", pk=application.pk)
    if request.method == "POST":
        messages.error(request, _("Please correct the errors in the form below."))
    return render(
        request,
        "financing/onsite/follow_up.html",
        {"contract": contract, "products": products, "product": product, "form": form},
    )
