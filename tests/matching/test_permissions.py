"""Permission table for matchmaking. The ranking is the enterprise's own, leads
the institution's own; an event's schedule belongs to its organisers (here the
Zhejiang office, named organiser, and the national regulator): everyone else
is told the event has no schedule to see (404)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import RegulatorOffice, User
from events.models import EventSlot, Registration
from matching.models import LeadInvitation, Schedule, ScheduledMeeting
from matching.services import lead_invite_to_apply
from tests.factories import EventFactory, RegistrationFactory
from tests.permissions import Route, World, case_id, cases, check, everyone, signed_in


@pytest.fixture(autouse=True)
def schedule_objects(world: World, db) -> None:
    """An event outside the demo campaign, organised by the Zhejiang office,
    with a schedule ready for review holding one meeting. Rolled back after
    each test, so the campaign's figures never see it."""
    office = RegulatorOffice.objects.get(memberships__user=world.users["provincial_regulator"])
    event = EventFactory(campaign=None, host_province_id="120000", slug="permission-event")
    event.organisers.set([office])
    start = timezone.now() + dt.timedelta(days=7)
    slots = [
        EventSlot.objects.create(
            event=event,
            starts_at=start + dt.timedelta(minutes=30 * n),
            ends_at=start + dt.timedelta(minutes=30 * n + 25),
        )
        for n in range(2)
    ]
    schedule = Schedule.objects.create(event=event, status=Schedule.Status.READY)
    meeting = ScheduledMeeting.objects.create(
        schedule=schedule,
        slot=slots[0],
        enterprise=world.enterprise,
        institution=world.institution,
        fit_score=Decimal("0.800"),
    )
    # Keys of their own: the events table's rows read `event` from the same world.
    world.extra.update(schedule_event=event, schedule_slots=slots, schedule_meeting=meeting)


ORGANISERS = {"provincial_regulator": 200, "national_regulator": 200}


def organisers(status: int, *, visitor: int = 302, others: int = 404) -> dict[str, int]:
    return everyone(
        others,
        visitor=visitor,
        **dict.fromkeys(ORGANISERS, status),
    )


def schedule_path(w: World, action: str = "") -> str:
    return f"/events/{w.extra['schedule_event'].slug}/schedule/{action}"


def meeting_path(w: World, action: str) -> str:
    return schedule_path(w, f"meetings/{w.extra['schedule_meeting'].pk}/{action}/")


def invitations(w: World):
    return LeadInvitation.objects.filter(enterprise=w.enterprise)


def bank_event(w: World) -> dict[str, object]:
    """An upcoming event where the demo bank is registered."""
    event = EventFactory(campaign=None, slug="bank-takes-part")
    RegistrationFactory(
        event=event,
        enterprise=None,
        institution=w.institution,
        status=Registration.Status.CONFIRMED,
    )
    return {"event": event}


def invited(w: World) -> dict[str, object]:
    """The demo bank invited the demo enterprise to apply for its product."""
    officer = w.users["institution"]
    assert isinstance(officer, User)
    return {
        "invitation": lead_invite_to_apply(
            actor=officer, enterprise=w.enterprise, product=w.product
        )
    }


# Invitations to leads: only the bank's officers send them; another bank
# offering a product or an event not its own is refused with a message.
INVITATIONS = [
    Route(
        "matching:invite-apply",
        "POST",
        lambda w: f"/matching/leads/{w.enterprise.pk}/invite/",
        signed_in(403, institution=302, other_institution=302),
        data=lambda w: {"product": w.product.pk},
        refused=frozenset({"other_institution"}),
        refusal="Choose one of your published products.",
        says="is invited to apply for",
        done=invitations,
    ),
    Route(
        "matching:invite-apply",
        "GET",
        lambda w: f"/matching/leads/{w.enterprise.pk}/invite/",
        signed_in(405),
    ),
    Route(
        "matching:invite-meet",
        "POST",
        lambda w: f"/matching/leads/{w.enterprise.pk}/invite-to-meet/",
        signed_in(403, institution=302, other_institution=302),
        data=lambda w: {"event": w.row["event"].pk},
        per_row=bank_event,
        refused=frozenset({"other_institution"}),
        refusal="Choose an upcoming event where your institution is registered.",
        says="is invited to meet you at",
        done=invitations,
    ),
    # The bank sees whom it invited; another bank sees nothing of it.
    Route(
        "matching:leads",
        "GET",
        lambda w: "/matching/leads/",
        signed_in(403, institution=200, other_institution=200),
        per_row=invited,
        label="with an invitation",
        shows=lambda w: {"data-invited": frozenset({"institution"})},
    ),
    # The enterprise's members are told, in their language (Chinese here).
    Route(
        "accounts:notifications",
        "GET",
        lambda w: "/accounts/notifications/",
        signed_in(200),
        per_row=invited,
        label="invited to apply",
        shows=lambda w: {"邀请贵企业申请": frozenset({"enterprise"})},
    ),
    # …and find it on their workspace, with the link to the form.
    Route(
        "enterprises:workspace",
        "GET",
        lambda w: "/enterprise/",
        signed_in(403, enterprise=200, other_enterprise=200),
        per_row=invited,
        label="invited to apply",
        shows=lambda w: {f"/applications/new/?product={w.product.code}": frozenset({"enterprise"})},
    ),
]

