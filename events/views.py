"""Pages: the public event list and an event's page with registration; the
registrant's registrations with their QR codes; the organiser's events,
their form, registrations (with CSV/XLSX export), check-in screen and report."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_permissions_policy.decorators import permissions_policy_override

from accounts.selectors import regulator_jurisdiction
from core.auth import signed_in
from core.exceptions import Conflict
from core.forms import (
    applied_filters,
    move_form,
    page_move,
    page_move_answer,
    show_service_errors,
)
from core.http import methods
from core.spreadsheets import CONTENT_TYPES, Sheet, csv_bytes, xlsx_bytes
from enterprises.selectors import enterprises_for
from events.access import ORGANISER, can_create_events, event_sides, managed_parks
from events.calendar import event_calendar
from events.filters import RegistrationFilter
from events.forms import CampaignForm, CheckInForm, EventForm, RegisterForm
from events.models import Event, Registration
from events.qr import check_in_url, qr_svg
from events.report import attendance
from events.selectors import (
    event_detail,
    event_registrations,
    events_managed_by,
    organised_event,
    own_registrations,
    own_registrations_at,
    public_event_filter,
    registration_detail,
    waiting_position,
)
from events.services import (
    campaign_create,
    event_create,
    event_update,
    parse_check_in_code,
    registration_check_in_by_code,
    registration_create,
    registration_opens_until,
    registration_refusal,
)
from events.workflows import EVENT, REGISTRATION
from parks.models import Park
from products.selectors import institutions_for

if TYPE_CHECKING:
    from events.selectors import SeatedEvent

PAGE_SIZE = 25


# --- public


@methods("GET")
def event_list(request: HttpRequest) -> HttpResponse:
    filterset = public_event_filter(filters=request.GET)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/list.html",
        {
            "filter": filterset,
            "chips": applied_filters(filterset.form, request.GET),
            "page": page,
            "can_create": can_create_events(user=request.user),
            "now": timezone.now(),
        },
    )


def _parties(request: HttpRequest) -> list[tuple[str, str]]:
    """The enterprises and institutions the user may register, as form choices."""
    if not request.user.is_authenticated:
        return []
    return [(f"enterprise:{e.pk}", e.name) for e in enterprises_for(user=request.user)] + [
        (f"institution:{i.pk}", i.name) for i in institutions_for(user=request.user)
    ]


def _render_detail(
    request: HttpRequest,
    event: SeatedEvent,
    register_form: RegisterForm | None = None,
    bound: forms.Form | None = None,
) -> HttpResponse:
    """The event's page; `bound` is an organiser's move form sent back with
    its errors."""
    parties = _parties(request)
    mine = own_registrations_at(event=event, user=request.user)
    active = [r for r in mine if r.status != Registration.Status.CANCELLED]
    registered = {
        f"enterprise:{r.enterprise_id}" if r.enterprise_id else f"institution:{r.institution_id}"
        for r in active
    }
    open_parties = [(value, label) for value, label in parties if value not in registered]
    refusal = registration_refusal(event)
    is_open = refusal is None
    if register_form is None and open_parties and is_open:
        register_form = RegisterForm(parties=open_parties)
    full = event.capacity is not None and event.seats_taken >= event.capacity
    sides = event_sides(event=event, user=request.user)
    moves = [
        {
            "name": name,
            "label": EVENT.actions[name].label,
            "form": bound if bound is not None and bound.prefix == name else move_form(EVENT, name),
        }
        for name in EVENT.allowed(event, request.user, sides=sides)
    ]
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "agenda": [line for line in event.agenda.splitlines() if line.strip()],
            "registrations": active,
            "register_form": register_form if is_open else None,
            "registration_open": is_open,
            "registration_refusal": refusal,
            "closes_at": registration_opens_until(event),
            "full": full,
            "places_left": None
            if event.capacity is None
            else max(event.capacity - event.seats_taken, 0),
            "can_organise": ORGANISER in sides,
            # Told before they try: an unverified enterprise cannot register.
            "unverified": [e for e in enterprises_for(user=request.user) if not e.is_verified]
            if is_open and request.user.is_authenticated
            else [],
            "moves": moves,
        },
    )


@methods("GET")
def event_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_detail(request, event_detail(slug=slug, user=request.user))


@methods("GET")
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_detail(slug=slug, user=request.user)
    response = HttpResponse(
        event_calendar(event=event), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@login_required
@methods("POST")
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_detail(slug=slug, user=request.user)
    parties = _parties(request)
    if not parties:
        raise PermissionDenied(_("Only enterprises and institutions register for events."))
    data = request.POST.copy()
    if not data.get("party") and len(parties) == 1:  # the hidden field left out
        data["party"] = parties[0][0]
    form = RegisterForm(data, parties=parties)
    if form.is_valid():
        values = form.cleaned_data
        kind, pk = values["party"].split(":")
        as_enterprise = kind == "enterprise"
        enterprise = enterprises_for(user=request.user).get(pk=pk) if as_enterprise else None
        institution = None if as_enterprise else institutions_for(user=request.user).get(pk=pk)
        try:
            registration = registration_create(
                event=event,
                actor=signed_in(request.user),
                enterprise=enterprise,
                institution=institution,
                need_amount=values["need_amount"] if as_enterprise else None,
                need_term_months=values["need_term_months"] if as_enterprise else None,
                max_meetings=None if as_enterprise else values["max_meetings"],
                note=values["note"],
            )
        except Conflict as refusal:
            messages.error(request, str(refusal))
            return redirect("events:detail", slug=slug)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            done: dict[str, str] = {
                Registration.Status.CONFIRMED: _(
                    "You are registered. A confirmation with a calendar file is on its way."
                ),
                Registration.Status.REGISTERED: _(
                    "You are registered. The organiser will confirm your place."
                ),
                Registration.Status.WAITLISTED: _(
                    "The event is full: you are on the waiting list and will be told by email "
                    "when a place comes free."
                ),
            }
            messages.success(request, done[registration.status])
            return redirect("events:registration", code=registration.code)
    messages.error(request, _("Please correct the errors in the form below."))
    return _render_detail(request, event, register_form=form)


# --- the registrant's


@methods("GET")
@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    registrations = own_registrations(user=request.user, filters=request.GET)
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/my_registrations.html", {"page": page})


@methods("GET")
@login_required
def registration_page(request: HttpRequest, code: str) -> HttpResponse:
    registration = registration_detail(code=code, user=request.user)
    seated = registration.status in (Registration.Status.CONFIRMED,)
    allowed = REGISTRATION.allowed(registration, request.user)
    return render(
        request,
        "events/registration.html",
        {
            "registration": registration,
            "event": registration.event,
            "qr": qr_svg(check_in_url(registration)) if seated else None,
            "position": waiting_position(registration=registration),
            "cancel": REGISTRATION.actions["cancel"] if "cancel" in allowed else None,
            "history": registration.history.all(),
            "labels": dict(Registration.Status.choices),
        },
    )


@login_required
@methods("POST")
def registration_cancel_view(request: HttpRequest, code: str) -> HttpResponse:
    """Cancelled by its party from its page, or by an organiser from the
    event's list (`next=organiser`); either way back where they came from."""
    registration = registration_detail(code=code, user=request.user)
    back = (
        reverse("events:registrations", args=[registration.event.slug])
        if request.POST.get("next", "") == "organiser"
        else reverse("events:registration", args=[code])
    )
    # The note is optional: there is no input to send back, only a message,
    # or the page that asks to confirm.
    asked = page_move(request, workflow=REGISTRATION, obj=registration, name="cancel", back=back)
    if isinstance(asked, HttpResponse):
        return asked
    return redirect(back)


