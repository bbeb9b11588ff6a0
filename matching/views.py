"""Pages: products for an enterprise, leads for an institution, an event's
meeting schedule for its organisers, and each party's agenda."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.middleware import HtmxDetails

from core.auth import signed_in
from core.exceptions import Conflict
from core.forms import CONFIRMED, confirm_page
from core.http import methods
from enterprises.models import Enterprise
from enterprises.selectors import enterprises_for
from events.models import Event
from matching.forms import InviteToApplyForm, InviteToMeetForm, MeetingSlotForm, NeedForm
from matching.models import Schedule, ScheduledMeeting
from matching.selectors import (
    agenda_for,
    events_taken_part_in,
    institution_leads,
    invitations_sent,
    lead_enterprise,
    organised_event,
    own_published_products,
    product_ranking,
    schedule_of,
    scheduled_meetings,
)
from matching.services import (
    APPLY_INVITATION_DAYS,
    lead_invite_to_apply,
    lead_invite_to_meet,
    schedule_meeting_move,
    schedule_meeting_remove,
    schedule_publish,
    schedule_run,
)
from matching.workflows import SCHEDULE
from products.selectors import institutions_for

PAGE_SIZE = 25


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it."""

    htmx: HtmxDetails


@methods("GET")
@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    """Every published product for the user's enterprise, ranked, with reasons."""
    enterprise = (
        enterprises_for(user=request.user).select_related("province").order_by("pk").first()
    )
    if enterprise is None:
        raise PermissionDenied(
            _("Only the members of an enterprise see the products that fit them.")
        )
    form = NeedForm(request.GET or None)
    need = form.cleaned_data if form.is_valid() else {}
    page = None
    apply_query = ""
    if not form.is_bound or form.is_valid():
        products = product_ranking(
            enterprise=enterprise,
            amount=need.get("amount"),
            term=need.get("term"),
            max_rate=need.get("max_rate"),
        )
        page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
        apply_query = need_query(amount=products.amount, term=products.term)
    return render(
        request,
        "matching/ranking.html",
        {
            "enterprise": enterprise,
            "form": form,
            "page": page,
            "apply_query": apply_query,
            "current": "matching",
        },
    )


def need_query(*, amount: Decimal | None, term: int | None) -> str:
    """The amount and term ranked for, as the application form reads them
    from its address (`financing.views.application_new`)."""
    need = {}
    if amount is not None:
        need["amount"] = f"{amount.normalize():f}"
    if term is not None:
        need["term"] = str(term)
    return urlencode(need)


@methods("GET")
@login_required
def leads(request: HttpRequest) -> HttpResponse:
    """Discoverable enterprises that fit the user's institutions' products."""
    if not institutions_for(user=request.user).exists():
        raise PermissionDenied(_("Only the officers of an institution see leads."))
    page = Paginator(institution_leads(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    sent = invitations_sent(
        user=request.user, enterprise_ids=[lead.enterprise.pk for lead in page.object_list]
    )
    rows = [(lead, sent.get(lead.enterprise.pk, [])) for lead in page.object_list]
    return render(
        request,
        "matching/leads.html",
        {
            "page": page,
            "rows": rows,
            "products": list(own_published_products(user=request.user)),
            "events": list(events_taken_part_in(user=request.user)),
        },
    )


def _lead_of(request: HttpRequest, pk: int) -> Enterprise:
    """Who asks before what they sent: an officer of an institution (403
    otherwise), then an enterprise open to leads (404 otherwise)."""
    if not institutions_for(user=request.user).exists():
        raise PermissionDenied(_("Only the officers of an institution invite leads."))
    return lead_enterprise(pk=pk)


def _invite(
    request: HttpRequest,
    pk: int,
    *,
    form: InviteToApplyForm | InviteToMeetForm,
    field: str,
    label: str,
    consequences: Callable[[Enterprise, Any, int], list[str]],
    send: Callable[[Enterprise, Any], str],
) -> HttpResponse:
    """An invitation to a lead: the choice checked (`field` of `form`), then
    what it will do and to whom, confirmed first; sent, or refused, the answer
    is a message on the leads page."""
    enterprise = _lead_of(request, pk)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get(field, [])))
        return redirect("matching:leads")
    choice = form.cleaned_data[field]
    if request.POST.get(CONFIRMED) != "1":
        members = enterprise.memberships.count()
        return confirm_page(
            request,
            label=label,
            subject=enterprise.name,
            consequences=consequences(enterprise, choice, members),
            back=reverse("matching:leads"),
        )
    try:
        messages.success(request, send(enterprise, choice))
    except Conflict as refusal:
        messages.error(request, refusal.message)
    return redirect("matching:leads")


@login_required
@methods("POST")
def invite_to_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite a lead to apply for one of the institution's published products."""
    actor = signed_in(request.user)

    def consequences(enterprise: Enterprise, product: Any, members: int) -> list[str]:
        return [
            ngettext(
                "The %(count)d member of %(enterprise)s is told that %(institution)s "
                "invites the enterprise to apply for “%(product)s”, with a link to "
                "the application form.",
                "The %(count)d members of %(enterprise)s are told that %(institution)s "
                "invites the enterprise to apply for “%(product)s”, with a link to "
                "the application form.",
                members,
            )
            % {
                "count": members,
                "enterprise": enterprise.name,
                "institution": product.institution.name,
                "product": product.name,
            },
            ngettext(
                "The invitation stays open for %(days)d day: until then it cannot be "
                "sent again for this product.",
                "The invitation stays open for %(days)d days: until then it cannot be "
                "sent again for this product.",
                APPLY_INVITATION_DAYS,
            )
            % {"days": APPLY_INVITATION_DAYS},
        ]

    def send(enterprise: Enterprise, product: Any) -> str:
        lead_invite_to_apply(actor=actor, enterprise=enterprise, product=product)
        return _("%(enterprise)s is invited to apply for “%(product)s”.") % {
            "enterprise": enterprise.name,
            "product": product.name,
        }

    return _invite(
        request,
        pk,
        form=InviteToApplyForm(request.POST, products=own_published_products(user=request.user)),
        field="product",
        label=_("Invite to apply"),
        consequences=consequences,
        send=send,
    )


