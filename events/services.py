"""Writes for campaigns, events and registrations (issue 4).

Events and registrations move through their declared workflows
(events.workflows: EVENT, REGISTRATION), one named service per action. Each
move locks the row, checks who asks and that the status allows it, saves the
changed fields and writes a history row; the event's figures are recounted
and mail goes after commit. Refusals that are about the status answer
`move_not_allowed`; the others (a full event, a closed registration, a second
check-in) keep their own codes.

Places are counted under a lock on the event row: every write that takes or
frees a place (register, cancel, a new capacity) locks the event first and
the registration second, so two people never take the last place and a freed
place goes to exactly one person on the waiting list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import RegulatorOffice, User
from accounts.selectors import regulator_jurisdiction
from accounts.services import notification_send
from core.exceptions import Conflict
from core.models import Province
from core.workflow import Change
from enterprises.models import Enterprise, EnterpriseMembership
from enterprises.services import require_verified
from events.access import can_create_events, can_organise, managed_parks
from events.figures import event_figures_changed
from events.meeting_services import meetings_cancel_for_event, meetings_cancel_for_registration
from events.meeting_workflows import MEETING
from events.models import SEATED_STATUSES, Campaign, Event, EventKind, Registration
from events.workflows import (
    AWAITING_APPROVAL_NOTICE,
    EVENT,
    REGISTRATION,
    WAITLISTED_NOTICE,
)
from parks.models import Park
from products.models import Institution, InstitutionMembership, Product

_R = Registration.Status
_E = Event.Status

# What an organiser may set on an event; status, counts and authorship are the workflow's.
EVENT_FIELDS = frozenset(
    {
        "campaign",
        "title_zh",
        "title_en",
        "description_zh",
        "description_en",
        "agenda",
        "host_province",
        "city_zh",
        "city_en",
        "venue",
        "starts_at",
        "ends_at",
        "format",
        "capacity",
        "registration_deadline",
        "requires_approval",
    }
)
EVENT_RELATED = {
    "kinds": EventKind,
    "parks": Park,
    "featured_products": Product,
    "participating_provinces": Province,
}


# --- helpers


def _later(make: Any) -> Any:
    """A text made when the notification is rendered, in its reader's language."""
    return lazy(make, str)()


