"""Permission table for events: public pages and API, the registrant's
registrations and the organiser's pages and endpoints.

The events are built once on top of the shared world (`world.extra`):
"event", published in Zhejiang at the demo park, so the park manager, the
Zhejiang regulator and the national regulator organise it; "other_event" in
Beijing, organised by the national regulator only; "draft_event", a draft at
the demo park; "past_event", which has taken place. "registration" is the demo
enterprise's at "event", confirmed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from events.models import Event, Registration
from parks.models import Park
from tests.factories import EventFactory, RegistrationFactory
from tests.permissions import Move, Route, World, case_id, cases, check, everyone, signed_in

E = Event.Status
R = Registration.Status
ORGANISERS = ("park", "provincial_regulator", "national_regulator")


def ev(w: World, name: str = "event") -> Event:
    """The world's events, made the first time they are asked for (outside
    any test's transaction: see `events_world`)."""
    if "event" not in w.extra:
        soon = timezone.now() + dt.timedelta(days=14)
        beijing_park = Park.objects.filter(province_id="110000").first()
        # No campaign: committed for the session, they must not become the
        # newest campaign the home page and dashboards show.
        w.extra["event"] = EventFactory(
            campaign=None, host_province_id=w.park.province_id, starts_at=soon, capacity=50
        )
        w.extra["event"].parks.add(w.park)
        w.extra["event"].featured_products.add(w.product)
        w.extra["other_event"] = EventFactory(
            campaign=None, host_province_id="110000", starts_at=soon
        )
        w.extra["other_event"].parks.add(beijing_park)
        w.extra["draft_event"] = EventFactory(
            campaign=None,
            host_province_id=w.park.province_id,
            starts_at=soon,
            status=Event.Status.DRAFT,
        )
        w.extra["draft_event"].parks.add(w.park)
        w.extra["past_event"] = EventFactory(
            campaign=None,
            host_province_id=w.park.province_id,
            starts_at=timezone.now() - dt.timedelta(days=2),
        )
        w.extra["past_event"].parks.add(w.park)
        w.extra["registration"] = RegistrationFactory(
            event=w.extra["event"], enterprise=w.enterprise, status=Registration.Status.CONFIRMED
        )
        # Under way, its check-in desk open: started an hour ago, ends in six.
        w.extra["live_event"] = EventFactory(
            campaign=None,
            host_province_id=w.park.province_id,
            starts_at=timezone.now() - dt.timedelta(hours=1),
            ends_at=timezone.now() + dt.timedelta(hours=6),
        )
        w.extra["live_event"].parks.add(w.park)
        w.extra["live_registration"] = RegistrationFactory(
            event=w.extra["live_event"],
            enterprise=w.enterprise,
            status=Registration.Status.CONFIRMED,
        )
    return w.extra[name]


def reg(w: World) -> Registration:
    ev(w)
    return w.extra["registration"]


def live_reg(w: World) -> Registration:
    ev(w)
    return w.extra["live_registration"]


def organisers(status: int, others: int, *, visitor: int = 302, **overrides: int) -> dict[str, int]:
    """`status` for the event's organisers, `others` for everyone else signed in."""
    return everyone(others, visitor=visitor, **dict.fromkeys(ORGANISERS, status), **overrides)


def only_national(status: int, others: int, *, visitor: int = 302) -> dict[str, int]:
    return everyone(others, visitor=visitor, national_regulator=status)


def event_form(w: World) -> dict[str, Any]:
    start = timezone.localtime() + dt.timedelta(days=20)
    return {
        "title_zh": "权限测试活动",
        "title_en": "Permission test event",
        "kinds": ["matchmaking"],
        "host_province": w.park.province_id,
        "parks": [w.park.pk],
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "format": "offline",
        "capacity": "80",
        "featured_products": [w.product.pk],
    }


def page(w: World, action: str = "", name: str = "event") -> str:
    return f"/events/{ev(w, name).slug}/{action + '/' if action else ''}"


