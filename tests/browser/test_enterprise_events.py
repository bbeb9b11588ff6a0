"""The enterprise: registers for an upcoming event with its financing need,
gets its QR code for the desk, and finds the registration among its own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from events.models import Registration
from tests.browser.portal import JOURNEY, Portal
from tests.factories import EventFactory

pytestmark = JOURNEY

DERUN = ("Hangzhou Derun Graphene Technology Co., Ltd.", "杭州德润石墨烯科技有限公司")
STATION = ("Binjiang graphene matchmaking day", "滨江石墨烯银企对接日")


def test_the_enterprise_registers_for_an_event_and_gets_its_qr_code(portal: Portal):
    event = EventFactory(
        title_en=STATION[0],
        title_zh=STATION[1],
        starts_at=timezone.now() + dt.timedelta(days=3),
        capacity=50,
    )

    portal.sign_in("enterprise@example.com")
    portal.nav("Events", "活动")
    portal.heading("Events", "活动")
    portal.page.get_by_role("link", name=portal.say(*STATION), exact=True).click()
    portal.page.wait_for_load_state()
    portal.heading(*STATION)
    form = portal.page.locator(f'form[action$="/events/{event.slug}/register/"]')
    form.get_by_label(portal.say("Financing need", "融资需求")).fill("5000000")
    form.get_by_label(portal.say("Term (months)", "期限（月）")).fill("12")
    portal.audit()
    form.get_by_role("button", name=portal.say("Register", "报名"), exact=True).click()
    portal.page.wait_for_load_state()

    registration = Registration.objects.get(event=event)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.need_amount == Decimal("5000000")
    assert registration.need_term_months == 12
    portal.sees(
        "You are registered. A confirmation with a calendar file is on its way.",
        "报名成功。附有日历文件的确认邮件正在发送。",
    )
    portal.heading(*DERUN)
    qr = portal.page.get_by_role("img", name=portal.say("QR code for check-in", "签到二维码"))
    expect(qr).to_be_visible()
    expect(qr.locator("svg")).to_have_count(1)
    expect(portal.page.locator(".ticket .code")).to_have_text(registration.code)
    portal.sees("¥5,000,000", "500万元")
    portal.audit()
    portal.shot("enterprise", "registration")

    # Among the enterprise's registrations, confirmed, with its code.
    portal.nav("My registrations", "我的报名")
    row = portal.page.locator("tr", has_text=portal.say(*STATION))
    expect(row).to_contain_text(portal.say("Confirmed", "已确认"))
    expect(row).to_contain_text(registration.code)
    portal.audit()

    # The ticket on a phone.
    portal.page.set_viewport_size({"width": 375, "height": 740})
    portal.open(f"/events/registrations/{registration.code}/")
    expect(qr).to_be_visible()
    portal.fits_the_screen()