def _link(name: str, *args: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # links without a language prefix
        return reverse(name, args=args)


def _ensure_organiser(*, event: Event, actor: User) -> None:
    if not can_organise(user=actor, event=event):
        raise PermissionDenied(_("Only the event's organisers may do this."))


def _locked_event(event: Event) -> Event:
    return Event.objects.select_for_update(of=("self",)).get(pk=event.pk)


def party_members(registration: Registration) -> Iterable[User]:
    if registration.enterprise_id:
        return User.objects.filter(enterprise_memberships__enterprise_id=registration.enterprise_id)
    if registration.institution_id:
        return User.objects.filter(
            institution_memberships__institution_id=registration.institution_id
        )
    return User.objects.none()  # not saved: the constraint names exactly one party


def registrant_recipients(registration: Registration) -> list[User]:
    """Who hears about a registration: the person who made it while they
    still act for the party, else everyone who does."""
    by = registration.registered_by
    if by is not None and by.is_active and by in party_members(registration):
        return [by]
    return list(party_members(registration))


def seats_taken(event: Event) -> int:
    return event.registrations.filter(status__in=SEATED_STATUSES).count()


def _resolve_related(values: dict[str, Any]) -> tuple[dict[str, list[Any]], dict[str, str]]:
    resolved: dict[str, list[Any]] = {}
    errors: dict[str, str] = {}
    for name, given in values.items():
        keys = {v.pk if hasattr(v, "pk") else v for v in given or ()}
        rows = list(EVENT_RELATED[name]._default_manager.filter(pk__in=keys))
        if len(rows) != len(keys):
            errors[name] = _("Choose from the list.")
        resolved[name] = rows
    return resolved, errors


def _check_event(
    event: Event, *, related: dict[str, list[Any]], errors: dict[str, str], actor: User
) -> None:
    """Model validation, the many-to-many rules and what the actor may set up,
    reported together."""
    messages: dict[str, list[str]] = {}
    try:
        event.full_clean(exclude=["slug"])
    except ValidationError as error:
        messages = dict(error.message_dict)
    for name, message in errors.items():
        messages.setdefault(name, []).append(message)
    if "kinds" in related and not related["kinds"]:
        messages.setdefault("kinds", []).append(_("Choose at least one kind."))
    if "parks" in related and not related["parks"]:
        messages.setdefault("parks", []).append(_("Choose at least one park."))
    unpublished = [
        p for p in related.get("featured_products", []) if p.status != Product.Status.PUBLISHED
    ]
    if unpublished:
        messages.setdefault("featured_products", []).append(
            _("Only published products can be featured: %(names)s.")
            % {"names": ", ".join(p.name for p in unpublished)}
        )
    if event.capacity == 0:
        messages.setdefault("capacity", []).append(
            _("Give at least one place, or leave it empty for no limit.")
        )
    # Who may set up an event where: regulators within their provinces; park
    # managers at their own parks only.
    jurisdiction = regulator_jurisdiction(user=actor)
    if jurisdiction is not None:
        if event.host_province_id and not jurisdiction.covers(event.host_province_id):
            messages.setdefault("host_province", []).append(
                _("You may only set up events in your own province.")
            )
    else:
        parks = related["parks"] if "parks" in related else list(event.parks.all())
        own = set(managed_parks(user=actor).values_list("pk", flat=True))
        if any(p.pk not in own for p in parks):
            messages.setdefault("parks", []).append(
                _("You may only set up events at the parks you manage.")
            )
        elif parks and event.host_province_id not in {p.province_id for p in parks}:
            messages.setdefault("host_province", []).append(
                _("The host province is the province of the parks.")
            )
    if messages:
        raise ValidationError(messages)


def _unique_slug(event: Event) -> str:
    when = event.starts_at  # checked by _check_event: an event has its start
    base = slugify(f"{when:%Y-%m-%d}-{event.title_en or event.title_zh}")[:90].strip("-")
    if base == f"{when:%Y-%m-%d}":
        base = f"{base}-event"
    slug, n = base, 1
    while Event.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- campaigns


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    name_zh: str,
    starts_on: dt.date,
    ends_on: dt.date,
    name_en: str = "",
    description_zh: str = "",
    description_en: str = "",
    is_public: bool = True,
    slug: str = "",
) -> Campaign:
    """A series of events. The actor's regulator offices become its organisers."""
    if not can_create_events(user=actor):
        raise PermissionDenied(_("Only regulators and park managers may create campaigns."))
    campaign = Campaign(
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        description_zh=description_zh,
        description_en=description_en,
        starts_on=starts_on,
        ends_on=ends_on,
        is_public=is_public,
        slug=slug or slugify(f"{starts_on:%Y}-{name_en or 'campaign'}")[:70],
    )
    if not slug:
        base, n = campaign.slug, 1
        while Campaign.objects.filter(slug=campaign.slug).exists():
            n += 1
            campaign.slug = f"{base}-{n}"
    try:
        campaign.full_clean()
    except ValidationError as error:
        if "__all__" in error.message_dict:  # the dates check constraint
            raise ValidationError(
                {"ends_on": _("A campaign cannot end before it starts.")}
            ) from None
        raise
    campaign.save()
    campaign.organisers.set(RegulatorOffice.objects.filter(memberships__user=actor))
    return campaign


@transaction.atomic
def campaign_feature(*, campaign: Campaign, actor: User) -> Campaign:
    """Make the campaign the featured one: the home page shows its figures and
    the dashboard opens on it. A national regulator's choice; only a public
    campaign, as visitors read the home page."""
    jurisdiction = regulator_jurisdiction(user=actor)
    if jurisdiction is None or not jurisdiction.national:
        raise PermissionDenied(_("Only national regulators choose the featured campaign."))
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not locked.is_public:
        raise ValidationError(
            {"campaign": _("Only a campaign whose figures visitors may read can be featured.")}
        )
    Campaign.objects.filter(is_featured=True).exclude(pk=locked.pk).update(is_featured=False)
    if not locked.is_featured:
        locked.is_featured = True
        locked.save(update_fields=["is_featured"])
    return locked


# --- events