PAGES = [
    Route("events:list", "GET", lambda w: "/events/", everyone(200)),
    Route(
        "events:list",
        "GET",
        lambda w: (
            f"/events/?province=330000&park={w.park.slug}&kind=matchmaking"
            "&date_from=2020-11-01&when=past"
        ),
        everyone(200),
        label="filtered",
    ),
    Route("events:detail", "GET", lambda w: page(w), everyone(200)),
    Route(
        "events:detail",
        "GET",
        lambda w: page(w, name="draft_event"),
        organisers(200, 404, visitor=404),
        label="draft",
    ),
    Route("events:calendar", "GET", lambda w: page(w) + "calendar.ics", everyone(200)),
    Route(
        "events:register",
        "POST",
        lambda w: page(w, "register"),
        # The demo enterprise is registered already: a message, back to the page.
        signed_in(302, park=403, provincial_regulator=403, national_regulator=403),
        data=lambda w: {"need_amount": "1000000"},
        refused=frozenset({"enterprise"}),
        refusal="Already registered for this event.",
        done=lambda w: Registration.objects.filter(event=ev(w)),
    ),
    Route(
        "events:my-registrations",
        "GET",
        lambda w: "/events/registrations/",
        signed_in(200),
        # The check-in code of a registration is its registrant's and its organisers'.
        shows=lambda w: {reg(w).code: frozenset({"enterprise"})},
    ),
    Route(
        "events:registration",
        "GET",
        lambda w: f"/events/registrations/{reg(w).code}/",
        organisers(200, 404, enterprise=200),
    ),
    Route(
        "events:registration-cancel",
        "POST",
        lambda w: f"/events/registrations/{reg(w).code}/cancel/",
        organisers(302, 404, enterprise=302),
        move=Move(reg, R.CONFIRMED, R.CANCELLED),
    ),
    Route(
        "events:manage",
        "GET",
        lambda w: "/events/manage/",
        organisers(200, 403),
        # A draft is its organisers' alone.
        shows=lambda w: {page(w, name="draft_event"): frozenset(ORGANISERS)},
    ),
    Route("events:create", "GET", lambda w: "/events/manage/new/", organisers(200, 403)),
    Route(
        "events:create",
        "POST",
        lambda w: "/events/manage/new/",
        organisers(302, 403),
        data=event_form,
        done=lambda w: Event.objects.filter(title_en="Permission test event"),
    ),
    Route(
        "events:campaign-create",
        "GET",
        lambda w: "/events/manage/campaigns/new/",
        organisers(200, 403),
    ),
    Route(
        "events:campaign-create",
        "POST",
        lambda w: "/events/manage/campaigns/new/",
        organisers(302, 403),
        data=lambda w: {"name_zh": "测试行动", "starts_on": "2027-03-01", "ends_on": "2027-05-31"},
    ),
    Route("events:edit", "GET", lambda w: page(w, "edit"), organisers(200, 403)),
    Route(
        "events:edit",
        "GET",
        lambda w: page(w, "edit", "other_event"),
        only_national(200, 403),
        label="other province",
    ),
    Route(
        "events:edit",
        "GET",
        lambda w: page(w, "edit", "draft_event"),
        organisers(200, 404),
        label="draft",
    ),
    Route(
        "events:edit",
        "POST",
        lambda w: page(w, "edit"),
        organisers(302, 403),
        data=event_form,
    ),
    Route(
        "events:publish",
        "POST",
        lambda w: page(w, "publish", "draft_event"),
        organisers(302, 404),
        label="draft",
        move=Move(lambda w: ev(w, "draft_event"), E.DRAFT, E.PUBLISHED),
    ),
    Route(
        "events:cancel",
        "POST",
        lambda w: page(w, "cancel"),
        organisers(302, 403),
        # The page's form for the move is prefixed with the action's name.
        data=lambda w: {"cancel-reason": "Venue unavailable"},
        move=Move(ev, E.PUBLISHED, E.CANCELLED),
    ),
    Route(
        "events:registrations",
        "GET",
        lambda w: page(w, "registrations"),
        organisers(200, 403),
        shows=lambda w: {reg(w).code: frozenset(ORGANISERS)},
    ),
    Route(
        "events:registrations",
        "GET",
        lambda w: page(w, "registrations", "other_event"),
        only_national(200, 403),
        label="other province",
    ),
    Route(
        "events:export",
        "GET",
        lambda w: page(w, "registrations/export") + "?file=xlsx",
        organisers(200, 403),
    ),
    Route(
        "events:registration-approve",
        "POST",
        lambda w: page(w, f"registrations/{reg(w).pk}/approve"),
        # Confirmed already: a message on the list, nothing changes.
        organisers(302, 403),
        label="confirmed already",
        refused=frozenset(ORGANISERS),
        move=Move(reg, Registration.Status.CONFIRMED, Registration.Status.CONFIRMED),
    ),
    Route(
        "events:registration-approve",
        "POST",
        lambda w: page(w, f"registrations/{w.row['waiting'].pk}/approve"),
        organisers(302, 403),
        data=lambda w: {"approve-note": "资料齐全"},
        label="awaiting approval",
        per_row=lambda w: {
            "waiting": RegistrationFactory(
                event=ev(w), enterprise=w.other_enterprise, status=Registration.Status.REGISTERED
            )
        },
        move=Move(lambda w: w.row["waiting"], R.REGISTERED, R.CONFIRMED),
        says="is confirmed.",
    ),
    Route("events:check-in", "GET", lambda w: page(w, "check-in"), organisers(200, 403)),
    Route(
        "events:check-in",
        "POST",
        lambda w: page(w, "check-in", name="live_event"),
        organisers(302, 403),
        data=lambda w: {"code": live_reg(w).code},
    ),
    # The event's report: its figures (docs/figures.md), kept by the dashboards.
    Route("dashboards:event-report", "GET", lambda w: report(w), organisers(200, 403)),
    Route(
        "dashboards:event-report",
        "POST",
        lambda w: report(w, "past_event"),
        organisers(302, 403),
        data=lambda w: {"participants_online": "300", "participants_offline": "120"},
    ),
]


