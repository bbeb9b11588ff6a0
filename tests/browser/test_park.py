"""The park manager: opens an event at the park from "Events you organise",
checks a registered enterprise in at the desk by its code, is refused a second
check-in of the same code, and the desk fits a phone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from enterprises.models import Enterprise
from events.models import Registration
from parks.models import Park
from tests.browser.portal import JOURNEY, Portal
from tests.factories import EventFactory, RegistrationFactory

pytestmark = JOURNEY

DERUN = ("Hangzhou Derun Graphene Technology Co., Ltd.", "杭州德润石墨烯科技有限公司")


def registration_at_the_park() -> Registration:
    """A published event at the park manager's park starting within the hour,
    the demo enterprise confirmed for it."""
    event = EventFactory(
        title_en="Derun desk rehearsal",
        title_zh="德润签到演练",
        starts_at=timezone.now() + dt.timedelta(minutes=30),
    )
    event.parks.add(Park.objects.get(memberships__user__email="park@example.com"))
    enterprise = Enterprise.objects.get(memberships__user__email="enterprise@example.com")
    return RegistrationFactory(event=event, enterprise=enterprise)


def test_the_park_manager_checks_a_participant_in_once(portal: Portal):
    registration = registration_at_the_park()
    assert registration.status == Registration.Status.CONFIRMED

    portal.sign_in("park@example.com")
    portal.nav("Events you organise", "我主办的活动")
    portal.heading("Events you organise", "我主办的活动")
    portal.page.get_by_role(
        "link", name=portal.say("Derun desk rehearsal", "德润签到演练"), exact=True
    ).click()
    portal.page.wait_for_load_state()
    portal.heading("Derun desk rehearsal", "德润签到演练")
    portal.page.locator("main").get_by_role(
        "link", name=portal.say("Check-in", "签到"), exact=True
    ).first.click()
    portal.page.wait_for_load_state()
    portal.heading("Check-in", "签到")
    portal.audit()

    code = portal.page.get_by_label(
        portal.say("Type the registration's code", "输入报名签到码"), exact=False
    )
    check_in = portal.page.locator("main").get_by_role(
        "button", name=portal.say("Check in", "签到"), exact=True
    )
    # Typed in lower case with spaces, as a person at a desk might.
    code.fill(f"  {registration.code.lower()} ")
    check_in.click()
    portal.page.wait_for_load_state()
    party = portal.say(*DERUN)
    expect(portal.page.locator(".messages")).to_contain_text(
        portal.say(f"Checked in: {party}", f"已签到：{party}")
    )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CHECKED_IN
    assert registration.checked_in_at is not None
    portal.audit()
    portal.shot("park", "check-in")

    # The same code again: refused, naming the time of the first check-in.
    first = f"{timezone.localtime(registration.checked_in_at):%H:%M}"
    code.fill(registration.code)
    check_in.click()
    portal.page.wait_for_load_state()
    portal.sees(f"{party} was already checked in at {first}.", f"{party} 已于 {first} 签到。")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CHECKED_IN

    # The desk on a 375 px phone: the button in sight, nothing scrolls sideways.
    portal.page.set_viewport_size({"width": 375, "height": 740})
    portal.open(f"/events/{registration.event.slug}/check-in/")
    portal.heading("Check-in", "签到")
    expect(check_in).to_be_visible()
    expect(code).to_be_visible()
    portal.fits_the_screen()
    portal.audit()