@transaction.atomic
def event_create(*, actor: User, slug: str = "", **fields: Any) -> Event:
    """A draft event. Many-to-manys (kinds, parks, featured_products,
    participating_provinces) are lists of rows or primary keys. A regulator's
    offices become the event's organisers. Its code (`slug`) is made from its
    date and title unless given (a bureau's report names its events)."""
    if not can_create_events(user=actor):
        raise PermissionDenied(_("Only regulators and park managers may create events."))
    unknown = set(fields) - EVENT_FIELDS - set(EVENT_RELATED)
    if unknown:
        raise TypeError(f"not event fields: {', '.join(sorted(unknown))}")
    related_given = {name: fields.pop(name, None) or [] for name in EVENT_RELATED}
    related, errors = _resolve_related(related_given)
    event = Event(**fields, status=_E.DRAFT, created_by=actor)
    if slug and Event.objects.filter(slug=slug).exists():
        errors["slug"] = _("Another event already has this code.")
    _check_event(event, related=related, errors=errors, actor=actor)
    event.slug = slug or _unique_slug(event)
    event.save()
    for name, rows in related.items():
        getattr(event, name).set(rows)
    event.organisers.set(RegulatorOffice.objects.filter(memberships__user=actor))
    EVENT.created(event, actor=actor)
    return event


@transaction.atomic
def event_update(*, event: Event, actor: User, **fields: Any) -> Event:
    """Change what the organiser may set. A larger capacity gives the new
    places to the waiting list; a capacity below the places already taken is
    refused."""
    _ensure_organiser(event=event, actor=actor)
    unknown = set(fields) - EVENT_FIELDS - set(EVENT_RELATED)
    if unknown:
        raise TypeError(f"not event fields: {', '.join(sorted(unknown))}")
    locked = _locked_event(event)
    if locked.status == _E.CANCELLED:
        raise Conflict(_("A cancelled event cannot be changed."), code="event_cancelled")
    related_given = {name: fields.pop(name) for name in list(fields) if name in EVENT_RELATED}
    related, errors = _resolve_related(related_given)
    before = {name: getattr(locked, name) for name in EVENT_FIELDS if name != "campaign"}
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_event(locked, related=related, errors=errors, actor=actor)
    taken = seats_taken(locked)
    if locked.capacity is not None and locked.capacity < taken:
        raise ValidationError(
            {
                "capacity": _("%(taken)s places are already taken; the capacity cannot be lower.")
                % {"taken": taken}
            }
        )
    moved = [
        name
        for name in ("starts_at", "ends_at", "venue", "city_zh", "city_en")
        if getattr(locked, name) != before[name]
    ]
    locked.save()
    for name, rows in related.items():
        getattr(locked, name).set(rows)
    _promote_waiting(locked)
    event_figures_changed(event_id=locked.pk)
    if moved and locked.status == _E.PUBLISHED:
        _tell_registrants_of_change(locked)
    return locked


def _tell_registrants_of_change(event: Event) -> None:
    when = timezone.localtime(event.starts_at)
    notification_send(
        recipients=_registrants_of(event),
        kind="event-changed",
        subject=gettext_lazy("Changed: %(event)s"),
        body=gettext_lazy(
            "“%(event)s” now takes place on %(date)s at %(time)s, %(place)s. "
            "Download the calendar file again from the event's page to update your calendar."
        ),
        params={
            "event": _later(lambda: event.title),
            "date": f"{when:%Y-%m-%d}",
            "time": f"{when:%H:%M}",
            "place": _later(lambda: ", ".join(p for p in (event.venue, event.city) if p)),
        },
        link=_link("events:detail", event.slug),
    )


def _registrants_of(event: Event) -> QuerySet[User]:
    """Everyone acting for a party still registered for the event."""
    registrations = event.registrations.exclude(status=_R.CANCELLED)
    return User.objects.filter(
        Q(enterprise_memberships__enterprise__registrations__in=registrations)
        | Q(institution_memberships__institution__registrations__in=registrations)
    ).distinct()


def _meeting_parties_of(event: Event) -> QuerySet[User]:
    """Everyone acting for a party with an open meeting at the event."""
    meetings = event.meetings.filter(status__in=MEETING.actions["cancel-with-event"].sources)
    return User.objects.filter(
        Q(enterprise_memberships__enterprise__meetings__in=meetings)
        | Q(institution_memberships__institution__meetings__in=meetings)
    ).distinct()