PAGES = [
    Route(
        "matching:ranking",
        "GET",
        lambda w: "/matching/",
        signed_in(403, enterprise=200, other_enterprise=200),
    ),
    Route(
        "matching:ranking",
        "GET",
        lambda w: "/matching/?amount=-5&term=x",
        # Bad input: the form again with its messages.
        signed_in(403, enterprise=200, other_enterprise=200),
        label="bad need",
    ),
    Route(
        "matching:leads",
        "GET",
        lambda w: "/matching/leads/",
        signed_in(403, institution=200, other_institution=200),
    ),
    Route("matching:agenda", "GET", lambda w: "/matching/agenda/", signed_in(200)),
    Route("matching:schedule", "GET", lambda w: schedule_path(w), organisers(200)),
    Route(
        "matching:schedule-status", "GET", lambda w: schedule_path(w, "status/"), organisers(200)
    ),
    Route("matching:schedule-run", "POST", lambda w: schedule_path(w, "run/"), organisers(302)),
    Route(
        "matching:schedule-run",
        "GET",
        lambda w: schedule_path(w, "run/"),
        signed_in(405),
    ),
    Route(
        "matching:schedule-publish", "POST", lambda w: schedule_path(w, "publish/"), organisers(302)
    ),
    Route(
        "matching:schedule-move",
        "POST",
        lambda w: meeting_path(w, "move"),
        organisers(302),
        data=lambda w: {"slot": w.extra["schedule_slots"][1].pk},
    ),
    Route("matching:schedule-remove", "POST", lambda w: meeting_path(w, "remove"), organisers(302)),
]


def api_schedule(w: World, action: str = "") -> str:
    return f"/api/v1/matching/events/{w.extra['schedule_event'].slug}/schedule/{action}"


API = [
    Route(
        "api-matching-ranking",
        "GET",
        lambda w: "/api/v1/matching/ranking/?amount=1000000&term=12",
        everyone(403, visitor=401, enterprise=200, other_enterprise=200),
    ),
    Route(
        "api-matching-ranking",
        "GET",
        lambda w: "/api/v1/matching/ranking/?amount=-1",
        everyone(400, visitor=401),
        label="bad need",
    ),
    Route(
        "api-matching-ranking",
        "GET",
        lambda w: f"/api/v1/matching/ranking/?enterprise={w.other_enterprise.pk}",
        everyone(403, visitor=401, other_enterprise=200),
        label="other enterprise's",
    ),
    Route(
        "api-matching-leads",
        "GET",
        lambda w: "/api/v1/matching/leads/",
        everyone(403, visitor=401, institution=200, other_institution=200),
    ),
    Route("api-matching-schedule", "GET", lambda w: api_schedule(w), organisers(200, visitor=401)),
    Route(
        "api-matching-schedule-run",
        "POST",
        lambda w: api_schedule(w, "run/"),
        organisers(202, visitor=401),
        json=True,
    ),
    Route(
        "api-matching-schedule-publish",
        "POST",
        lambda w: api_schedule(w, "publish/"),
        organisers(200, visitor=401),
        json=True,
    ),
]

ROUTES = PAGES + INVITATIONS + API


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), cases(ROUTES), ids=case_id)
def test_permission(world, route, role):
    check(world, route, role)