def report(w: World, name: str = "event") -> str:
    return f"/dashboard/events/{ev(w, name).slug}/"


def api_report(w: World, name: str = "event") -> str:
    return f"/api/v1/dashboard/events/{ev(w, name).slug}/"


def api(w: World, action: str = "", name: str = "event") -> str:
    return f"/api/v1/events/{ev(w, name).slug}/{action + '/' if action else ''}"


def api_organisers(status: int, others: int, **overrides: int) -> dict[str, int]:
    return organisers(status, others, visitor=401, **overrides)


def api_body(w: World) -> dict[str, Any]:
    start = timezone.now() + dt.timedelta(days=20)
    return {
        "title_zh": "接口测试活动",
        "kinds": ["roadshow"],
        "host_province": w.park.province_id,
        "parks": [w.park.slug],
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=2)).isoformat(),
        "featured_products": [w.product.pk],
    }


API = [
    Route("api-campaigns", "GET", lambda w: "/api/v1/campaigns/", everyone(200)),
    Route(
        "api-campaigns",
        "POST",
        lambda w: "/api/v1/campaigns/",
        api_organisers(201, 403),
        data=lambda w: {"name_zh": "测试行动", "starts_on": "2027-03-01", "ends_on": "2027-05-31"},
        json=True,
    ),
    Route(
        "api-campaign",
        "GET",
        lambda w: "/api/v1/campaigns/park-campaign-2020/",
        everyone(200),
    ),
    Route("api-events", "GET", lambda w: "/api/v1/events/", everyone(200)),
    Route(
        "api-events",
        "GET",
        lambda w: "/api/v1/events/?province=330000&kind=matchmaking&when=upcoming",
        everyone(200),
        label="filtered",
    ),
    Route(
        "api-events",
        "POST",
        lambda w: "/api/v1/events/",
        api_organisers(201, 403),
        data=api_body,
        json=True,
        done=lambda w: Event.objects.filter(title_zh="接口测试活动"),
    ),
    Route("api-event", "GET", lambda w: api(w), everyone(200)),
    Route(
        "api-event",
        "GET",
        lambda w: api(w, name="draft_event"),
        organisers(200, 404, visitor=404),
        label="draft",
    ),
    Route(
        "api-event",
        "PATCH",
        lambda w: api(w),
        api_organisers(200, 403),
        data=lambda w: {"venue": "Hall C", "capacity": 60},
        json=True,
    ),
    Route(
        "api-event-publish",
        "POST",
        lambda w: api(w, "publish", "draft_event"),
        api_organisers(200, 404),
        label="draft",
        move=Move(lambda w: ev(w, "draft_event"), E.DRAFT, E.PUBLISHED),
    ),
    Route(
        "api-event-publish",
        "POST",
        lambda w: api(w, "publish"),
        api_organisers(409, 403),
        label="published",
        move=Move(ev, E.PUBLISHED, E.PUBLISHED),
    ),
    Route(
        "api-event-cancel",
        "POST",
        lambda w: api(w, "cancel"),
        api_organisers(200, 403),
        data=lambda w: {"reason": "Venue unavailable"},
        json=True,
        move=Move(ev, E.PUBLISHED, E.CANCELLED),
    ),
    Route(
        "api-event-participants",
        "POST",
        lambda w: api(w, "participants", "past_event"),
        api_organisers(200, 403),
        data=lambda w: {"participants_online": 300, "participants_offline": 120},
        json=True,
    ),
    Route("dashboard-event-report", "GET", lambda w: api_report(w), api_organisers(200, 403)),
    Route(
        "dashboard-event-report",
        "GET",
        lambda w: api_report(w, "other_event"),
        everyone(403, visitor=401, national_regulator=200),
        label="other province",
    ),
    Route(
        "api-event-registrations",
        "GET",
        lambda w: api(w, "registrations"),
        api_organisers(200, 403),
    ),
    Route(
        "api-event-check-in",
        "POST",
        lambda w: api(w, "check-in", name="live_event"),
        api_organisers(200, 403),
        data=lambda w: {"code": live_reg(w).code},
        json=True,
    ),
    Route(
        "api-registrations", "GET", lambda w: "/api/v1/registrations/", everyone(200, visitor=401)
    ),
    Route(
        "api-registrations",
        "POST",
        lambda w: "/api/v1/registrations/",
        # The demo enterprise is registered already.
        everyone(403, visitor=401, enterprise=409),
        data=lambda w: {"event": ev(w).slug, "enterprise": w.enterprise.pk},
        json=True,
        label="own enterprise",
    ),
    Route(
        "api-registrations",
        "POST",
        lambda w: "/api/v1/registrations/",
        everyone(403, visitor=401, other_enterprise=201),
        data=lambda w: {"event": ev(w).slug, "enterprise": w.other_enterprise.pk},
        json=True,
        label="other enterprise",
    ),
    Route(
        "api-registration",
        "GET",
        lambda w: f"/api/v1/registrations/{reg(w).pk}/",
        api_organisers(200, 404, enterprise=200),
    ),
    Route(
        "api-registration-cancel",
        "POST",
        lambda w: f"/api/v1/registrations/{reg(w).pk}/cancel/",
        api_organisers(200, 404, enterprise=200),
        move=Move(reg, R.CONFIRMED, R.CANCELLED),
    ),
    Route(
        "api-registration-approve",
        "POST",
        lambda w: f"/api/v1/registrations/{reg(w).pk}/approve/",
        # Confirmed already; the enterprise sees it but does not organise.
        api_organisers(409, 404, enterprise=403),
        move=Move(reg, R.CONFIRMED, R.CONFIRMED),
    ),
]

ROUTES = PAGES + API


@pytest.fixture(scope="module")
def events_world(world, django_db_blocker):
    """The events, committed once like the rest of the world."""
    with django_db_blocker.unblock():
        ev(world)
    return world


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), cases(ROUTES), ids=case_id)
def test_permission(events_world, route, role):
    world = events_world
    check(world, route, role)
