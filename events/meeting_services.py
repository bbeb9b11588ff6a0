"""Writes for 1:1 meetings at events: organisers lay out the time slots,
enterprises ask institutions for a meeting, institutions accept (in a slot
free for both) or decline, either party cancels, and someone who was there
records the outcome.

Every status change is a move of the declared workflow
(`events.meeting_workflows.MEETING`): it locks the meeting row, checks the
actor's side and the status, saves the fields it changed, writes one history
row and tells the other party. A refused change raises Conflict (409),
PermissionDenied for the wrong party or ValidationError for bad input, and the
transaction rolled back, nothing has changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.services import notification_send
from core.exceptions import Conflict
from core.workflow import Change
from enterprises.models import Enterprise, EnterpriseMembership
from events.access import can_organise
from events.figures import event_figures_changed
from events.meeting_selectors import (
    ACTIVE_REGISTRATION,
    BOOKED,
    ENTERPRISE,
    INSTITUTION,
    active_registration,
    is_booked,
    slot_label,
)
from events.meeting_workflows import MEETING, REQUEST_NOTICE
from events.models import Event, EventSlot, Meeting, Registration
from products.models import Institution

_M = Meeting.Status
OPEN = (_M.REQUESTED, _M.ACCEPTED, _M.HELD)


def _later(make: Callable[[], str]) -> str:
    """A lazy string (django.utils.functional.lazy): rendered in each
    recipient's language when the notification is made."""
    return lazy(make, str)()


# --- slots


@transaction.atomic
def slot_create(
    *, event: Event, actor: User, starts_at: dt.datetime, ends_at: dt.datetime
) -> EventSlot:
    """A time slot for meetings, within the event's hours."""
    if not can_organise(user=actor, event=event):
        raise PermissionDenied(_("Only the event's organisers may lay out its meeting slots."))
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("A slot must end after it starts.")
    elif starts_at < event.starts_at or ends_at > event.ends_at:
        errors["starts_at"] = _("A slot must lie within the event's hours.")
    elif EventSlot.objects.filter(event=event, starts_at=starts_at).exists():
        errors["starts_at"] = _("The event already has a slot starting then.")
    if errors:
        raise ValidationError(errors)
    slot = EventSlot(event=event, starts_at=starts_at, ends_at=ends_at)
    slot.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            slot.save()
    except IntegrityError:
        # Another organiser added the same slot a moment ago.
        raise ValidationError(
            {"starts_at": _("The event already has a slot starting then.")}
        ) from None
    return slot


@transaction.atomic
def slot_delete(*, slot: EventSlot, actor: User) -> None:
    """Remove a slot no meeting is booked in."""
    if not can_organise(user=actor, event=slot.event):
        raise PermissionDenied(_("Only the event's organisers may lay out its meeting slots."))
    locked = EventSlot.objects.select_for_update().get(pk=slot.pk)
    if locked.meetings.filter(status__in=OPEN).exists():
        raise Conflict(
            _("Meetings are booked or asked for in this slot: it cannot be removed."),
            code="slot_in_use",
        )
    locked.delete()


# --- notifications


def _members_of(*, sides: Iterable[str], meeting: Meeting) -> Iterable[User]:
    rule = Q(pk__in=[])
    if ENTERPRISE in sides:
        rule |= Q(enterprise_memberships__enterprise_id=meeting.enterprise_id)
    if INSTITUTION in sides:
        rule |= Q(institution_memberships__institution_id=meeting.institution_id)
    return User.objects.filter(rule).distinct()


def _notify(
    *,
    meeting: Meeting,
    kind: str,
    notice: tuple[Promise, Promise] | None,
    to: Iterable[str],
    actor: User | None,
    note: str = "",
) -> None:
    subject, body = notice or ("", "")
    with translation.override(settings.LANGUAGE_CODE):  # links without a language prefix
        link = reverse("meetings:detail", args=[meeting.pk])
    slot = meeting.slot
    notification_send(
        recipients=[
            u for u in _members_of(sides=to, meeting=meeting) if actor is None or u.pk != actor.pk
        ],
        kind=f"meeting-{kind}",
        subject=subject,
        body=body,
        params={
            "enterprise": _later(lambda: meeting.enterprise.name),
            "institution": _later(lambda: meeting.institution.name),
            "event": _later(lambda: meeting.event.title),
            "when": f" ({slot_label(slot)})" if slot else "",
            "note": note,
        },
        link=link,
    )


# --- the meeting's moves


@contextmanager
def _transition(
    *, meeting: Meeting, action: str, actor: User | None, note: str = "", check_side: bool = True
) -> Iterator[Change[Meeting]]:
    """A meeting move: the workflow's own steps (lock, side, status, history),
    then the event's figures go stale. The database's one-meeting-per-slot
    rule is the last word when two acceptances race: the move's savepoint is
    rolled back and the answer is 409, not 500."""
    try:
        with MEETING.move(
            meeting, action=action, actor=actor, note=note, check_side=check_side
        ) as change:
            yield change
            event_figures_changed(event_id=change.obj.event_id)
    except IntegrityError:
        raise Conflict(
            _("One of the two already has a meeting in this slot."), code="slot_taken"
        ) from None


