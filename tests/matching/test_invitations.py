"""A bank invites the enterprises among its leads: to apply for one of its
products, or to meet at an event where it is registered. It confirms first,
sees whom it invited and when, cannot send the same invitation twice while it
is open, and no other bank sees any of it; the enterprise's members are told
in their own language and find the invitation on their workspace."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Notification
from core.models import IPKind, Province
from events.models import Registration
from matching.models import LeadInvitation
from products.models import Product
from tests.factories import (
    EnterpriseFactory,
    EventFactory,
    InstitutionFactory,
    IPAssetFactory,
    ProductFactory,
    RegistrationFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    """A bank serving Xinjiang only, and one discoverable Xinjiang enterprise
    with a Chinese-reading and an English-reading member."""
    product = ProductFactory(
        name_en="Xinjiang IP Loan",
        name_zh="新疆知识产权贷",
        amount_min=Decimal("100000"),
        term_max_months=60,
    )
    product.accepted_ip_kinds.set(IPKind.objects.filter(code="invention_patent"))
    product.provinces_served.set([Province.objects.get(pk="650000")])
    banker = member_of(product.institution, UserFactory(email="inviter@test.example.com"))
    enterprise = EnterpriseFactory(
        discoverable=True,
        province_id="650000",
        need_amount=Decimal("500000"),
        need_term_months=12,
        name_zh="天山科技有限公司",
        name_en="Tianshan Technology Co., Ltd.",
    )
    IPAssetFactory(enterprise=enterprise, appraised_value=Decimal("3000000"))
    zh = member_of(enterprise, UserFactory(email="zh.member@test.example.com", language="zh-hans"))
    en = member_of(enterprise, UserFactory(email="en.member@test.example.com", language="en"))
    return {"product": product, "banker": banker, "enterprise": enterprise, "zh": zh, "en": en}


def _invite(client, lead, *, confirmed=True):
    data = {"product": lead["product"].pk}
    if confirmed:
        data["confirmed"] = "1"
    return client.post(f"/matching/leads/{lead['enterprise'].pk}/invite/", data, follow=True)


def test_inviting_to_apply_asks_first_then_tells_each_member_in_their_language(client, lead):
    client.force_login(lead["banker"])
    asked = _invite(client, lead, confirmed=False)
    assert "confirm_move.html" in [t.name for t in asked.templates]
    assert "The 2 members of Tianshan Technology Co., Ltd. are told" in asked.content.decode()
    assert (
        not LeadInvitation.objects.exists()
        and not Notification.objects.filter(kind="lead-invitation-apply").exists()
    )

    done = _invite(client, lead).content.decode()
    assert "Tianshan Technology Co., Ltd. is invited to apply for “Xinjiang IP Loan”." in done
    invitation = LeadInvitation.objects.get()
    assert invitation.kind == "apply" and invitation.invited_by == lead["banker"]
    # The leads page says whom it invited, and when.
    assert "Invited on" in done and "to apply for Xinjiang IP Loan" in done
    zh_note = Notification.objects.get(recipient=lead["zh"])
    en_note = Notification.objects.get(recipient=lead["en"])
    assert "天山科技有限公司" in zh_note.body and "新疆知识产权贷" in zh_note.subject
    assert "邀请" in zh_note.subject
    assert en_note.subject.endswith("invites you to apply for Xinjiang IP Loan")
    assert zh_note.link == f"/applications/new/?product={lead['product'].code}"


def test_the_same_invitation_cannot_be_sent_again_while_open(client, lead):
    client.force_login(lead["banker"])
    _invite(client, lead)
    again = _invite(client, lead).content.decode()
    assert "was already invited to apply for this product on" in again
    assert LeadInvitation.objects.count() == 1
    assert Notification.objects.filter(kind="lead-invitation-apply").count() == 2  # one per member
    # Once it has lapsed, the bank may invite again.
    LeadInvitation.objects.update(open_until=timezone.now() - dt.timedelta(minutes=1))
    _invite(client, lead)
    assert LeadInvitation.objects.count() == 2


def test_another_bank_sees_nothing_and_cannot_offer_a_product_not_its_own(client, lead):
    client.force_login(lead["banker"])
    _invite(client, lead)
    rival = InstitutionFactory(name_en="Rival Bank")
    rival_product = ProductFactory(
        institution=rival, name_en="Rival Loan", amount_min=Decimal("100000"), term_max_months=60
    )
    rival_product.accepted_ip_kinds.set(IPKind.objects.filter(code="invention_patent"))
    rival_product.provinces_served.set([Province.objects.get(pk="650000")])
    rival_officer = member_of(rival, UserFactory(email="rival@test.example.com"))
    client.force_login(rival_officer)
    html = client.get("/matching/leads/").content.decode()
    assert f'data-enterprise="{lead["enterprise"].pk}"' in html  # the same lead…
    assert "data-invited" not in html  # …without the other bank's invitation
    # The other bank's product is no choice of its own.
    refused = client.post(
        f"/matching/leads/{lead['enterprise'].pk}/invite/",
        {"product": lead["product"].pk, "confirmed": "1"},
        follow=True,
    ).content.decode()
    assert "Choose one of your published products." in refused
    assert LeadInvitation.objects.count() == 1


def test_an_enterprise_that_did_not_opt_in_cannot_be_invited(client, lead):
    hidden = EnterpriseFactory(discoverable=False)
    client.force_login(lead["banker"])
    response = client.post(
        f"/matching/leads/{hidden.pk}/invite/", {"product": lead["product"].pk, "confirmed": "1"}
    )
    assert response.status_code == 404
    assert not LeadInvitation.objects.exists()


def test_a_draft_product_is_not_offered(client, lead):
    lead["product"].status = Product.Status.DRAFT
    lead["product"].save()
    client.force_login(lead["banker"])
    html = _invite(client, lead).content.decode()
    assert "Choose one of your published products." in html
    assert not LeadInvitation.objects.exists()


def test_inviting_to_meet_at_an_event_where_the_bank_is_registered(client, lead):
    event = EventFactory(campaign=None, title_en="Urumqi Station", title_zh="乌鲁木齐站")
    RegistrationFactory(
        event=event,
        enterprise=None,
        institution=lead["product"].institution,
        status=Registration.Status.CONFIRMED,
    )
    elsewhere = EventFactory(campaign=None, title_en="Not Ours")
    client.force_login(lead["banker"])
    page = client.get("/matching/leads/").content.decode()
    assert "Urumqi Station" in page and "Not Ours" not in page
    url = f"/matching/leads/{lead['enterprise'].pk}/invite-to-meet/"
    asked = client.post(url, {"event": event.pk})
    assert "confirm_move.html" in [t.name for t in asked.templates]
    done = client.post(url, {"event": event.pk, "confirmed": "1"}, follow=True).content.decode()
    assert "is invited to meet you at “Urumqi Station”." in done
    assert "to meet at Urumqi Station" in done
    note = Notification.objects.get(recipient=lead["zh"], kind="lead-invitation-meeting")
    assert "乌鲁木齐站" in note.subject and note.link == f"/events/{event.slug}/"
    again = client.post(url, {"event": event.pk, "confirmed": "1"}, follow=True).content.decode()
    assert "was already invited to meet at this event on" in again
    refused = client.post(url, {"event": elsewhere.pk, "confirmed": "1"}, follow=True)
    assert "Choose an upcoming event where your institution is registered." in (
        refused.content.decode()
    )
    assert LeadInvitation.objects.count() == 1


def test_the_leads_page_reads_its_invitations_in_a_fixed_number_of_queries(
    client, lead, django_assert_max_num_queries
):
    client.force_login(lead["banker"])
    _invite(client, lead)
    for _ in range(5):
        other = EnterpriseFactory(
            discoverable=True, province_id="650000", need_amount=Decimal("400000")
        )
        IPAssetFactory(enterprise=other, appraised_value=Decimal("3000000"))
    with django_assert_max_num_queries(30):
        html = client.get("/matching/leads/").content.decode()
    assert html.count("data-invited") == 1