# --- the organiser's


def organiser_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, and organising this event (else 404 or 403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        event = organised_event(slug=slug, user=request.user)
        return view(request, event, *args, **kwargs)

    return wrapper


def _parks_for_form(request: HttpRequest) -> Any:
    jurisdiction = regulator_jurisdiction(user=request.user)
    if jurisdiction is None:
        return managed_parks(user=request.user)
    if jurisdiction.national:
        return Park.objects.all()
    return Park.objects.filter(province_id__in=jurisdiction.provinces)


@methods("GET")
@login_required
def manage(request: HttpRequest) -> HttpResponse:
    if not can_create_events(user=request.user):
        raise PermissionDenied(_("Only regulators and park managers organise events."))
    page = Paginator(events_managed_by(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "events/manage.html", {"page": page})


@methods("GET", "POST")
@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not can_create_events(user=request.user):
        raise PermissionDenied(_("Only regulators and park managers organise events."))
    form = EventForm(request.POST or None, parks=_parks_for_form(request))
    if request.method == "POST" and form.is_valid():
        try:
            event = event_create(actor=signed_in(request.user), **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Draft “%(title)s” saved. Publish it when it is ready.") % {"title": event},
            )
            return redirect("events:detail", slug=event.slug)
    return render(request, "events/form.html", {"form": form, "event": None})


@methods("GET", "POST")
@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    """A new campaign, a series of events; the events name it when they are set up."""
    if not can_create_events(user=request.user):
        raise PermissionDenied(_("Only regulators and park managers organise events."))
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_create(actor=signed_in(request.user), **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Campaign “%(name)s” created. Choose it when you set up its events.")
                % {"name": campaign},
            )
            return redirect("events:manage")
    return render(request, "events/campaign_form.html", {"form": form})


@methods("GET", "POST")
@organiser_required
def edit(request: HttpRequest, event: Event) -> HttpResponse:
    if event.status == Event.Status.CANCELLED:
        messages.error(request, _("A cancelled event cannot be changed."))
        return redirect("events:detail", slug=event.slug)
    form = EventForm(request.POST or None, instance=event, parks=_parks_for_form(request))
    if request.method == "POST" and form.is_valid():
        try:
            event = event_update(event=event, actor=signed_in(request.user), **form.cleaned_data)
        except ValidationError as error:
            show_service_errors(form, error)
        except Conflict as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("“%(title)s” saved.") % {"title": event})
            return redirect("events:detail", slug=event.slug)
    return render(request, "events/form.html", {"form": form, "event": event})


@organiser_required
@methods("POST")
def event_action(request: HttpRequest, event: Event, action: str) -> HttpResponse:
    """Publish or cancel (events.workflows.EVENT). Done or refused, a message
    on the event's page; input to correct shows the page with the form again."""
    return page_move_answer(
        request,
        workflow=EVENT,
        obj=event,
        name=action,
        page=reverse("events:detail", args=[event.slug]),
        again=lambda form: _render_detail(
            request, event_detail(slug=event.slug, user=request.user), bound=form
        ),
    )


@methods("GET")
@organiser_required
def registrations(request: HttpRequest, event: Event) -> HttpResponse:
    filterset = RegistrationFilter(request.GET or None)
    found = event_registrations(event=event, filters=request.GET)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    user = signed_in(request.user)
    # Each row with the organiser's moves on it; check-in is the desk's.
    rows = [
        (
            row,
            [
                {"name": name, "label": REGISTRATION.actions[name].label}
                for name in REGISTRATION.allowed(row, user, sides={ORGANISER})
                if name in ("approve", "cancel")
            ],
        )
        for row in page
    ]
    return render(
        request,
        "events/registrations.html",
        {
            "event": event,
            "page": page,
            "rows": rows,
            "filters": filterset.form,
            "chips": applied_filters(filterset.form, request.GET),
            "counts": attendance(event=event),
            "query": request.GET.urlencode(),
        },
    )


EXPORT_COLUMNS = (
    ("code", lambda r: r.code),
    ("status", lambda r: str(r.get_status_display())),
    ("party", lambda r: _("Enterprise") if r.enterprise_id else _("Institution")),
    ("name", lambda r: r.party.name),
    ("credit_code", lambda r: r.enterprise.credit_code if r.enterprise_id else ""),
    ("province", lambda r: r.enterprise.province.name if r.enterprise_id else ""),
    ("need_amount", lambda r: r.need_amount),
    ("need_term_months", lambda r: r.need_term_months),
    ("max_meetings", lambda r: r.max_meetings),
    ("registered_by", lambda r: r.registered_by.email if r.registered_by else ""),
    ("registered_at", lambda r: timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M")),
    (
        "checked_in_at",
        lambda r: (
            timezone.localtime(r.checked_in_at).strftime("%Y-%m-%d %H:%M")
            if r.checked_in_at
            else ""
        ),
    ),
    ("note", lambda r: r.note),
)


def _export_headers() -> list[str]:
    return [
        _("Code"),
        _("Status"),
        _("Party"),
        _("Name"),
        _("Unified social credit code"),
        _("Province"),
        _("Financing need (CNY)"),
        _("Term (months)"),
        _("Most meetings"),
        _("Registered by"),
        _("Registered at"),
        _("Checked in at"),
        _("Note"),
    ]


@methods("GET")
@organiser_required
def export(request: HttpRequest, event: Event) -> HttpResponse:
    """The registrations as CSV (`?file=csv`, the default) or XLSX (`?file=xlsx`),
    with the list's filters."""
    kind = request.GET.get("file", "csv")
    if kind not in ("csv", "xlsx"):
        raise Http404(_("No such file type."))
    rows = event_registrations(event=event, filters=request.GET).iterator(chunk_size=2000)
    name = f"{event.slug}-registrations.{kind}"
    sheet = Sheet(
        _("Registrations"),
        header=_export_headers(),
        rows=([get(r) for _key, get in EXPORT_COLUMNS] for r in rows),
    )
    data = csv_bytes(sheet) if kind == "csv" else xlsx_bytes([sheet])
    response = HttpResponse(data, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@organiser_required
@methods("POST")
def approve(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    registration = event_registrations(event=event).filter(pk=pk).first()
    if registration is None:
        raise Http404(_("No such registration."))
    # The note is optional: there is no input to send back, only a message.
    page_move(request, workflow=REGISTRATION, obj=registration, name="approve")
    return redirect("events:registrations", slug=event.slug)


# The one page that may use the camera: it scans QR codes (static/events/check_in.js).
@methods("GET", "POST")
@permissions_policy_override({**settings.PERMISSIONS_POLICY, "camera": ["self"]})
@organiser_required
def check_in(request: HttpRequest, event: Event) -> HttpResponse:
    """The desk: type the code or open the QR code's link with the phone's
    camera (it fills the code in); one button checks in."""
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                registration = registration_check_in_by_code(
                    event=event, actor=signed_in(request.user), code=form.cleaned_data["code"]
                )
            except Conflict as refusal:
                messages.error(request, str(refusal))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("Checked in: %(party)s") % {"party": registration.party.name}
                )
            return redirect("events:check-in", slug=event.slug)
    else:
        form = CheckInForm(initial={"code": parse_check_in_code(request.GET.get("code", ""))})
    return render(
        request,
        "events/check_in.html",
        {"event": event, "form": form, "counts": attendance(event=event)},
    )