def _check_free(*, slot: EventSlot, meeting: Meeting) -> None:
    if is_booked(slot=slot, enterprise_id=meeting.enterprise_id):
        raise Conflict(
            _("%(party)s already has a meeting in the slot %(slot)s.")
            % {"party": meeting.enterprise.name, "slot": slot_label(slot)},
            code="slot_taken",
        )
    if is_booked(slot=slot, institution_id=meeting.institution_id):
        raise Conflict(
            _("%(party)s already has a meeting in the slot %(slot)s.")
            % {"party": meeting.institution.name, "slot": slot_label(slot)},
            code="slot_taken",
        )


def _lock_institution_registration(meeting: Meeting) -> Registration | None:
    """The institution's standing registration for the meeting's event, locked.
    Taken before the meeting's own lock, in the order cancelling a
    registration takes them (registration, then its meetings)."""
    return (
        Registration.objects.select_for_update(of=("self",))
        .filter(
            event_id=meeting.event_id,
            institution_id=meeting.institution_id,
            status__in=ACTIVE_REGISTRATION,
        )
        .first()
    )


def _check_cap(meeting: Meeting, registration: Registration | None) -> None:
    """An institution that capped its meetings at the event (its registration's
    `max_meetings`) is not booked beyond the cap; the registration is locked,
    so two acceptances cannot both take the last place."""
    if registration is None or registration.max_meetings is None:
        return
    booked = (
        Meeting.objects.filter(
            event_id=meeting.event_id, institution_id=meeting.institution_id, status__in=BOOKED
        )
        .exclude(pk=meeting.pk)
        .count()
    )
    if booked >= registration.max_meetings:
        raise Conflict(
            ngettext(
                "%(party)s takes at most %(count)d meeting at this event, and it is booked.",
                "%(party)s takes at most %(count)d meetings at this event, and all are booked.",
                registration.max_meetings,
            )
            % {"party": meeting.institution.name, "count": registration.max_meetings},
            code="meetings_full",
        )


def _slot_of(event: Event, slot: EventSlot | None) -> EventSlot | None:
    if slot is not None and slot.event_id != event.pk:
        raise ValidationError({"slot": _("The slot belongs to another event.")})
    return slot


@transaction.atomic
def meeting_request(
    *,
    event: Event,
    actor: User,
    enterprise: Enterprise,
    institution: Institution,
    slot: EventSlot | None = None,
    note: str = "",
) -> Meeting:
    """An enterprise asks an institution registered for the same event for a
    meeting, in a slot it prefers or leaving the slot to the institution."""
    if not EnterpriseMembership.objects.filter(user=actor, enterprise=enterprise).exists():
        raise PermissionDenied(_("Only the members of the enterprise may ask for its meetings."))
    if event.status != Event.Status.PUBLISHED:
        raise Conflict(_("This event is not open."), code="event_not_open")
    slot = _slot_of(event, slot)
    errors = {}
    if active_registration(event=event, enterprise_id=enterprise.pk) is None:
        errors["enterprise"] = _("Register for the event before asking for meetings there.")
    if active_registration(event=event, institution_id=institution.pk) is None:
        errors["institution"] = _("This institution is not registered for the event.")
    if errors:
        raise ValidationError(errors)
    if Meeting.objects.filter(
        event=event, enterprise=enterprise, institution=institution, status__in=OPEN
    ).exists():
        raise Conflict(_("These two already have a meeting at this event."), code="already_asked")
    meeting = Meeting(
        event=event,
        enterprise=enterprise,
        institution=institution,
        slot=slot,
        status=_M.REQUESTED,
        source=Meeting.Source.REQUESTED,
        note=note.strip(),
        requested_by=actor,
    )
    if slot is not None:
        _check_free(slot=slot, meeting=meeting)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        raise Conflict(
            _("These two already have a meeting at this event."), code="already_asked"
        ) from None
    MEETING.created(meeting, actor=actor, note=meeting.note)
    _notify(
        meeting=meeting,
        kind="request",
        notice=REQUEST_NOTICE,
        to=[INSTITUTION],
        actor=actor,
        note=meeting.note,
    )
    return meeting