@contextmanager
def _event_move(
    event: Event, *, action: str, actor: User, note: str = ""
) -> Iterator[Change[Event]]:
    """An event move: the workflow's own steps, then the figures are recounted."""
    with EVENT.move(event, action=action, actor=actor, note=note) as change:
        yield change
        event_figures_changed(event_id=change.obj.pk)


@EVENT.performs("publish")
@transaction.atomic
def event_publish(*, event: Event, actor: User, note: str = "") -> Event:
    """The event appears in the public list and opens for registration."""
    with _event_move(event, action="publish", actor=actor, note=note) as change:
        pass
    return change.obj


@EVENT.performs("cancel")
@transaction.atomic
def event_cancel(*, event: Event, actor: User, reason: str) -> Event:
    """Cancel with a reason: its registrations and open meetings are cancelled
    with it, and everyone who was registered or had a meeting there is told,
    each in their own language."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the event is cancelled.")})
    with _event_move(event, action="cancel", actor=actor, note=reason) as change:
        locked = change.obj
        # Who to tell, read before their registrations and meetings are cancelled.
        recipients = [*_registrants_of(locked), *_meeting_parties_of(locked)]
        for registration in locked.registrations.filter(
            status__in=REGISTRATION.actions["cancel-with-event"].sources
        ).order_by("pk"):
            registration_cancel_with_event(registration=registration, actor=actor, reason=reason)
        meetings_cancel_for_event(event=locked, actor=actor, reason=reason)
        subject, body = EVENT.actions["cancel"].notice or ("", "")
        notification_send(
            recipients=recipients,
            kind="event-cancelled",
            subject=subject,
            body=body,
            params={
                "event": _later(lambda: locked.title),
                "date": f"{timezone.localtime(locked.starts_at):%Y-%m-%d}",
                "reason": reason,
            },
            link=_link("events:detail", locked.slug),
        )
    return locked


@transaction.atomic
def event_report_participants(
    *,
    event: Event,
    actor: User,
    participants_online: int | None,
    participants_offline: int | None,
) -> Event:
    """After the event: the organiser records how many took part online and on
    site. A count left out is refused with the field's message."""
    _ensure_organiser(event=event, actor=actor)
    locked = _locked_event(event)
    if locked.status != _E.PUBLISHED:
        raise Conflict(
            _("Only a published event that took place has participants to report."),
            code="event_not_published",
        )
    if locked.starts_at > timezone.now():
        raise Conflict(
            _("Participants can be reported once the event has started."),
            code="event_not_started",
        )
    errors = {
        name: _("Enter a number of zero or more.")
        for name, value in (
            ("participants_online", participants_online),
            ("participants_offline", participants_offline),
        )
        if value is None or value < 0
    }
    if errors or participants_online is None or participants_offline is None:
        raise ValidationError(errors)
    locked.participants_online = participants_online
    locked.participants_offline = participants_offline
    locked.save(update_fields=["participants_online", "participants_offline", "updated_at"])
    event_figures_changed(event_id=locked.pk)
    return locked


# --- registrations


@contextmanager
def _registration_move(
    registration: Registration, *, action: str, actor: User | None, note: str = ""
) -> Iterator[Change[Registration]]:
    """A registration move, its event row locked by the caller when the move
    takes or frees a place: the workflow's own steps, then the figures are
    recounted and the registrant is told."""
    with REGISTRATION.move(registration, action=action, actor=actor, note=note) as change:
        yield change
        event_figures_changed(event_id=change.obj.event_id)
        move = REGISTRATION.actions[action]
        _tell_registrant(change.obj, status=move.to, notice=move.notice)


def _tell_registrant(
    registration: Registration,
    *,
    status: str,
    notice: tuple[Promise, Promise] | None,
) -> None:
    """After commit: a confirmation with the calendar file when a place is
    confirmed; otherwise the notice, if the registration's new status has one."""
    from events.tasks import send_registration_confirmation

    if status == _R.CONFIRMED:
        transaction.on_commit(lambda: send_registration_confirmation.delay(registration.pk))
        return
    if notice is None:
        return
    subject, body = notice
    event = registration.event
    notification_send(
        recipients=registrant_recipients(registration),
        kind=f"registration-{status}",
        subject=subject,
        body=body,
        params={"event": _later(lambda: event.title)},
        link=_link("events:registration", registration.code),
    )


