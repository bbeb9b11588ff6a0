"""Permission table for meetings, meeting slots and on-site outcomes, pages
and API.

"Own" is event A: hosted in Zhejiang and covering the demo park, so the park
manager, the Zhejiang regulator and the national regulator organise it; the
demo enterprise, the demo bank and the two "other" parties are registered.
Its own meeting (demo enterprise × demo bank) and its other meeting (other
enterprise × other institution) are both requested, in the same slot. "Other"
is event B in Hunan: only the national regulator organises it, only the other
parties are registered, with a meeting and an intention between them. Each
test rolls back, so every row starts from these objects as they are."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from events.models import EventSlot, Meeting
from financing.models import Application, Contract
from tests.factories import EventFactory, RegistrationFactory
from tests.permissions import Move, Route, World, case_id, cases, check, everyone, signed_in

ORGANISERS_A = ("park", "provincial_regulator", "national_regulator")


def _x(w: World) -> dict[str, Any]:
    return w.extra["meetings"]


def build(w: World) -> dict[str, Any]:
    now = timezone.now().replace(second=0, microsecond=0)
    start = now - dt.timedelta(hours=1)
    # Outside any campaign: these rows outlive the test, and a newer campaign
    # would become the one the home page and the dashboards show.
    event_a = EventFactory(campaign=None, starts_at=start, ends_at=start + dt.timedelta(hours=6))
    event_a.parks.add(w.park)
    event_b = EventFactory(
        campaign=None,
        host_province_id="430000",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
    )
    slots = {}
    for event in (event_a, event_b):
        slots[event.pk] = [
            EventSlot.objects.create(
                event=event,
                starts_at=start + dt.timedelta(minutes=30 * i),
                ends_at=start + dt.timedelta(minutes=30 * i + 25),
            )
            for i in range(3)
        ]
    registrations = {}
    for event, parties in (
        (event_a, (w.enterprise, w.institution, w.other_enterprise, w.other_institution)),
        (event_b, (w.other_enterprise, w.other_institution)),
    ):
        for party in parties:
            is_enterprise = party in (w.enterprise, w.other_enterprise)
            registrations[(event.pk, party.pk, is_enterprise)] = RegistrationFactory(
                event=event,
                enterprise=party if is_enterprise else None,
                institution=None if is_enterprise else party,
            )

    def meeting(event, enterprise, institution) -> Meeting:
        return Meeting.objects.create(
            event=event, enterprise=enterprise, institution=institution, slot=slots[event.pk][0]
        )

    today = timezone.localdate()
    own_intention = Contract.objects.create(
        reference="PERM-ONSITE-OWN",
        kind=Contract.Kind.INTENTION,
        amount="2000000.00",
        signed_on=today,
        institution=w.institution,
        enterprise=w.enterprise,
        product=w.product,
        event=event_a,
        registration=registrations[(event_a.pk, w.enterprise.pk, True)],
    )
    other_intention = Contract.objects.create(
        reference="PERM-ONSITE-OTHER",
        kind=Contract.Kind.INTENTION,
        amount="2000000.00",
        signed_on=today,
        institution=w.other_institution,
        enterprise=w.other_enterprise,
        product=w.other_product,
        event=event_b,
        registration=registrations[(event_b.pk, w.other_enterprise.pk, True)],
    )
    return {
        "a": event_a,
        "b": event_b,
        "slots": slots,
        "registrations": registrations,
        "own": meeting(event_a, w.enterprise, w.institution),
        "other_at_a": meeting(event_a, w.other_enterprise, w.other_institution),
        "other": meeting(event_b, w.other_enterprise, w.other_institution),
        "own_intention": own_intention,
        "other_intention": other_intention,
        "start": start,
    }


@pytest.fixture(scope="module", autouse=True)
def _meeting_objects(world, django_db_blocker):
    with django_db_blocker.unblock():
        if "meetings" not in world.extra:
            world.extra["meetings"] = build(world)


def slug(which: str):
    return lambda w: _x(w)[which].slug


def meeting(which: str):
    return lambda w: _x(w)[which].pk


def free_slot(w: World, which: str) -> EventSlot:
    return _x(w)["slots"][_x(w)[which].pk][2]


def new_slot_times(w: World) -> tuple[dt.datetime, dt.datetime]:
    begins = _x(w)["start"] + dt.timedelta(hours=3)
    return begins, begins + dt.timedelta(minutes=25)


def slot_page_data(w: World) -> dict[str, str]:
    begins, ends = new_slot_times(w)
    fmt = "%Y-%m-%dT%H:%M"
    return {
        "starts_at": timezone.localtime(begins).strftime(fmt),
        "ends_at": timezone.localtime(ends).strftime(fmt),
    }


def new_slots(w: World) -> QuerySet[EventSlot]:
    """The slots the rows lay out (`new_slot_times`), at either event."""
    return EventSlot.objects.filter(starts_at=new_slot_times(w)[0])


def slot_api_data(w: World) -> dict[str, str]:
    begins, ends = new_slot_times(w)
    return {"starts_at": begins.isoformat(), "ends_at": ends.isoformat()}


def onsite_data(w: World, which: str = "a", *, page: bool = False) -> dict[str, Any]:
    event = _x(w)[which]
    enterprise = w.enterprise if which == "a" else w.other_enterprise
    institution = w.institution if which == "a" else w.other_institution
    registration = _x(w)["registrations"][(event.pk, enterprise.pk, True)]
    return {
        "kind": "loan",
        "amount": "1500000.00",
        "signed_on": timezone.localdate().isoformat(),
        "reference": "PERM-ONSITE-NEW",
        "registration": registration.pk,
        "institution": institution.pk,
    }


def follow_up_page_data(w: World, which: str = "own") -> dict[str, Any]:
    product, asset = (w.product, w.asset) if which == "own" else (w.other_product, w.other_asset)
    return {
        "product": product.code,
        "amount": "2000000.00",
        "term_months": "12",
        "asset_ids": [asset.pk],
    }


def follow_up_api_data(w: World, which: str = "own") -> dict[str, Any]:
    asset = w.asset if which == "own" else w.other_asset
    return {"term_months": 12, "asset_ids": [asset.pk]}


def recorded(w: World) -> QuerySet[Contract]:
    """The signing the outcome rows post (`onsite_data`)."""
    return Contract.objects.filter(reference="PERM-ONSITE-NEW")


def voided(which: str) -> Move:
    return Move(lambda w: _x(w)[which], Contract.Status.SIGNED, Contract.Status.VOID)


def api_status(status: int, **overrides: int) -> dict[str, int]:
    return everyone(status, visitor=401, **overrides)


def organisers_of_a(status: int) -> dict[str, int]:
    return dict.fromkeys(ORGANISERS_A, status)


# Who sees each meeting: its two parties and its event's organisers.
SEE_OWN = {"enterprise": 200, "institution": 200, **organisers_of_a(200)}
SEE_OTHER = {"other_enterprise": 200, "other_institution": 200, "national_regulator": 200}
PARTIES = ("enterprise", "other_enterprise", "institution", "other_institution")


M = Meeting.Status
# Where each move takes the own meeting, which starts requested.
MOVES_TO = {"accept": M.ACCEPTED, "decline": M.DECLINED, "cancel": M.CANCELLED}


def own_meeting(w: World) -> Meeting:
    return _x(w)["own"]


def accepted(w: World) -> dict[str, Any]:
    """`per_row`: the own meeting accepted (its slot began an hour ago)."""
    Meeting.objects.filter(pk=own_meeting(w).pk).update(status=M.ACCEPTED)
    return {}


def page_move(
    action: str,
    done: dict[str, int],
    data=None,
    refused: frozenset[str] = frozenset(),
    *,
    label: str = "",
    move: Move | None = None,
    per_row=None,
) -> Route:
    """A move on the own meeting's page: done or refused, a redirect with a
    message (302); seen but not this reader's move, 403; unseen, 404."""
    seen = {"enterprise": 403, "institution": 403, **organisers_of_a(403)}
    return Route(
        "meetings:action",
        "POST",
        lambda w: f"/meetings/{_x(w)['own'].pk}/{action}/",
        signed_in(404, **{**seen, **done}),
        data=data,
        label=label or action,
        refused=refused,
        move=move or Move(own_meeting, M.REQUESTED, MOVES_TO[action]),
        per_row=per_row,
    )


