"""The enterprise withdraws an application: the portal first says what will
happen and to whom, going back changes nothing, and only the confirmation
withdraws it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from enterprises.models import Enterprise
from financing.models import Application, Pledge
from products.models import Product
from tests.browser.portal import JOURNEY, Portal
from tests.factories import ApplicationFactory

pytestmark = JOURNEY

PATENTS = ("201410593946.3", "201511245687.6")


def submitted_application() -> Application:
    enterprise = Enterprise.objects.get(memberships__user__email="enterprise@example.com")
    application = ApplicationFactory(
        enterprise=enterprise,
        product=Product.objects.get(code="hzbank-sci-tech-smart-loan"),
        status=Application.Status.SUBMITTED,
        amount_requested=Decimal("3000000.00"),
    )
    for asset in enterprise.ip_assets.filter(number__in=PATENTS):
        Pledge.objects.create(application=application, asset=asset)
    return application


@pytest.mark.parametrize("lang", ["zh-hans"])
def test_the_enterprise_withdraws_an_application_through_the_confirmation(portal: Portal):
    application = submitted_application()
    institution = application.product.institution.name_zh
    portal.sign_in("enterprise@example.com")
    portal.open(f"/applications/{application.pk}/")
    withdraw = portal.page.locator('form[data-action="withdraw"]')

    with portal.page.expect_navigation():
        withdraw.get_by_role("button", name="撤回").click()

    # Asked first: what will happen, and to whom.
    portal.expect_language()
    portal.heading("Confirm: Withdraw", "确认撤回")
    consequences = portal.page.locator("[data-consequences] li")
    expect(consequences).to_have_count(3)
    expect(consequences.nth(0)).to_contain_text(f"{institution} 将停止审核")
    expect(consequences.nth(0)).to_contain_text(f"#{application.pk}")
    expect(consequences.nth(1)).to_have_text("拟质押的 2 项知识产权将解除，可用于其他申请。")
    portal.audit()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED

    # Going back changes nothing.
    with portal.page.expect_navigation():
        portal.page.get_by_role("link", name="不，返回").click()
    portal.heading(f"Application #{application.pk}", f"#{application.pk}")
    expect(portal.page.locator("[data-status]")).to_have_text("已提交")

    with portal.page.expect_navigation():
        withdraw.get_by_role("button", name="撤回").click()
    with portal.page.expect_navigation():
        portal.page.get_by_role("button", name="确认撤回").click()

    portal.heading(f"Application #{application.pk}", f"#{application.pk}")
    expect(portal.page.locator("[data-status]")).to_have_text("已撤回")
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert set(application.pledges.values_list("status", flat=True)) == {Pledge.Status.DROPPED}
