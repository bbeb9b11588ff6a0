"""Each side lands on its workspace: the bank signs in to its new
applications, goes to its leads and invites an enterprise to apply; the
enterprise signs in to its workspace and finds the invitation there, with
the link to the application form."""

from __future__ import annotations

from playwright.sync_api import expect

from enterprises.models import Enterprise
from matching.models import LeadInvitation
from products.models import Product
from tests.browser.portal import JOURNEY, Portal
from tests.browser.test_bank import SMART_LOAN, submitted_application
from tests.browser.test_enterprise_joins import sign_out

pytestmark = JOURNEY


def test_the_bank_lands_on_its_queue_invites_a_lead_and_the_enterprise_finds_it(portal: Portal):
    submitted_application(applicant_language=portal.lang)
    enterprise = Enterprise.objects.get(memberships__user__email="enterprise@example.com")
    product = Product.objects.get(code=SMART_LOAN)

    # The bank signs in and lands on its workspace, the new applications first.
    portal.sign_in("bank@example.com")
    assert portal.page.url.endswith(portal.path("/products/manage/")), portal.page.url
    portal.heading("Institution workspace", "金融机构工作台")
    new = portal.page.locator('[data-count="new"] a')
    expect(new).to_contain_text(portal.say("new application", "份新申请"))
    assert int(new.locator("strong").inner_text()) >= 1
    portal.audit()
    portal.shot("bank", "workspace")
    new.click()
    portal.page.wait_for_load_state()
    portal.heading("Incoming applications", "收到的融资申请")
    expect(portal.page.locator("[data-application]").first).to_be_visible()

    # Its leads: invite the demo enterprise to apply for the Smart Loan.
    portal.nav("Leads", "潜在客户")
    row = portal.page.locator(f'tr[data-enterprise="{enterprise.pk}"]')
    row.locator("select[name=product]").select_option(str(product.pk))
    with portal.page.expect_navigation():
        row.get_by_role("button", name=portal.say("Invite to apply", "邀请申请")).click()
    portal.heading("Confirm: Invite to apply", "确认邀请申请")
    expect(portal.page.locator("[data-consequences] li").first).to_contain_text(
        portal.say(enterprise.name_en, enterprise.name_zh)
    )
    portal.audit()
    assert not LeadInvitation.objects.exists()  # asked first, nothing sent yet
    with portal.page.expect_navigation():
        portal.page.get_by_role(
            "button", name=portal.say("Confirm: Invite to apply", "确认邀请申请")
        ).click()
    portal.sees("is invited to apply for", "申请“")
    row = portal.page.locator(f'tr[data-enterprise="{enterprise.pk}"]')
    expect(row.locator("[data-invited]")).to_contain_text(portal.say("Invited on", "已于"))
    assert LeadInvitation.objects.get().product == product
    row.scroll_into_view_if_needed()
    portal.shot("bank", "leads")

    # The same invitation again is refused while it is open.
    with portal.page.expect_navigation():
        row.get_by_role("button", name=portal.say("Invite to apply", "邀请申请")).click()
    with portal.page.expect_navigation():
        portal.page.get_by_role(
            "button", name=portal.say("Confirm: Invite to apply", "确认邀请申请")
        ).click()
    portal.sees("was already invited", "不能重复邀请")
    assert LeadInvitation.objects.count() == 1

    # On a phone, the workspace and the leads fit the screen.
    portal.page.set_viewport_size({"width": 375, "height": 740})
    for path in ("/products/manage/", "/matching/leads/"):
        portal.open(path)
        portal.fits_the_screen()
    portal.open("/products/manage/")
    portal.shot("bank", "phone-workspace")
    portal.open("/matching/leads/")
    portal.page.locator(
        f'tr[data-enterprise="{enterprise.pk}"] [data-invited]'
    ).scroll_into_view_if_needed()
    portal.shot("bank", "phone-leads")
    sign_out(portal)
    portal.page.set_viewport_size({"width": 1280, "height": 800})

    # The enterprise signs in to its workspace and finds the invitation.
    portal.sign_in("enterprise@example.com")
    assert portal.page.url.endswith(portal.path("/enterprise/")), portal.page.url
    invitation = portal.page.locator("[data-invitations] li").first
    expect(invitation).to_contain_text(portal.say(product.name_en, product.name_zh))
    expect(invitation).to_contain_text(portal.say("invites you to apply for", "邀请贵企业申请"))
    portal.audit()
    portal.shot("enterprise", "workspace-invitation")
    with portal.page.expect_navigation():
        invitation.get_by_role("link", name=portal.say("Apply", "申请")).click()
    assert f"product={SMART_LOAN}" in portal.page.url
    portal.page.set_viewport_size({"width": 375, "height": 740})
    portal.open("/enterprise/")
    portal.fits_the_screen()
    portal.shot("enterprise", "phone-workspace")