def api_move(
    action: str,
    done: dict[str, int],
    data=None,
    *,
    label: str = "own",
    move: Move | None = None,
    per_row=None,
) -> Route:
    seen = {"enterprise": 403, "institution": 403, **organisers_of_a(403)}
    return Route(
        f"api-meeting-{action}",
        "POST",
        lambda w: f"/api/v1/meetings/{_x(w)['own'].pk}/{action}/",
        api_status(404, **{**seen, **done}),
        data=data,
        json=True,
        label=label,
        move=move or Move(own_meeting, M.REQUESTED, MOVES_TO[action]),
        per_row=per_row,
    )


PAGES = [
    Route(
        "meetings:mine",
        "GET",
        lambda w: "/meetings/",
        signed_in(403, **dict.fromkeys(PARTIES, 200)),
    ),
    Route(
        "meetings:mine",
        "GET",
        lambda w: "/meetings/?status=requested&page=2",
        signed_in(403, **dict.fromkeys(PARTIES, 200)),
        label="filtered",
    ),
    Route(
        "meetings:detail",
        "GET",
        lambda w: f"/meetings/{_x(w)['own'].pk}/",
        signed_in(404, **SEE_OWN),
        label="own",
    ),
    Route(
        "meetings:detail",
        "GET",
        lambda w: f"/meetings/{_x(w)['other'].pk}/",
        signed_in(404, **SEE_OTHER),
        label="other",
    ),
    page_move("accept", {"institution": 302}),
    page_move("decline", {"institution": 302}),
    page_move("cancel", {"enterprise": 302, "institution": 302}),
    # Not held yet and not accepted: refused with a message.
    page_move(
        "outcome",
        {"enterprise": 302, "institution": 302, **organisers_of_a(302)},
        data=lambda w: {"outcome-outcome": "follow_up"},
        refused=frozenset({"enterprise", "institution", *ORGANISERS_A}),
        move=Move(own_meeting, M.REQUESTED, M.HELD),
    ),
    # Accepted, its slot under way: either party or an organiser records it held.
    page_move(
        "outcome",
        {"enterprise": 302, "institution": 302, **organisers_of_a(302)},
        data=lambda w: {"outcome-outcome": "follow_up"},
        label="outcome of an accepted meeting",
        move=Move(own_meeting, M.ACCEPTED, M.HELD),
        per_row=accepted,
    ),
    Route(
        "meetings:action",
        "POST",
        lambda w: f"/meetings/{_x(w)['own'].pk}/reschedule/",
        signed_in(404),
        label="unknown move",
    ),
    Route(
        "meetings:event",
        "GET",
        lambda w: f"/events/{_x(w)['a'].slug}/meetings/",
        signed_in(200),
        label="own event",
    ),
    Route(
        "meetings:event",
        "GET",
        lambda w: f"/events/{_x(w)['b'].slug}/meetings/",
        # Parties see a published event's page; regulators and park managers
        # only for the events they organise.
        signed_in(200, park=403, provincial_regulator=403),
        label="other event",
    ),
    Route(
        "meetings:request",
        "POST",
        lambda w: f"/events/{_x(w)['a'].slug}/meetings/request/",
        # The other enterprise already asked the other institution: a message.
        signed_in(403, enterprise=302, other_enterprise=302),
        data=lambda w: {"institution": w.other_institution.pk},
        refused=frozenset({"other_enterprise"}),
        done=lambda w: Meeting.objects.filter(event=_x(w)["a"], institution=w.other_institution),
    ),
    Route(
        "meetings:slot-create",
        "POST",
        lambda w: f"/events/{_x(w)['a'].slug}/meetings/slots/",
        signed_in(404, **organisers_of_a(302)),
        data=slot_page_data,
        label="own event",
        done=new_slots,
    ),
    Route(
        "meetings:slot-create",
        "POST",
        lambda w: f"/events/{_x(w)['b'].slug}/meetings/slots/",
        signed_in(404, national_regulator=302),
        data=slot_page_data,
        label="other event",
        done=new_slots,
    ),
    Route(
        "meetings:slot-delete",
        "POST",
        lambda w: f"/events/{_x(w)['a'].slug}/meetings/slots/{free_slot(w, 'a').pk}/delete/",
        signed_in(404, **organisers_of_a(302)),
        gone=lambda w: EventSlot.objects.filter(pk=free_slot(w, "a").pk),
    ),
    Route(
        "onsite:event",
        "GET",
        lambda w: f"/events/{_x(w)['a'].slug}/outcomes/",
        # Organisers, and the officers of institutions registered there.
        signed_in(404, institution=200, other_institution=200, **organisers_of_a(200)),
        label="own event",
    ),
    Route(
        "onsite:event",
        "GET",
        lambda w: f"/events/{_x(w)['b'].slug}/outcomes/",
        signed_in(404, national_regulator=200, other_institution=200),
        label="other event",
        # What was signed at Hunan's event is its organisers' and its parties'.
        shows=lambda w: {
            "PERM-ONSITE-OTHER": frozenset({"national_regulator", "other_institution"})
        },
    ),
    Route(
        "onsite:event",
        "POST",
        lambda w: f"/events/{_x(w)['b'].slug}/outcomes/",
        # Not the Zhejiang regulator's event: not found, nothing recorded.
        signed_in(404, other_institution=302, national_regulator=302),
        data=lambda w: onsite_data(w, "b"),
        label="other event",
        done=recorded,
    ),
    Route(
        "onsite:event",
        "POST",
        lambda w: f"/events/{_x(w)['a'].slug}/outcomes/",
        # The other institution may not record the demo bank's signing: the
        # form comes back with a message.
        signed_in(404, institution=302, other_institution=200, **organisers_of_a(302)),
        data=lambda w: onsite_data(w),
        label="own event",
        refused=frozenset({"other_institution"}),
        done=recorded,
    ),
    Route(
        "onsite:contract",
        "GET",
        lambda w: f"/contracts/{_x(w)['own_intention'].pk}/",
        signed_in(404, **SEE_OWN),
        label="own",
    ),
    Route(
        "onsite:contract",
        "GET",
        lambda w: f"/contracts/{_x(w)['other_intention'].pk}/",
        signed_in(404, **SEE_OTHER),
        label="other",
    ),
    # Voiding a signing recorded by mistake: the event's organisers and the
    # signing institution's officers; its enterprise sees it but may not.
    Route(
        "onsite:void",
        "POST",
        lambda w: f"/contracts/{_x(w)['own_intention'].pk}/void/",
        signed_in(404, enterprise=403, institution=302, **organisers_of_a(302)),
        data=lambda w: {"note": "Recorded twice"},
        label="own",
        move=voided("own_intention"),
    ),
    Route(
        "onsite:void",
        "POST",
        lambda w: f"/contracts/{_x(w)['other_intention'].pk}/void/",
        signed_in(404, other_enterprise=403, other_institution=302, national_regulator=302),
        data=lambda w: {"note": "Recorded twice"},
        label="other",
        move=voided("other_intention"),
    ),
    Route(
        "onsite:follow-up",
        "GET",
        lambda w: f"/contracts/{_x(w)['own_intention'].pk}/follow-up/",
        signed_in(404, enterprise=200, institution=403, **organisers_of_a(403)),
        label="own",
    ),
    Route(
        "onsite:follow-up",
        "POST",
        lambda w: f"/contracts/{_x(w)['own_intention'].pk}/follow-up/",
        signed_in(404, enterprise=302, institution=403, **organisers_of_a(403)),
        data=follow_up_page_data,
        label="own",
        done=lambda w: Application.objects.filter(enterprise=w.enterprise),
    ),
    Route(
        "onsite:follow-up",
        "POST",
        lambda w: f"/contracts/{_x(w)['other_intention'].pk}/follow-up/",
        # The Zhejiang regulator does not find Hunan's signing: 404, no application.
        signed_in(404, other_enterprise=302, other_institution=403, national_regulator=403),
        data=lambda w: follow_up_page_data(w, "other"),
        label="other",
        done=lambda w: Application.objects.filter(enterprise=w.other_enterprise),
    ),
]

