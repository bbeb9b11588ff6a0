"""The meeting schedule's workflow, declared once (docs/workflows.md).

The organiser runs the matcher: the schedule is queued (created so the first
time). The worker takes it (computing), and either leaves it ready for review
or failed; a computation whose worker is gone is given up as failed when the
organiser runs it again. A schedule ready for review may be run again or
published, which makes its meetings the event's. The services in
`matching.services` make the moves; the worker's are the portal's own."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.workflow import SYSTEM, Workflow, action
from events.access import can_organise
from matching.models import Schedule, ScheduleStatusChange

S = Schedule.Status
ORGANISER = "organiser"


def _sides(schedule: Schedule, user: AbstractBaseUser | AnonymousUser) -> set[str]:
    # The workflow asks for the sides of signed-in users only: the portal's own.
    if not isinstance(user, User):
        return set()
    return {ORGANISER} if can_organise(user=user, event=schedule.event) else set()


SCHEDULE: Workflow[Schedule] = Workflow(
    name="schedule",
    model=Schedule,
    history=ScheduleStatusChange,
    subject="schedule",
    initial=[S.QUEUED],
    sides=_sides,
    lock_related=("event",),
    refusal=_("“%(action)s” is not possible while the schedule is “%(status)s”."),
    not_your_side=_("Only the event's organisers may do this."),
    actions={
        "run": action(
            S.QUEUED,
            sources=[S.READY, S.FAILED],
            by=ORGANISER,
            label=_("Run the matcher again"),
        ),
        "start": action(S.RUNNING, sources=[S.QUEUED], by=SYSTEM, label=_("Start the computation")),
        "finish": action(
            S.READY, sources=[S.RUNNING], by=SYSTEM, label=_("Finish the computation")
        ),
        # The worker's error, or a computation whose worker is gone, given
        # up when the organiser runs the schedule again.
        "fail": action(
            S.FAILED,
            sources=[S.QUEUED, S.RUNNING],
            by=SYSTEM,
            label=_("Give up the computation"),
        ),
        "publish": action(
            S.PUBLISHED,
            sources=[S.READY],
            by=ORGANISER,
            label=_("Publish the schedule"),
            # To each party's members, with the number of its meetings.
            notice=(
                _("Your meetings at %(event)s"),
                _("The meeting schedule of %(event)s is published: you have %(count)s meetings."),
            ),
        ),
    },
)
