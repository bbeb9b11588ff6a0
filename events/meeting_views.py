"""Meeting pages: "my meetings", one meeting with the moves its reader may
make, and an event's meetings page (the organisers lay out slots and see every
meeting; an enterprise asks registered institutions for a meeting)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.auth import signed_in
from core.exceptions import Conflict
from core.forms import move_form, page_move_answer, show_service_errors
from core.http import methods
from enterprises.selectors import enterprises_for
from events.access import can_organise
from events.meeting_forms import MeetingRequestForm, SlotForm
from events.meeting_selectors import (
    active_registration,
    event_for_parties,
    event_meetings,
    event_slots,
    institutions_to_meet,
    meeting_detail,
    meeting_sides,
    meetings_for,
    organised_event,
)
from events.meeting_services import meeting_request, slot_create, slot_delete
from events.meeting_workflows import MEETING
from events.models import Event, EventSlot, Meeting
from products.selectors import institutions_for

PAGE_SIZE = 25


def _status_filter(request: HttpRequest) -> str:
    status = request.GET.get("status", "")
    return status if status in Meeting.Status.values else ""


@methods("GET")
@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    """The meetings of the enterprises and institutions the user acts for."""
    if not (
        enterprises_for(user=request.user).exists() or institutions_for(user=request.user).exists()
    ):
        raise PermissionDenied(_("Only enterprises and institutions have meetings."))
    status = _status_filter(request)
    meetings = meetings_for(user=request.user, status=status)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/meetings/mine.html",
        {"page": page, "status": status, "statuses": Meeting.Status.choices},
    )


def _render_event_page(
    request: HttpRequest,
    event: Event,
    *,
    request_form: forms.Form | None = None,
    slot_form: forms.Form | None = None,
) -> HttpResponse:
    organiser = can_organise(user=request.user, event=event)
    enterprise = enterprises_for(user=request.user).order_by("pk").first()
    registered = (
        enterprise is not None
        and active_registration(event=event, enterprise_id=enterprise.pk) is not None
    )
    own_institutions = institutions_for(user=request.user)
    is_institution = own_institutions.exists()
    if not (organiser or enterprise or is_institution):
        raise PermissionDenied(_("Only enterprises, institutions and organisers meet at events."))
    status = _status_filter(request)
    meetings = (
        event_meetings(event=event, status=status)
        if organiser
        else meetings_for(user=request.user, event=event, status=status)
    )
    slots = event_slots(event=event)
    if registered and request_form is None:
        request_form = MeetingRequestForm(
            institutions=institutions_to_meet(event=event), slots=slots
        )
    return render(
        request,
        "events/meetings/event.html",
        {
            "event": event,
            "organiser": organiser,
            "institution_registered": is_institution
            and institutions_to_meet(event=event).filter(pk__in=own_institutions).exists(),
            "enterprise": enterprise,
            "registered": registered,
            "page": Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page")),
            "status": status,
            "statuses": Meeting.Status.choices,
            "slots": slots,
            "request_form": request_form if registered else None,
            "slot_form": (slot_form or SlotForm()) if organiser else None,
        },
    )


@methods("GET")
@login_required
def event_meetings_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_event_page(request, event_for_parties(slug=slug, user=request.user))


@login_required
@methods("POST")
def meeting_request_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_for_parties(slug=slug, user=request.user)
    enterprise = enterprises_for(user=request.user).order_by("pk").first()
    if enterprise is None:
        raise PermissionDenied(_("Only the members of an enterprise may ask for meetings."))
    form = MeetingRequestForm(
        request.POST, institutions=institutions_to_meet(event=event), slots=event_slots(event=event)
    )
    if form.is_valid():
        try:
            meeting = meeting_request(
                event=event,
                actor=signed_in(request.user),
                enterprise=enterprise,
                **form.cleaned_data,
            )
        except Conflict as refusal:
            messages.error(request, refusal.message)
            return redirect("meetings:event", slug=slug)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("Your request was sent to the institution."))
            return redirect("meetings:detail", pk=meeting.pk)
    messages.error(request, _("Please correct the errors in the form below."))
    return _render_event_page(request, event, request_form=form)


@login_required
@methods("POST")
def slot_create_page(request: HttpRequest, slug: str) -> HttpResponse:
    event = organised_event(slug=slug, user=request.user)
    form = SlotForm(request.POST)
    if form.is_valid():
        try:
            slot_create(event=event, actor=signed_in(request.user), **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, _("The slot was added."))
            return redirect("meetings:event", slug=slug)
    messages.error(request, _("Please correct the errors in the form below."))
    return _render_event_page(request, event, slot_form=form)


@login_required
@methods("POST")
def slot_delete_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = organised_event(slug=slug, user=request.user)
    slot = get_object_or_404(EventSlot, event=event, pk=pk)
    try:
        slot_delete(slot=slot, actor=signed_in(request.user))
    except Conflict as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The slot was removed."))
    return redirect("meetings:event", slug=slug)


def _render_detail(
    request: HttpRequest, meeting: Meeting, bound: forms.Form | None = None
) -> HttpResponse:
    sides = meeting_sides(meeting=meeting, user=request.user)
    slots = event_slots(event=meeting.event)
    actions = []
    for name in MEETING.allowed(meeting, request.user, sides=sides):
        form = bound if bound is not None and bound.prefix == name else None
        initial = {"slot": meeting.slot_id} if name == "accept" else {}
        form = form or move_form(MEETING, name, initial=initial)
        slot = form.fields.get("slot")
        if isinstance(slot, forms.ModelChoiceField):  # the event's own slots to choose from
            slot.queryset = slots
        actions.append({"name": name, "label": MEETING.actions[name].label, "form": form})
    labels = dict(Meeting.Status.choices)
    timeline = [
        {"entry": h, "from": labels.get(h.from_status, ""), "to": labels.get(h.to_status, "")}
        for h in meeting.history.all()
    ]
    return render(
        request,
        "events/meetings/detail.html",
        {
            "meeting": meeting,
            "actions": actions,
            "timeline": timeline,
            "organiser": "organiser" in sides,
        },
    )


@methods("GET")
@login_required
def meeting_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, meeting_detail(pk=pk, user=request.user))


@login_required
@methods("POST")
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Make one move. Done or refused, the answer is a message on the
    meeting's page; bad input shows the move's form again. The moves the
    portal makes itself are no page's to make (core.forms.page_move)."""
    meeting = meeting_detail(pk=pk, user=request.user)
    return page_move_answer(
        request,
        workflow=MEETING,
        obj=meeting,
        name=action,
        page=reverse("meetings:detail", args=[pk]),
        again=lambda form: _render_detail(request, meeting, bound=form),
    )
