"""Withdrawing an application and voiding a contract from their pages are
asked first: the page says what will happen and to whom, and nothing changes
until the reader confirms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from financing.models import Application, Contract, Pledge
from financing.services import contract_record_onsite
from tests.confirming import asked
from tests.events.meetings.helpers import make_meeting_world
from tests.factories import ProductFactory
from tests.financing.workflow import application_at, snapshot

pytestmark = pytest.mark.django_db
S = Application.Status


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_withdrawing_an_application_says_the_bank_is_told_and_the_pledges_freed(parties):
    application = application_at(S.UNDER_REVIEW, parties)
    client = client_for(parties.applicant)
    before = snapshot(application)

    page = asked(
        client.post(
            f"/zh-hans/applications/{application.pk}/withdraw/", {"withdraw-note": "资金已到位"}
        )
    )

    assert snapshot(application) == before
    assert page.heading == "确认撤回"
    assert page.button == "确认撤回"
    assert page.consequences == [
        f"{parties.institution.name_zh} 将停止审核贵企业申请“{parties.product.name_zh}”的"
        f"融资申请 #{application.pk}，并收到撤回通知。",
        "拟质押的 2 项知识产权将解除，可用于其他申请。",
        "申请撤回后不能恢复；如仍需融资，请重新申请。",
    ]
    assert page.back == f"/zh-hans/applications/{application.pk}/"

    page.confirm(client)

    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    last = application.history.last()
    assert last is not None
    assert last.note == "资金已到位"
    assert set(application.pledges.values_list("status", flat=True)) == {Pledge.Status.DROPPED}


def test_withdrawing_a_draft_does_not_speak_of_the_bank(parties):
    application = application_at(S.DRAFT, parties)
    page = asked(client_for(parties.applicant).post(f"/applications/{application.pk}/withdraw/"))
    assert page.consequences == [
        "The 2 IP assets proposed as pledges are released: you may pledge them in other "
        "applications.",
        "A withdrawn application cannot be reopened; to borrow, apply again.",
    ]


def test_a_move_that_destroys_nothing_is_not_asked(parties):
    application = application_at(S.SUBMITTED, parties)
    response = client_for(parties.banker).post(f"/applications/{application.pk}/take-for-review/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_voiding_a_contract_says_it_leaves_the_figures_and_who_is_told():
    mw = make_meeting_world()
    product = ProductFactory(institution=mw.bank)
    contract = contract_record_onsite(
        event=mw.event,
        actor=mw.organiser,
        kind="intention",
        amount=Decimal("2000000.00"),
        signed_on=timezone.localdate(),
        reference="ONSITE-C-1",
        registration=mw.enterprise_registration,
        institution=mw.bank,
        product=product,
    )
    organiser = client_for(mw.organiser)

    page = asked(organiser.post(f"/zh-hans/contracts/{contract.pk}/void/", {"note": "录入重复"}))

    contract.refresh_from_db()
    assert contract.status == Contract.Status.SIGNED
    assert page.button == "确认作废（误录）"
    assert page.consequences == [
        f"意向协议 ONSITE-C-1 的记录将保留，但不再计入“{mw.event.title_zh}”、所属专项活动"
        "及数据看板的任何统计。",
        f"{mw.enterprise.name_zh} 的成员和 {mw.bank.name_zh} 的工作人员将收到作废通知及原因。",
        "作废后不能恢复。",
    ]

    page.confirm(organiser)

    contract.refresh_from_db()
    assert contract.status == Contract.Status.VOID
