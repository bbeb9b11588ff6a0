"""Deciding without the phone, in Chinese: the bank asks for a statement,
the enterprise answers with a PDF, the bank downloads it, approves with its
terms, and the contract form opens with those terms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from financing.models import Application
from financing.services import application_take_for_review
from tests.browser.portal import JOURNEY, Portal
from tests.browser.test_bank import submitted_application
from tests.browser.test_enterprise_joins import sign_out

pytestmark = JOURNEY

STATEMENT = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
NAME = "2025年度财务报表.pdf"


@pytest.fixture(autouse=True)
def memory_storage(settings):
    """The documents go to the default storage, here kept in memory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.mark.parametrize("lang", ["zh-hans"])
def test_the_bank_asks_the_enterprise_answers_with_a_pdf_and_the_bank_approves_with_terms(
    portal: Portal,
):
    application = submitted_application(applicant_language="zh-hans")
    banker = application.product.institution.memberships.get(user__email="bank@example.com").user
    application_take_for_review(application=application, actor=banker)
    page = portal.page
    detail = f"/applications/{application.pk}/"

    # The bank asks for the latest financial statement.
    portal.sign_in("bank@example.com")
    portal.open(detail)
    ask = page.locator('form[data-action="request-info"]')
    ask.get_by_label("说明").fill("请补充2025年度财务报表。")
    ask.get_by_role("button", name="要求补充材料").click()
    page.wait_for_load_state()
    expect(page.locator("[data-status]")).to_have_text("待补充材料")
    sign_out(portal)

    # The enterprise answers with the PDF; the form states the limits.
    portal.sign_in("enterprise@example.com")
    portal.open(detail)
    reply = page.locator('form[data-action="answer-info"]')
    expect(reply).to_contain_text("每个文件不超过 10 MB，最多 5 个文件")
    reply.get_by_label("说明").fill("财务报表见附件。")
    reply.get_by_label("材料").set_input_files(
        {"name": NAME, "mimeType": "application/pdf", "buffer": STATEMENT}
    )
    portal.audit()
    portal.shot("enterprise", "answer-with-documents", full_page=True)
    reply.get_by_role("button", name="回复").click()
    page.wait_for_load_state()
    expect(page.locator("[data-status]")).to_have_text("审核中")
    expect(page.get_by_role("link", name=NAME)).to_be_visible()
    sign_out(portal)

    # The bank downloads it under its Chinese name.
    portal.sign_in("bank@example.com")
    portal.open(detail)
    with page.expect_download() as download:
        page.get_by_role("link", name=NAME).click()
    assert download.value.suggested_filename == NAME
    assert download.value.path().read_bytes() == STATEMENT

    # It approves with its terms.
    approve = page.locator('form[data-action="approve"]')
    approve.get_by_label("批准金额").fill("2500000")
    approve.get_by_label("年利率（%）").fill("4.35")
    approve.get_by_label("期限（月）").fill("24")
    approve.get_by_label("还款方式").select_option(label="按月付息，到期还本")
    portal.audit()
    portal.shot("bank", "approve-with-terms", full_page=True)
    approve.get_by_role("button", name="批准").click()
    page.wait_for_load_state()
    expect(page.locator("[data-status]")).to_have_text("已批准")
    expect(page.locator('[data-term="rate"]').first).to_have_text("4.35%")
    expect(page.locator('[data-term="repayment"]').first).to_have_text("按月付息，到期还本")

    # The contract form opens with the terms approved.
    contract = page.locator('form[data-action="sign-contract"]')
    expect(contract.get_by_label("年利率（%）")).to_have_value("4.35")
    expect(contract.get_by_label("期限（月）")).to_have_value("24")
    expect(contract.get_by_label("还款方式")).to_have_value("interest_monthly")
    portal.audit()
    portal.shot("bank", "contract-from-terms", full_page=True)

    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert (
        application.interest_rate_approved,
        application.term_months_approved,
        application.repayment_method_approved,
    ) == (Decimal("4.35"), 24, "interest_monthly")

    # The same page on a phone.
    page.set_viewport_size({"width": 375, "height": 740})
    portal.open(detail)
    portal.fits_the_screen()
    portal.shot("bank", "approved-terms-phone", full_page=True)
