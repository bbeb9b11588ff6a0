"""Writes for matchmaking: an event's meeting schedule (docs/workflows.md, "Schedule").

The organiser runs the schedule (a Celery task computes it, with progress),
reviews it (moves or removes meetings) and publishes it: the meetings become
the event's `Meeting` rows and each party is told. Every status change is a
move of the declared workflow (`matching.workflows.SCHEDULE`): it locks the
schedule row, checks the move and writes a history row; the task's moves are
the portal's own (no actor)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.services import notification_send
from core.exceptions import Conflict
from enterprises.models import Enterprise
from events.figures import event_figures_changed
from events.meeting_workflows import MEETING
from events.models import Event, EventSlot, Meeting, Registration
from matching import scheduling
from matching.models import LeadInvitation, Schedule, ScheduledMeeting
from matching.selectors import ACTIVE_REGISTRATIONS, OPEN_MEETINGS, EventPairs, event_pairs
from matching.workflows import SCHEDULE
from products.models import Institution, InstitutionMembership, Product

_S = Schedule.Status
# A computation that has not reported progress for this long is taken as lost.
STALE_AFTER = dt.timedelta(minutes=10)
logger = logging.getLogger(__name__)
FIT = Decimal("0.001")


def _locked(schedule_id: int) -> Schedule:
    return (
        Schedule.objects.select_for_update(of=("self",)).select_related("event").get(pk=schedule_id)
    )


def _compute_after_commit(schedule_id: int) -> None:
    from matching.tasks import compute_schedule

    transaction.on_commit(lambda: compute_schedule.delay(schedule_id))


@transaction.atomic
def schedule_run(*, event: Event, actor: User) -> Schedule:
    """Queue the computation of the event's schedule; the task starts once
    this commits. The first run makes the schedule; a schedule under review,
    failed or lost with its worker is computed afresh."""
    if not event.slots.exists():
        raise Conflict(_("The event has no meeting slots yet."), code="no_slots")
    schedule, created = Schedule.objects.get_or_create(
        event=event, defaults={"requested_by": actor}
    )
    if not created:
        return schedule_run_again(schedule=schedule, actor=actor)
    SCHEDULE.created(schedule, actor=actor)
    _compute_after_commit(schedule.pk)
    return schedule


@SCHEDULE.performs("run")
@transaction.atomic
def schedule_run_again(*, schedule: Schedule, actor: User) -> Schedule:
    """Compute a schedule afresh. One still queued or computing is refused,
    unless it has reported no progress for a long while: the worker that had
    it is gone, and it is given up first."""
    locked = _locked(schedule.pk)
    SCHEDULE.check_side(locked, actor, "run")
    if locked.is_working and locked.updated_at <= timezone.now() - STALE_AFTER:
        schedule_fail(schedule=locked, actor=actor, error=str(_("The computation stopped.")))
    with SCHEDULE.move(locked, action="run", actor=actor) as change:
        change.set(progress=0, progress_note="", error="", requested_by=actor)
        _compute_after_commit(schedule.pk)
    return change.obj


@SCHEDULE.performs("start")
@transaction.atomic
def schedule_start(*, schedule: Schedule, actor: User | None = None) -> Schedule:
    """The worker takes a queued schedule."""
    with SCHEDULE.move(schedule, action="start", actor=actor) as change:
        change.set(progress=5, progress_note=str(_("Reading registrations")))
    return change.obj


@SCHEDULE.performs("finish")
@transaction.atomic
def schedule_finish(
    *,
    schedule: Schedule,
    actor: User | None = None,
    pairs: EventPairs,
    best: scheduling.Solution,
    greedy: scheduling.Solution,
    solved_in_ms: int,
) -> Schedule:
    """The worker's solution becomes the schedule's meetings, for review. A
    schedule given up or run again meanwhile is no longer computing: the
    move is refused and its meetings stay as they are."""
    with SCHEDULE.move(schedule, action="finish", actor=actor) as change:
        change.obj.meetings.all().delete()
        ScheduledMeeting.objects.bulk_create(
            ScheduledMeeting(
                schedule=change.obj,
                slot_id=pairs.slots[m.slot],
                enterprise_id=m.enterprise,
                institution_id=m.institution,
                fit_score=(Decimal(m.fit) / 1000).quantize(FIT),
                requested=m.requested,
            )
            for m in best.meetings
        )
        change.set(
            progress=100,
            progress_note="",
            total_fit=best.total_fit,
            greedy_fit=greedy.total_fit,
            requested_total=sum(1 for c in pairs.candidates if c.requested),
            requested_placed=best.requested_placed,
            solved_in_ms=solved_in_ms,
        )
    return change.obj


@SCHEDULE.performs("fail")
@transaction.atomic
def schedule_fail(*, schedule: Schedule, actor: User | None, error: str) -> Schedule:
    """The computation failed (the worker's error, no actor) or was lost with
    its worker (found so by the organiser's run, which has checked who acts).
    The organiser sees why on the page and may run it again."""
    with SCHEDULE.move(schedule, action="fail", actor=actor, check_side=False) as change:
        change.set(error=error[:2000], progress=100)
    return change.obj


def _progress(schedule_id: int, percent: int, note: str) -> None:
    """Committed at once, so the organiser's page sees it while the work goes on."""
    Schedule.objects.filter(pk=schedule_id).update(
        progress=percent, progress_note=note, updated_at=timezone.now()
    )


def schedule_compute(*, schedule_id: int) -> Schedule:
    """The task's work: read the event, solve, save the meetings for review.
    Idempotent: a schedule that is not queued is left alone."""
    with transaction.atomic():
        schedule = _locked(schedule_id)
        if schedule.status != _S.QUEUED:
            return schedule
        schedule = schedule_start(schedule=schedule, actor=None)
    try:
        began = time.monotonic()
        _progress(schedule_id, 20, str(_("Scoring pairs")))
        pairs = event_pairs(event=schedule.event)
        caps = {
            "enterprise_caps": pairs.enterprise_caps,
            "institution_caps": pairs.institution_caps,
        }
        _progress(schedule_id, 50, str(_("Choosing the best pairs")))
        best = scheduling.solve(pairs.candidates, slots=len(pairs.slots), **caps)
        solved_in = int((time.monotonic() - began) * 1000)
        _progress(schedule_id, 85, str(_("Comparing with a greedy schedule")))
        greedy = scheduling.solve_greedy(pairs.candidates, slots=len(pairs.slots), **caps)
        schedule = schedule_finish(
            schedule=schedule,
            actor=None,
            pairs=pairs,
            best=best,
            greedy=greedy,
            solved_in_ms=solved_in,
        )
    except Exception as error:
        # The organiser sees the failure on the page and may run it again.
        logger.exception("Schedule %s failed", schedule_id)
        with transaction.atomic():
            schedule = _locked(schedule_id)
            if schedule.status == _S.RUNNING:
                schedule = schedule_fail(schedule=schedule, actor=None, error=str(error))
    return schedule


def _editable(schedule: Schedule) -> Schedule:
    locked = _locked(schedule.pk)
    if locked.status != _S.READY:
        raise Conflict(
            _("Only a schedule ready for review can be changed; this one is “%(status)s”.")
            % {"status": locked.get_status_display()},
            code="not_editable",
        )
    return locked


def _refigure(schedule: Schedule) -> None:
    meetings = list(schedule.meetings.values_list("fit_score", "requested"))
    schedule.total_fit = int(sum((fit for fit, _ in meetings), Decimal(0)) * 1000)
    schedule.requested_placed = sum(1 for _, requested in meetings if requested)
    schedule.save(update_fields=["total_fit", "requested_placed", "updated_at"])


@transaction.atomic
def schedule_meeting_move(
    *, meeting: ScheduledMeeting, slot: EventSlot, actor: User
) -> ScheduledMeeting:
    """Move a meeting of a schedule under review to another slot of its event,
    where both parties are free."""
    schedule = _editable(meeting.schedule)
    meeting = ScheduledMeeting.objects.select_related("schedule").get(
        pk=meeting.pk, schedule=schedule
    )
    meeting.slot = slot
    meeting.full_clean()  # the slot's event, and the one-meeting-per-slot constraints
    meeting.save(update_fields=["slot"])
    return meeting


@transaction.atomic
def schedule_meeting_remove(*, meeting: ScheduledMeeting, actor: User) -> None:
    schedule = _editable(meeting.schedule)
    ScheduledMeeting.objects.filter(pk=meeting.pk, schedule=schedule).delete()
    _refigure(schedule)


@SCHEDULE.performs("publish")
@transaction.atomic
def schedule_publish(*, schedule: Schedule, actor: User) -> Schedule:
    """Publish the reviewed schedule as the event's meetings. A pair that has
    an open meeting already (one side asked for it) gets its slot; the other
    pairs get an accepted meeting proposed by the matcher. Each party's members
    are told of their meetings."""
    with SCHEDULE.move(schedule, action="publish", actor=actor) as change:
        event = change.obj.event
        planned = list(change.obj.meetings.all())
        existing = {
            (m.enterprise_id, m.institution_id): m
            for m in Meeting.objects.select_for_update()
            .filter(event=event, status__in=OPEN_MEETINGS)
            .order_by("pk")  # not the default order by slot time: no outer join to lock
        }
        # Free the slots of the meetings that move first, so no two collide midway.
        moving = [
            existing[key]
            for key in ((m.enterprise_id, m.institution_id) for m in planned)
            if key in existing
        ]
        Meeting.objects.filter(pk__in=[m.pk for m in moving]).update(slot=None)
        for plan in planned:
            meeting = existing.get((plan.enterprise_id, plan.institution_id))
            if meeting is None:
                meeting = Meeting(
                    event=event,
                    enterprise_id=plan.enterprise_id,
                    institution_id=plan.institution_id,
                    status=Meeting.Status.ACCEPTED,
                    source=Meeting.Source.MATCHER,
                    requested_by=actor,
                )
            meeting.slot_id = plan.slot_id
            meeting.fit_score = plan.fit_score
            try:
                meeting.full_clean()
            except ValidationError as error:
                raise ValidationError(
                    _("%(enterprise)s and %(institution)s cannot meet then: %(why)s")
                    % {
                        "enterprise": plan.enterprise,
                        "institution": plan.institution,
                        "why": " ".join(error.messages),
                    }
                ) from error
            if meeting.pk is None:
                meeting.save()
                MEETING.created(meeting, actor=actor, note=str(_("Scheduled by the matcher")))
            else:  # a requested meeting: its slot and fit only; its status is the parties'
                meeting.save(update_fields=["slot", "fit_score", "updated_at"])
        change.set(published_at=timezone.now())
        event_figures_changed(event_id=event.pk)
        _notify_parties(event=event, planned=planned)
    return change.obj


def _notify_parties(*, event: Event, planned: list[ScheduledMeeting]) -> None:
    subject, body = SCHEDULE.actions["publish"].notice or ("", "")
    with translation.override(settings.LANGUAGE_CODE):
        link = reverse("matching:agenda")
    per_enterprise: dict[int, int] = {}
    per_institution: dict[int, int] = {}
    for m in planned:
        per_enterprise[m.enterprise_id] = per_enterprise.get(m.enterprise_id, 0) + 1
        per_institution[m.institution_id] = per_institution.get(m.institution_id, 0) + 1
    members = User.objects.filter(is_active=True)
    parties = [
        (members.filter(enterprise_memberships__enterprise_id=pk), count)
        for pk, count in per_enterprise.items()
    ] + [
        (members.filter(institution_memberships__institution_id=pk), count)
        for pk, count in per_institution.items()
    ]
    for recipients, count in parties:
        notification_send(
            recipients=recipients,
            kind="meeting-schedule",
            subject=subject,
            body=body,
            params={"event": event.title, "count": count},
            link=link,
        )


# --- invitations to leads ----------------------------------------------------

# An invitation to apply stays open this long; until then the same institution
# cannot invite the same enterprise to the same product again. An invitation
# to meet stays open until the event ends.
APPLY_INVITATION_DAYS = 30


def _in_language(make: Callable[[], str]) -> str:
    """A lazy string, rendered in each recipient's language."""
    return lazy(make, str)()


def _neutral_link(name: str, *args: Any, query: str = "") -> str:
    with translation.override(settings.LANGUAGE_CODE):  # links without a language prefix
        return reverse(name, args=args) + (f"?{query}" if query else "")


def _enterprise_members(enterprise: Enterprise) -> QuerySet[User]:
    return User.objects.filter(enterprise_memberships__enterprise=enterprise)


def _check_inviter(actor: User, institution: Institution) -> None:
    if not InstitutionMembership.objects.filter(user=actor, institution=institution).exists():
        raise PermissionDenied(_("Only the officers of the institution may send its invitations."))


def _refuse_if_open(invitations: QuerySet[LeadInvitation], message: str) -> None:
    """One open invitation at a time; the refusal says when it was sent and until when it holds."""
    open_one = invitations.filter(open_until__gt=timezone.now()).order_by("-created_at").first()
    if open_one is not None:
        raise Conflict(
            message
            % {
                "date": date_format(timezone.localtime(open_one.created_at), "DATE_FORMAT"),
                "until": date_format(timezone.localtime(open_one.open_until), "DATE_FORMAT"),
            },
            code="already_invited",
        )


@transaction.atomic
def lead_invite_to_apply(
    *, actor: User, enterprise: Enterprise, product: Product
) -> LeadInvitation:
    """Invite an enterprise found among the leads to apply for one of the
    institution's published products: each member of the enterprise is told,
    in their language, with a link to the application form for that product."""
    institution = product.institution
    _check_inviter(actor, institution)
    # Lock the product's row: two officers inviting at once make one invitation.
    Product.objects.select_for_update().filter(pk=product.pk).first()
    if product.status != Product.Status.PUBLISHED:
        raise Conflict(_("Only a published product can be offered."), code="product_not_published")
    _refuse_if_open(
        LeadInvitation.objects.filter(
            kind=LeadInvitation.Kind.APPLY, enterprise=enterprise, product=product
        ),
        _(
            "This enterprise was already invited to apply for this product on %(date)s; "
            "the invitation is open until %(until)s."
        ),
    )
    invitation = LeadInvitation.objects.create(
        kind=LeadInvitation.Kind.APPLY,
        institution=institution,
        enterprise=enterprise,
        product=product,
        invited_by=actor,
        open_until=timezone.now() + dt.timedelta(days=APPLY_INVITATION_DAYS),
    )
    notification_send(
        recipients=_enterprise_members(enterprise),
        kind="lead-invitation-apply",
        subject=gettext_lazy("%(institution)s invites you to apply for %(product)s"),
        body=gettext_lazy(
            "%(institution)s found %(enterprise)s among the enterprises that fit its products "
            "and invites you to apply for “%(product)s”. The link opens the application form."
        ),
        params={
            "institution": _in_language(lambda: institution.name),
            "enterprise": _in_language(lambda: enterprise.name),
            "product": _in_language(lambda: product.name),
        },
        link=_neutral_link("financing:new", query=urlencode({"product": product.code})),
    )
    return invitation


@transaction.atomic
def lead_invite_to_meet(*, actor: User, enterprise: Enterprise, event: Event) -> LeadInvitation:
    """Invite an enterprise found among the leads to meet at an upcoming event
    where the institution is registered. Meetings are asked for by the
    enterprise (events.meeting_services.meeting_request), so the invitation is
    a notification with the link to the event, where it registers and asks."""
    registration = (
        Registration.objects.filter(
            event=event,
            institution__memberships__user=actor,
            status__in=ACTIVE_REGISTRATIONS,
        )
        .select_related("institution")
        .order_by("pk")
        .first()
    )
    if registration is None or registration.institution is None:
        raise PermissionDenied(_("Your institution is not registered for this event."))
    institution = registration.institution
    if event.status != Event.Status.PUBLISHED or event.ends_at < timezone.now():
        raise Conflict(_("This event is not open."), code="event_not_open")
    Event.objects.select_for_update().filter(pk=event.pk).first()
    _refuse_if_open(
        LeadInvitation.objects.filter(
            kind=LeadInvitation.Kind.MEETING,
            enterprise=enterprise,
            event=event,
            institution=institution,
        ),
        _(
            "This enterprise was already invited to meet at this event on %(date)s; "
            "the invitation is open until %(until)s."
        ),
    )
    invitation = LeadInvitation.objects.create(
        kind=LeadInvitation.Kind.MEETING,
        institution=institution,
        enterprise=enterprise,
        event=event,
        invited_by=actor,
        open_until=event.ends_at,
    )
    notification_send(
        recipients=_enterprise_members(enterprise),
        kind="lead-invitation-meeting",
        subject=gettext_lazy("%(institution)s invites you to meet at %(event)s"),
        body=gettext_lazy(
            "%(institution)s will take part in “%(event)s” and would like to meet "
            "%(enterprise)s there. Register for the event and ask for a meeting with it "
            "on the event's page."
        ),
        params={
            "institution": _in_language(lambda: institution.name),
            "enterprise": _in_language(lambda: enterprise.name),
            "event": _in_language(lambda: event.title),
        },
        link=_neutral_link("events:detail", event.slug),
    )
    return invitation
