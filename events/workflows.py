"""The event and registration workflows, declared once (core.workflow).

Each action names the statuses it leaves from, the status it reaches, the
side that makes it (events.access: the event's organisers, the registration's
party, or the portal itself), its label, the form its input comes in and the
notice the registrant receives. The services in `events.services` make the
moves; the pages and the API find them here."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import User
from core.workflow import SYSTEM, Workflow, action, confirm
from events import forms
from events.access import ORGANISER, REGISTRANT, event_sides, registration_sides
from events.models import (
    SEATED_STATUSES,
    Event,
    EventStatusChange,
    Meeting,
    Registration,
    RegistrationStatusChange,
)

E = Event.Status
R = Registration.Status

NOT_AN_ORGANISER = _("Only the event's organisers may do this.")


# The workflows ask for the sides of signed-in users only: the portal's own.


def _event_sides(event: Event, user: AbstractBaseUser | AnonymousUser) -> set[str]:
    return event_sides(event=event, user=user) if isinstance(user, User) else set()


def _registration_sides(
    registration: Registration, user: AbstractBaseUser | AnonymousUser
) -> set[str]:
    if not isinstance(user, User):
        return set()
    return registration_sides(registration=registration, user=user)


# The meetings a cancellation calls off with it.
OPEN_MEETINGS = (Meeting.Status.REQUESTED, Meeting.Status.ACCEPTED)


def _event_cancellation(event: Event) -> dict[str, object]:
    """Who cancelling the event reaches: its registrations and open meetings."""
    return {
        "registrations": event.registrations.exclude(status=R.CANCELLED).count(),
        "meetings": event.meetings.filter(status__in=OPEN_MEETINGS).count(),
    }


def _registration_cancellation(registration: Registration) -> dict[str, object]:
    """What cancelling a registration frees: its place, for the first on the
    waiting list, and its party's open meetings at the event."""
    event = registration.event
    party = (
        {"enterprise_id": registration.enterprise_id}
        if registration.enterprise_id
        else {"institution_id": registration.institution_id}
    )
    seated = registration.status in SEATED_STATUSES
    return {
        "event": event.title,
        "waiting": event.registrations.filter(status=R.WAITLISTED).count() if seated else 0,
        "meetings": event.meetings.filter(status__in=OPEN_MEETINGS, **party).count(),
    }


# A draft is published or dropped; a published event may still be cancelled;
# a cancelled one stays cancelled.
EVENT: Workflow[Event] = Workflow(
    name="event",
    model=Event,
    history=EventStatusChange,
    subject="event",
    initial=[E.DRAFT],
    sides=_event_sides,
    refusal=_("“%(action)s” is not possible while the event is “%(status)s”."),
    not_your_side=NOT_AN_ORGANISER,
    params=lambda event: {"title": event},
    actions={
        "publish": action(
            E.PUBLISHED,
            sources=[E.DRAFT],
            by=ORGANISER,
            label=_("Publish"),
            form=forms.EventNoteForm,
            done=_("“%(title)s” is published."),
        ),
        "cancel": action(
            E.CANCELLED,
            sources=[E.DRAFT, E.PUBLISHED],
            by=ORGANISER,
            label=_("Cancel the event"),
            form=forms.CancelEventForm,
            done=_("“%(title)s” is cancelled; the registrants are told."),
            notice=(
                _("Cancelled: %(event)s"),
                _("The event “%(event)s” on %(date)s is cancelled.\nReason: %(reason)s"),
            ),
            confirm=confirm(
                (
                    "registrations",
                    ngettext_lazy(
                        "The %(registrations)d registration, waiting list included, is "
                        "cancelled with the event; the registrant is told, with your reason.",
                        "The %(registrations)d registrations, waiting list included, are "
                        "cancelled with the event; each registrant is told, with your reason.",
                        "registrations",
                    ),
                ),
                (
                    "meetings",
                    ngettext_lazy(
                        "The %(meetings)d 1:1 meeting arranged at the event is cancelled; "
                        "both parties are told.",
                        "The %(meetings)d 1:1 meetings arranged at the event are cancelled; "
                        "both parties to each are told.",
                        "meetings",
                    ),
                ),
                _("A cancelled event cannot be published again."),
                params=_event_cancellation,
            ),
        ),
    },
)