API = [
    Route(
        "api-event-slots",
        "GET",
        lambda w: f"/api/v1/events/{_x(w)['a'].slug}/slots/",
        everyone(200),
    ),
    Route(
        "api-event-slots",
        "POST",
        lambda w: f"/api/v1/events/{_x(w)['a'].slug}/slots/",
        api_status(403, **organisers_of_a(201)),
        data=slot_api_data,
        json=True,
        label="own event",
        done=new_slots,
    ),
    Route(
        "api-event-slots",
        "POST",
        lambda w: f"/api/v1/events/{_x(w)['b'].slug}/slots/",
        # Park managers and the Zhejiang office don't find Hunan's event among theirs.
        api_status(403, national_regulator=201),
        data=slot_api_data,
        json=True,
        label="other event",
        done=new_slots,
    ),
    Route(
        "api-event-slot",
        "DELETE",
        lambda w: f"/api/v1/events/{_x(w)['a'].slug}/slots/{free_slot(w, 'a').pk}/",
        api_status(404, **organisers_of_a(204)),
        gone=lambda w: EventSlot.objects.filter(pk=free_slot(w, "a").pk),
    ),
    Route(
        "api-event-meetings",
        "GET",
        lambda w: f"/api/v1/events/{_x(w)['a'].slug}/meetings/",
        api_status(404, **organisers_of_a(200)),
        label="own event",
    ),
    Route(
        "api-event-meetings",
        "GET",
        lambda w: f"/api/v1/events/{_x(w)['b'].slug}/meetings/",
        api_status(404, national_regulator=200),
        label="other event",
    ),
    Route("api-meetings", "GET", lambda w: "/api/v1/meetings/", api_status(200)),
    Route(
        "api-meetings",
        "POST",
        lambda w: "/api/v1/meetings/",
        api_status(403, enterprise=201, other_enterprise=409),
        data=lambda w: {"event": _x(w)["a"].slug, "institution": w.other_institution.pk},
        json=True,
        done=lambda w: Meeting.objects.filter(event=_x(w)["a"], institution=w.other_institution),
    ),
    Route(
        "api-meeting",
        "GET",
        lambda w: f"/api/v1/meetings/{_x(w)['own'].pk}/",
        api_status(404, **SEE_OWN),
        label="own",
    ),
    Route(
        "api-meeting",
        "GET",
        lambda w: f"/api/v1/meetings/{_x(w)['other'].pk}/",
        api_status(404, **SEE_OTHER),
        label="other",
    ),
    api_move("accept", {"institution": 200}),
    api_move("decline", {"institution": 200}),
    api_move("cancel", {"enterprise": 200, "institution": 200}),
    api_move(
        "outcome",
        {"enterprise": 409, "institution": 409, **organisers_of_a(409)},
        data=lambda w: {"outcome": "follow_up"},
        move=Move(own_meeting, M.REQUESTED, M.HELD),
    ),
    api_move(
        "outcome",
        {"enterprise": 200, "institution": 200, **organisers_of_a(200)},
        data=lambda w: {"outcome": "follow_up"},
        label="own, accepted",
        move=Move(own_meeting, M.ACCEPTED, M.HELD),
        per_row=accepted,
    ),
    Route(
        "api-event-contracts",
        "GET",
        lambda w: f"/api/v1/events/{_x(w)['a'].slug}/contracts/",
        api_status(200),
        # Everyone's list is the signings they may read: its parties' and its organisers'.
        shows=lambda w: {"PERM-ONSITE-OWN": frozenset(SEE_OWN)},
    ),
    Route(
        "api-event-contracts",
        "POST",
        lambda w: f"/api/v1/events/{_x(w)['a'].slug}/contracts/",
        api_status(403, institution=201, **organisers_of_a(201)),
        data=lambda w: onsite_data(w),
        json=True,
        label="own event",
        done=recorded,
    ),
    Route(
        "api-event-contracts",
        "POST",
        lambda w: f"/api/v1/events/{_x(w)['b'].slug}/contracts/",
        api_status(403, other_institution=201, national_regulator=201),
        data=lambda w: onsite_data(w, "b"),
        json=True,
        label="other event",
        done=recorded,
    ),
    Route(
        "api-contract",
        "GET",
        lambda w: f"/api/v1/contracts/{_x(w)['own_intention'].pk}/",
        api_status(404, **SEE_OWN),
        label="own",
    ),
    Route(
        "api-contract",
        "GET",
        lambda w: f"/api/v1/contracts/{_x(w)['other_intention'].pk}/",
        api_status(404, **SEE_OTHER),
        label="other",
    ),
    Route(
        "api-contract-void",
        "POST",
        lambda w: f"/api/v1/contracts/{_x(w)['own_intention'].pk}/void/",
        api_status(404, enterprise=403, institution=200, **organisers_of_a(200)),
        data=lambda w: {"note": "Recorded twice"},
        json=True,
        label="own",
        move=voided("own_intention"),
    ),
    Route(
        "api-contract-void",
        "POST",
        lambda w: f"/api/v1/contracts/{_x(w)['other_intention'].pk}/void/",
        api_status(404, other_enterprise=403, other_institution=200, national_regulator=200),
        data=lambda w: {"note": "Recorded twice"},
        json=True,
        label="other",
        move=voided("other_intention"),
    ),
    Route(
        "api-contract-to-application",
        "POST",
        lambda w: f"/api/v1/contracts/{_x(w)['own_intention'].pk}/to-application/",
        api_status(404, enterprise=201, institution=403, **organisers_of_a(403)),
        data=follow_up_api_data,
        json=True,
        label="own",
        done=lambda w: Application.objects.filter(enterprise=w.enterprise),
    ),
    Route(
        "api-contract-to-application",
        "POST",
        lambda w: f"/api/v1/contracts/{_x(w)['other_intention'].pk}/to-application/",
        api_status(404, other_enterprise=201, other_institution=403, national_regulator=403),
        data=lambda w: follow_up_api_data(w, "other"),
        json=True,
        label="other",
        done=lambda w: Application.objects.filter(enterprise=w.other_enterprise),
    ),
]

ROUTES = PAGES + API


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), cases(ROUTES), ids=case_id)
def test_permission(world, route, role):
    check(world, route, role)
