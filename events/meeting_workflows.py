"""The meeting workflow, declared once (docs/workflows.md).

A meeting starts requested (an enterprise asks) or accepted (the matcher's
published schedule books it). The institution accepts or declines a
request, either party cancels an open meeting, and a party or an organiser
records what came of an accepted meeting, which marks it held (and may
correct it later). When a party's registration for the event is cancelled,
its open meetings are called off with it. The services in
`events.meeting_services` make the moves; the pages and the API are built
from this declaration. Registered by `events.apps.EventsConfig.ready()`."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.workflow import SYSTEM, Workflow, action, confirm
from events import meeting_forms as forms
from events.meeting_selectors import ENTERPRISE, INSTITUTION, ORGANISER, meeting_sides
from events.models import Meeting, MeetingStatusChange

S = Meeting.Status
OPEN = [S.REQUESTED, S.ACCEPTED]


def _sides(meeting: Meeting, user: AbstractBaseUser | AnonymousUser) -> set[str]:
    # The workflow asks for the sides of signed-in users only: the portal's own.
    return meeting_sides(meeting=meeting, user=user) if isinstance(user, User) else set()


# The notice of a new request, to the institution's officers: a creation,
# not a move, so it has no action to sit on.
REQUEST_NOTICE = (
    _("%(enterprise)s asks to meet you at %(event)s"),
    _("%(enterprise)s asks %(institution)s for a 1:1 meeting at %(event)s%(when)s. %(note)s"),
)
CANCEL_NOTICE = (
    _("Meeting at %(event)s cancelled"),
    _("The meeting of %(enterprise)s and %(institution)s at %(event)s was cancelled. %(note)s"),
)

BOTH_PARTIES = _("Only the two parties to the meeting may do this.")

MEETING: Workflow[Meeting] = Workflow(
    name="meeting",
    model=Meeting,
    history=MeetingStatusChange,
    subject="meeting",
    initial=[S.REQUESTED, S.ACCEPTED],
    sides=_sides,
    lock_related=("event", "slot", "enterprise", "institution"),
    services_module="events.meeting_services",
    refusal=_("“%(action)s” is not possible while the meeting is “%(status)s”."),
    not_your_side=_("Only the institution's officers may do this."),
    actions={
        "accept": action(
            S.ACCEPTED,
            sources=[S.REQUESTED],
            by=INSTITUTION,
            label=_("Accept"),
            form=forms.AcceptForm,
            notice=(
                _("Meeting with %(institution)s accepted"),
                _("%(institution)s will meet %(enterprise)s at %(event)s%(when)s."),
            ),
        ),
        "decline": action(
            S.DECLINED,
            sources=[S.REQUESTED],
            by=INSTITUTION,
            label=_("Decline"),
            form=forms.NoteForm,
            notice=(
                _("Meeting with %(institution)s declined"),
                _("%(institution)s declined the meeting at %(event)s. %(note)s"),
            ),
        ),
        "cancel": action(
            S.CANCELLED,
            sources=OPEN,
            by=[ENTERPRISE, INSTITUTION],
            label=_("Cancel the meeting"),
            form=forms.NoteForm,
            not_your_side=BOTH_PARTIES,
            notice=CANCEL_NOTICE,
            confirm=confirm(
                _(
                    "The meeting of %(enterprise)s and %(institution)s at “%(event)s” is "
                    "cancelled and its time slot freed; the other party is told."
                ),
                _("A cancelled meeting cannot be restored."),
                params=lambda meeting: {
                    "enterprise": meeting.enterprise.name,
                    "institution": meeting.institution.name,
                    "event": meeting.event.title,
                },
            ),
        ),
        # Held from accepted; from held, a correction of the outcome.
        "outcome": action(
            S.HELD,
            sources=[S.ACCEPTED, S.HELD],
            by=[ENTERPRISE, INSTITUTION, ORGANISER],
            label=_("Record the outcome"),
            form=forms.OutcomeForm,
            not_your_side=_("Only the two parties to the meeting and the organisers may do this."),
        ),
        # Follows the cancellation of a party's registration, which has
        # checked who acts.
        "call-off": action(
            S.CANCELLED,
            sources=OPEN,
            by=SYSTEM,
            label=_("Call off with the registration"),
            notice=CANCEL_NOTICE,
        ),
        # Follows the event's cancellation, which tells both parties.
        "cancel-with-event": action(
            S.CANCELLED,
            sources=OPEN,
            by=SYSTEM,
            label=_("Cancel with the event"),
        ),
    },
)