@login_required
@methods("POST")
def invite_to_meet(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite a lead to meet at an upcoming event where the institution is registered."""
    actor = signed_in(request.user)

    def consequences(enterprise: Enterprise, event: Event, members: int) -> list[str]:
        return [
            ngettext(
                "The %(count)d member of %(enterprise)s is told that your institution "
                "would like to meet at “%(event)s”, with a link to the event, where the "
                "enterprise registers and asks for the meeting.",
                "The %(count)d members of %(enterprise)s are told that your institution "
                "would like to meet at “%(event)s”, with a link to the event, where the "
                "enterprise registers and asks for the meeting.",
                members,
            )
            % {"count": members, "enterprise": enterprise.name, "event": event.title},
            _("Until the event ends, it cannot be invited to this event again."),
        ]

    def send(enterprise: Enterprise, event: Event) -> str:
        lead_invite_to_meet(actor=actor, enterprise=enterprise, event=event)
        return _("%(enterprise)s is invited to meet you at “%(event)s”.") % {
            "enterprise": enterprise.name,
            "event": event.title,
        }

    return _invite(
        request,
        pk,
        form=InviteToMeetForm(request.POST, events=events_taken_part_in(user=request.user)),
        field="event",
        label=_("Invite to a meeting"),
        consequences=consequences,
        send=send,
    )


@methods("GET")
@login_required
def agenda(request: HttpRequest) -> HttpResponse:
    """The meetings of the user's enterprises and institutions, slot by slot."""
    page = Paginator(agenda_for(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "matching/agenda.html", {"page": page})


def _organised(request: HttpRequest, slug: str) -> tuple[Event, Schedule | None]:
    """The event the user organises and its schedule, if the matcher ran."""
    event = organised_event(slug=slug, user=request.user)
    return event, schedule_of(event=event)


@methods("GET")
@login_required
def schedule_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The organiser's view of the event's schedule: run, review, adjust, publish."""
    event, schedule = _organised(request, slug)
    meetings = (
        scheduled_meetings(schedule=schedule) if schedule else ScheduledMeeting.objects.none()
    )
    # The organiser's moves now; the first run, with no schedule yet, makes it.
    allowed = SCHEDULE.allowed(schedule, signed_in(request.user)) if schedule else ["run"]
    context = {
        "event": event,
        "schedule": schedule,
        "page": Paginator(meetings, 100).get_page(request.GET.get("page")),
        "slots": event.slots.order_by("starts_at"),
        "actions": {name: SCHEDULE.actions[name].label for name in allowed},
    }
    return render(request, "matching/schedule.html", context)


@methods("GET")
@login_required
def schedule_status(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The status row, polled by the schedule page while the task works; once
    the work is done, htmx reloads the page to show the meetings."""
    event, schedule = _organised(request, slug)
    response = render(
        request, "matching/_schedule_status.html", {"event": event, "schedule": schedule}
    )
    if request.htmx and schedule is not None and not schedule.is_working:
        response["HX-Refresh"] = "true"
    return response


def _done(request: HttpRequest, slug: str, action: Callable[[], None]) -> HttpResponse:
    """Run one service; done or refused, the answer is a message on the schedule page."""
    try:
        action()
    except Conflict as refusal:
        messages.error(request, refusal.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("matching:schedule", slug=slug)


@login_required
@methods("POST")
def schedule_run_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = organised_event(slug=slug, user=request.user)
    actor = signed_in(request.user)

    def run() -> None:
        schedule_run(event=event, actor=actor)
        messages.success(request, _("The schedule is being computed."))

    return _done(request, slug, run)


@login_required
@methods("POST")
def schedule_publish_view(request: HttpRequest, slug: str) -> HttpResponse:
    event = organised_event(slug=slug, user=request.user)
    schedule = schedule_of(event=event)
    if schedule is None:
        raise Http404
    actor = signed_in(request.user)

    def publish() -> None:
        schedule_publish(schedule=schedule, actor=actor)
        messages.success(request, _("The schedule is published; every party was told."))

    return _done(request, slug, publish)


def _meeting(request: HttpRequest, slug: str, pk: int) -> ScheduledMeeting:
    event = organised_event(slug=slug, user=request.user)
    return get_object_or_404(
        ScheduledMeeting.objects.select_related("schedule", "enterprise", "institution"),
        pk=pk,
        schedule__event=event,
    )


@login_required
@methods("POST")
def meeting_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, slug, pk)
    form = MeetingSlotForm(request.POST, event_id=meeting.schedule.event_id)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("slot", [])))
        return redirect("matching:schedule", slug=slug)
    actor = signed_in(request.user)

    def move() -> None:
        schedule_meeting_move(meeting=meeting, slot=form.cleaned_data["slot"], actor=actor)
        messages.success(request, _("The meeting was moved."))

    return _done(request, slug, move)


@login_required
@methods("POST")
def meeting_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, slug, pk)
    actor = signed_in(request.user)

    def remove() -> None:
        schedule_meeting_remove(meeting=meeting, actor=actor)
        messages.success(request, _("The meeting was removed."))

    return _done(request, slug, remove)