# What the registrant is told of a registration that holds no confirmed
# place yet: on the waiting list, or awaiting the organiser's approval. A
# confirmed place is told by its own mail with the calendar file
# (events.tasks).
WAITLISTED_NOTICE = (
    _("On the waiting list: %(event)s"),
    _(
        "“%(event)s” is full. You are on the waiting list and will be told by "
        "email as soon as a place comes free."
    ),
)
AWAITING_APPROVAL_NOTICE = (
    _("Registered, awaiting approval: %(event)s"),
    _(
        "Your registration for “%(event)s” awaits the organiser's approval. "
        "You will be told by email."
    ),
)

# A registration starts confirmed, awaiting approval or on the waiting list
# (events.services.registration_create). A place that comes free goes to the
# first on the waiting list: the portal's own move, confirmed or awaiting
# approval as the event asks.
REGISTRATION: Workflow[Registration] = Workflow(
    name="registration",
    model=Registration,
    history=RegistrationStatusChange,
    subject="registration",
    initial=[R.REGISTERED, R.CONFIRMED, R.WAITLISTED],
    sides=_registration_sides,
    lock_related=("event", "registered_by"),
    refusal=_("“%(action)s” is not possible while the registration is “%(status)s”."),
    not_your_side=NOT_AN_ORGANISER,
    params=lambda registration: {"party": registration.party.name},
    actions={
        "approve": action(
            R.CONFIRMED,
            sources=[R.REGISTERED, R.WAITLISTED],
            by=ORGANISER,
            label=_("Approve"),
            form=forms.EventNoteForm,
            done=_("%(party)s is confirmed."),
        ),
        "cancel": action(
            R.CANCELLED,
            sources=[R.WAITLISTED, R.REGISTERED, R.CONFIRMED],
            by=[REGISTRANT, ORGANISER],
            label=_("Cancel the registration"),
            form=forms.EventNoteForm,
            done=_("The registration is cancelled."),
            not_your_side=_("Only the registrant or the organisers may cancel this."),
            notice=(
                _("Registration cancelled: %(event)s"),
                _("The registration for “%(event)s” is cancelled."),
            ),
            confirm=confirm(
                _("%(party)s no longer takes part in “%(event)s”."),
                (
                    "waiting",
                    _(
                        "Its place goes to the first on the waiting list (%(waiting)d "
                        "waiting), who is told by email."
                    ),
                ),
                (
                    "meetings",
                    ngettext_lazy(
                        "Its %(meetings)d 1:1 meeting at the event is called off; the other "
                        "party is told.",
                        "Its %(meetings)d 1:1 meetings at the event are called off; the "
                        "other parties are told.",
                        "meetings",
                    ),
                ),
                params=_registration_cancellation,
            ),
        ),
        "check-in": action(
            R.CHECKED_IN,
            sources=[R.CONFIRMED],
            by=ORGANISER,
            label=_("Check in"),
        ),
        "promote": action(
            R.CONFIRMED,
            sources=[R.WAITLISTED],
            by=SYSTEM,
            label=_("Promote from the waiting list"),
        ),
        "promote-for-approval": action(
            R.REGISTERED,
            sources=[R.WAITLISTED],
            by=SYSTEM,
            label=_("Promote from the waiting list to await approval"),
            notice=AWAITING_APPROVAL_NOTICE,
        ),
        # Follows the event's cancellation, whose service checked who acts and
        # tells the registrants once, with the reason.
        "cancel-with-event": action(
            R.CANCELLED,
            sources=[R.WAITLISTED, R.REGISTERED, R.CONFIRMED],
            by=SYSTEM,
            label=_("Cancel with the event"),
        ),
    },
)