# What a new registration's party is told, by the status it starts in.
ON_REGISTERING: dict[str, tuple[Promise, Promise]] = {
    _R.WAITLISTED: WAITLISTED_NOTICE,
    _R.REGISTERED: AWAITING_APPROVAL_NOTICE,
}


# The history's note on a promotion from the waiting list.
PLACE_CAME_FREE = gettext_lazy("A place came free.")


@REGISTRATION.performs("cancel-with-event")
@transaction.atomic
def registration_cancel_with_event(
    *, registration: Registration, actor: User, reason: str
) -> Registration:
    """The event is cancelled: so is the registration. The event's
    cancellation has checked who acts, locked the event and tells the
    registrant; nobody is promoted from the waiting list."""
    with REGISTRATION.move(
        registration, action="cancel-with-event", actor=actor, note=reason, check_side=False
    ) as change:
        event_figures_changed(event_id=change.obj.event_id)
    return change.obj


@REGISTRATION.performs("promote")
def registration_promote(*, registration: Registration, actor: None = None) -> Registration:
    """A place came free: the portal confirms the registration from the
    waiting list. The caller holds the lock on the event row and has counted
    the free places (`_promote_waiting`)."""
    with _registration_move(
        registration, action="promote", actor=actor, note=str(PLACE_CAME_FREE)
    ) as change:
        pass
    return change.obj


@REGISTRATION.performs("promote-for-approval")
def registration_promote_for_approval(
    *, registration: Registration, actor: None = None
) -> Registration:
    """A place came free at an event that approves each registration: the
    registration leaves the waiting list to await the organiser's approval.
    The caller holds the lock on the event row (`_promote_waiting`)."""
    with _registration_move(
        registration, action="promote-for-approval", actor=actor, note=str(PLACE_CAME_FREE)
    ) as change:
        pass
    return change.obj


def _promote_waiting(event: Event) -> list[Registration]:
    """Give free places to the waiting list, first come first served. The
    caller holds the lock on the event row."""
    if event.status != _E.PUBLISHED:
        return []
    promote = registration_promote_for_approval if event.requires_approval else registration_promote
    free = None if event.capacity is None else event.capacity - seats_taken(event)
    waiting = event.registrations.filter(status=_R.WAITLISTED).order_by("created_at", "id")
    return [
        promote(registration=registration)
        for registration in (waiting[:free] if free is not None else waiting)
    ]


def registration_opens_until(event: Event) -> dt.datetime:
    return event.registration_deadline or event.starts_at


def registration_refusal(event: Event) -> Conflict | None:
    """Why no one may register for `event` now, in the one sentence the page
    shows and the service refuses with; None while registration is open. A
    draft is not published yet (its registration has not opened, so it has
    not closed either); a cancelled event takes none; a published one until
    its deadline (or its start)."""
    if event.status == _E.DRAFT:
        return Conflict(
            _("This event is not published yet: registration opens when it is."),
            code="event_not_open",
        )
    if event.status == _E.CANCELLED:
        return Conflict(
            _("This event is cancelled: it takes no registrations."), code="event_not_open"
        )
    if timezone.now() > registration_opens_until(event):
        return Conflict(_("Registration for this event has closed."), code="registration_closed")
    return None