@MEETING.performs("accept")
@transaction.atomic
def meeting_accept(
    *, meeting: Meeting, actor: User, slot: EventSlot | None = None, note: str = ""
) -> Meeting:
    """The institution accepts, in the slot asked for or one it picks; the
    slot must be free for both parties and the institution not booked up."""
    registration = _lock_institution_registration(meeting)
    with _transition(meeting=meeting, action="accept", actor=actor, note=note) as change:
        locked = change.obj
        slot = _slot_of(locked.event, slot) or locked.slot
        if slot is None:
            raise ValidationError({"slot": _("Choose a slot for the meeting.")})
        _check_free(slot=slot, meeting=locked)
        _check_cap(locked, registration)
        change.set(slot=slot)
        _notify(
            meeting=locked,
            kind="accept",
            notice=change.action.notice,
            to=[ENTERPRISE],
            actor=actor,
            note=note,
        )
    return change.obj


@MEETING.performs("decline")
@transaction.atomic
def meeting_decline(*, meeting: Meeting, actor: User, note: str = "") -> Meeting:
    note = note.strip()
    with _transition(meeting=meeting, action="decline", actor=actor, note=note) as change:
        _notify(
            meeting=change.obj,
            kind="decline",
            notice=change.action.notice,
            to=[ENTERPRISE],
            actor=actor,
            note=note,
        )
    return change.obj


@MEETING.performs("cancel")
@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User, note: str = "") -> Meeting:
    """Either party calls the meeting off; the slot is free again and the
    other party is told (both, when the actor acts for both)."""
    note = note.strip()
    with _transition(meeting=meeting, action="cancel", actor=actor, note=note) as change:
        sides = MEETING.sides_of(change.obj, actor)
        _notify(
            meeting=change.obj,
            kind="cancel",
            notice=change.action.notice,
            to={ENTERPRISE, INSTITUTION} - sides or {ENTERPRISE, INSTITUTION},
            actor=actor,
            note=note,
        )
    return change.obj


@MEETING.performs("outcome")
@transaction.atomic
def meeting_record_outcome(
    *, meeting: Meeting, actor: User, outcome: str, note: str = ""
) -> Meeting:
    """What came of an accepted meeting; recording it marks the meeting held.
    The parties or the event's organisers record it, and may correct it."""
    if outcome not in Meeting.Outcome.values or outcome == Meeting.Outcome.PENDING:
        raise ValidationError({"outcome": _("Choose what came of the meeting.")})
    note = note.strip()
    with _transition(meeting=meeting, action="outcome", actor=actor, note=note) as change:
        change.set(outcome=outcome)
        if note:
            change.set(note="\n".join(filter(None, [change.obj.note, note])))
    return change.obj


@MEETING.performs("call-off")
@transaction.atomic
def meeting_call_off(
    *, meeting: Meeting, actor: User | None, registration: Registration
) -> Meeting:
    """The party of the cancelled registration no longer comes: the meeting is
    called off and the other party told. It follows the registration's
    cancellation, whose service has checked who acts."""
    note = str(_("The registration for the event was cancelled."))
    with _transition(
        meeting=meeting, action="call-off", actor=actor, note=note, check_side=False
    ) as change:
        _notify(
            meeting=change.obj,
            kind="cancel",
            notice=change.action.notice,
            to=[INSTITUTION if registration.enterprise_id else ENTERPRISE],
            actor=actor,
            note=note,
        )
    return change.obj


@transaction.atomic
def meetings_cancel_for_registration(*, registration: Registration, actor: User | None) -> int:
    """When a registration is cancelled, its party's open meetings at the event
    are called off and the other parties told. For the registration
    workflow to call; returns how many meetings were cancelled."""
    party = (
        Q(enterprise_id=registration.enterprise_id)
        if registration.enterprise_id
        else Q(institution_id=registration.institution_id)
    )
    # Locked at once, after the registration, as accepting a meeting takes them.
    meetings = list(
        Meeting.objects.select_for_update(of=("self",))
        .filter(
            party, event_id=registration.event_id, status__in=MEETING.actions["call-off"].sources
        )
        .order_by("pk")  # not the default order by slot time: no outer join to lock
    )
    for meeting in meetings:
        meeting_call_off(meeting=meeting, actor=actor, registration=registration)
    return len(meetings)


@MEETING.performs("cancel-with-event")
@transaction.atomic
def meeting_cancel_with_event(*, meeting: Meeting, actor: User | None, reason: str) -> Meeting:
    """The event is cancelled: its open meeting is too. The event's
    cancellation has checked who acts and tells both parties."""
    with _transition(
        meeting=meeting, action="cancel-with-event", actor=actor, note=reason, check_side=False
    ) as change:
        pass
    return change.obj


@transaction.atomic
def meetings_cancel_for_event(*, event: Event, actor: User | None, reason: str) -> int:
    """Cancel every open meeting of a cancelled event; how many there were."""
    meetings = list(
        Meeting.objects.select_for_update(of=("self",))
        .filter(event_id=event.pk, status__in=MEETING.actions["cancel-with-event"].sources)
        .order_by("pk")
    )
    for meeting in meetings:
        meeting_cancel_with_event(meeting=meeting, actor=actor, reason=reason)
    return len(meetings)