@transaction.atomic
def registration_create(
    *,
    event: Event,
    actor: User,
    enterprise: Enterprise | None = None,
    institution: Institution | None = None,
    need_amount: Decimal | None = None,
    need_term_months: int | None = None,
    max_meetings: int | None = None,
    note: str = "",
    reported: bool = False,
    status: str | None = None,
) -> Registration:
    """Register an enterprise or an institution the actor acts for. With a
    place free it is confirmed (or awaits the organiser's approval when the
    event asks for it); a full event puts it on the waiting list.

    `reported`: an organiser of the event reports a registration after the
    fact (a provincial bureau's import). The party need not act, the deadline
    and the capacity do not apply (what happened is reported), it starts
    confirmed (or in the initial `status` reported) and nobody is mailed."""
    if (enterprise is None) == (institution is None):
        raise ValidationError(_("Register either an enterprise or an institution."))
    if reported:
        _ensure_organiser(event=event, actor=actor)
    elif (
        enterprise is not None
        and not EnterpriseMembership.objects.filter(user=actor, enterprise=enterprise).exists()
    ):
        raise PermissionDenied(_("Only the members of the enterprise may register it."))
    elif (
        institution is not None
        and not InstitutionMembership.objects.filter(user=actor, institution=institution).exists()
    ):
        raise PermissionDenied(_("Only the officers of the institution may register it."))
    if enterprise is not None and not reported:
        # What a bureau reports has happened; only registering anew asks for it.
        require_verified(enterprise=enterprise, doing=_("register for events"))
    errors = _need_errors(
        enterprise=enterprise, need_amount=need_amount, need_term_months=need_term_months
    )
    if enterprise is not None and max_meetings is not None:
        errors["max_meetings"] = _("Only institutions cap their meetings.")
    if reported and status is not None and status not in REGISTRATION.initial:
        errors["status"] = _("A registration cannot start as “%(status)s”.") % {
            "status": REGISTRATION.label_of(status)
        }
    if errors:
        raise ValidationError(errors)

    locked = _locked_event(event)
    refusal = registration_refusal(locked)
    # An organiser reports who took part after the deadline, never at a draft
    # or a cancelled event.
    if refusal is not None and not (reported and refusal.code == "registration_closed"):
        raise refusal
    if reported:
        status = status or _R.CONFIRMED
    else:
        full = locked.capacity is not None and seats_taken(locked) >= locked.capacity
        status = _R.REGISTERED if locked.requires_approval else _R.CONFIRMED
        if full:
            status = _R.WAITLISTED
    registration = Registration(
        event=locked,
        enterprise=enterprise,
        institution=institution,
        need_amount=need_amount,
        need_term_months=need_term_months,
        max_meetings=max_meetings,
        note=(note or "").strip(),
        status=status,
        registered_by=actor,
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise Conflict(_("Already registered for this event."), code="already_registered") from None
    REGISTRATION.created(registration, actor=actor)
    event_figures_changed(event_id=locked.pk)
    if not reported:
        _tell_registrant(registration, status=status, notice=ON_REGISTERING.get(status))
    return registration


def _need_errors(
    *,
    enterprise: Enterprise | None,
    need_amount: Decimal | None,
    need_term_months: int | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if need_amount is not None and need_amount < 0:
        errors["need_amount"] = _("Enter an amount of zero or more.")
    if enterprise is None and (need_amount is not None or need_term_months is not None):
        errors["need_amount"] = _("Only enterprises state a financing need.")
    return errors


@transaction.atomic
def registration_report_need(
    *,
    registration: Registration,
    actor: User,
    need_amount: Decimal | None,
    need_term_months: int | None,
) -> Registration:
    """An organiser records the financing need an enterprise stated at the
    event (a bureau's report sent again with the need changed)."""
    _ensure_organiser(event=registration.event, actor=actor)
    errors = _need_errors(
        enterprise=registration.enterprise,
        need_amount=need_amount,
        need_term_months=need_term_months,
    )
    if errors:
        raise ValidationError(errors)
    locked = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    locked.need_amount = need_amount
    locked.need_term_months = need_term_months
    locked.full_clean(exclude=["event", "enterprise", "institution", "registered_by"])
    locked.save(update_fields=["need_amount", "need_term_months", "updated_at"])
    event_figures_changed(event_id=locked.event_id)
    return locked


@REGISTRATION.performs("approve")
@transaction.atomic
def registration_approve(
    *, registration: Registration, actor: User, note: str = ""
) -> Registration:
    """The organiser confirms a registration that awaited approval, or one
    from the waiting list while a place is free (the list's order is kept
    by promotion; this is for the organiser's own judgement)."""
    # Who asks first: only an organiser hears whether the event is full.
    REGISTRATION.check_side(registration, actor, "approve")
    event = _locked_event(registration.event)
    with _registration_move(registration, action="approve", actor=actor, note=note) as change:
        if (
            change.from_status == _R.WAITLISTED
            and event.capacity is not None
            and seats_taken(event) >= event.capacity
        ):
            raise Conflict(_("The event is full: no place is free."), code="event_full")
    return change.obj


@REGISTRATION.performs("cancel")
@transaction.atomic
def registration_cancel(*, registration: Registration, actor: User, note: str = "") -> Registration:
    """Cancelled by the party or by an organiser. A freed place goes to the
    first on the waiting list, who is told by email."""
    REGISTRATION.check_side(registration, actor, "cancel")
    event = _locked_event(registration.event)
    with _registration_move(registration, action="cancel", actor=actor, note=note) as change:
        pass
    cancelled = change.obj
    # A party that no longer comes meets no one: its open meetings are called off.
    meetings_cancel_for_registration(registration=cancelled, actor=actor)
    _promote_waiting(event)
    return cancelled


def parse_check_in_code(text: str) -> str:
    """The code typed at the desk, or read from the QR code: that holds the
    check-in page's address with `?code=…`."""
    text = (text or "").strip()
    if "code=" in text:
        text = text.rsplit("code=", 1)[1].split("&", 1)[0]
    return text.strip().upper()


# The desk opens this long before the event starts, and closes when it ends.
CHECK_IN_OPENS_BEFORE = dt.timedelta(hours=1)


# A check-in the registration's status does not allow, told more precisely
# than the workflow's refusal: the desk needs to know why (and, for a second
# check-in, when the first was).
CHECK_IN_REFUSALS: dict[str, tuple[str, Promise]] = {
    _R.CHECKED_IN: (
        "already_checked_in",
        gettext_lazy("%(party)s was already checked in at %(time)s."),
    ),
    _R.WAITLISTED: (
        "waitlisted",
        gettext_lazy("%(party)s is on the waiting list, not registered."),
    ),
    _R.REGISTERED: (
        "awaiting_approval",
        gettext_lazy("%(party)s still awaits the organiser's approval."),
    ),
    _R.CANCELLED: ("cancelled", gettext_lazy("%(party)s cancelled this registration.")),
}


@REGISTRATION.performs("check-in")
@transaction.atomic
def registration_check_in(
    *, registration: Registration, actor: User, at_the_desk: bool = False
) -> Registration:
    """Check a confirmed registration in at a published event, from an hour
    before it starts. At the desk (`registration_check_in_by_code`: the pages
    and the API) only while the event is under way, until it ends; an
    organiser's report of who came (the provincial import) may record it
    afterwards. A second check-in is refused with the time of the first."""
    REGISTRATION.check_side(registration, actor, "check-in")
    # Locked before its status is read, so two desks scanning one code at
    # once check it in once and the second hears when.
    locked = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event", "enterprise", "institution")
        .get(pk=registration.pk)
    )
    if locked.event.status != _E.PUBLISHED:
        raise Conflict(_("This event is not published."), code="event_not_open")
    now, opens = timezone.now(), locked.event.starts_at - CHECK_IN_OPENS_BEFORE
    if now < opens:
        raise Conflict(
            _("Check-in opens an hour before the event starts, at %(time)s.")
            % {"time": f"{timezone.localtime(opens):%Y-%m-%d %H:%M}"},
            code="event_not_open",
        )
    if at_the_desk and now > locked.event.ends_at:
        raise Conflict(_("This event is over: check-in is closed."), code="event_not_open")
    if locked.status in CHECK_IN_REFUSALS:
        code_name, message = CHECK_IN_REFUSALS[locked.status]
        when = locked.checked_in_at
        raise Conflict(
            message
            % {
                "party": locked.party.name,
                "time": f"{timezone.localtime(when):%H:%M}" if when else "",
            },
            code=code_name,
        )
    with _registration_move(locked, action="check-in", actor=actor) as change:
        change.set(checked_in_at=timezone.now())
    return change.obj


@transaction.atomic
def registration_check_in_by_code(*, event: Event, actor: User, code: str) -> Registration:
    """The desk: check in the registration for this event with this code
    (typed, or the QR code's link)."""
    _ensure_organiser(event=event, actor=actor)
    code = parse_check_in_code(code)
    if not code:
        raise ValidationError({"code": _("Enter the registration's code.")})
    registration = Registration.objects.filter(event=event, code=code).first()
    if registration is None:
        raise ValidationError(
            {"code": _("No registration for this event has the code %(code)s.") % {"code": code}}
        )
    return registration_check_in(registration=registration, actor=actor, at_the_desk=True)
