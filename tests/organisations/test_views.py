"""The organisations pages as a person uses them, in Chinese and English."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from core.models import Membership
from organisations.models import Invitation
from organisations.selectors import invitation_token
from parks.models import Park
from products.models import Institution
from tests.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return response.content.decode()


def test_my_organisations_in_chinese(client, bank, bank_admin):
    client.force_login(bank_admin)
    response = client.get("/zh-hans/organisations/")
    assert response.status_code == 200
    text = page(response)
    assert "我的组织" in text
    assert "测试银行" in text
    assert "管理员" in text


def test_my_organisations_lists_every_kind_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    regulator = User.objects.get(email="zhejiang.regulator@example.com")
    for institution in [Institution.objects.order_by("pk")[i] for i in range(3)]:
        member_of(institution, regulator)
    # ... and has invited people into three parks.
    for n, park in enumerate(Park.objects.filter(province_id="330000")[:3]):
        Invitation.objects.create(
            kind="park",
            organisation_id=park.pk,
            email=f"manager{n}@park.test",
            invited_by=regulator,
            expires_at=timezone.now() + timedelta(days=7),
        )
    client.force_login(regulator)
    with django_assert_max_num_queries(16):
        response = client.get("/organisations/")
    text = page(response)
    assert text.count('href="/organisations/institution/') >= 3
    assert "Invitations you have sent" in text
    assert text.count('href="/organisations/park/') == 3
    assert "manager2@park.test" in text


def test_the_members_page_takes_a_fixed_number_of_queries(
    client, bank, bank_admin, django_assert_max_num_queries
):
    for _ in range(12):
        member_of(bank)
    client.force_login(bank_admin)
    with django_assert_max_num_queries(16):
        response = client.get(f"/organisations/institution/{bank.pk}/")
    assert page(response).count("Make administrator") == 12


def test_an_admin_invites_from_the_members_page(client, bank, bank_admin):
    client.force_login(bank_admin)
    url = f"/organisations/institution/{bank.pk}/invite/"
    response = client.post(url, {"email": "not an address", "role": "member", "language": "en"})
    assert response.status_code == 200
    assert "Enter a valid email address." in page(response)
    assert not Invitation.objects.exclude(email="new.officer@example.com").exists()

    response = client.post(
        url, {"email": "colleague@bank.test", "role": "member", "language": "en"}, follow=True
    )
    assert "Invitation sent to colleague@bank.test." in page(response)
    assert "colleague@bank.test" in page(response)  # among the open invitations


def test_the_last_admin_is_told_why_they_cannot_leave(client, bank, bank_admin):
    client.force_login(bank_admin)
    response = client.post(f"/organisations/institution/{bank.pk}/leave/", follow=True)
    assert "at least one administrator" in page(response)
    assert bank.memberships.filter(user=bank_admin).exists()


def test_an_admin_makes_a_colleague_admin_then_leaves(client, bank, bank_admin):
    colleague = member_of(bank)
    membership = bank.memberships.get(user=colleague)
    client.force_login(bank_admin)
    client.post(
        f"/organisations/institution/{bank.pk}/members/{membership.pk}/role/", {"role": "admin"}
    )
    response = client.post(f"/organisations/institution/{bank.pk}/leave/", follow=True)
    assert "You have left" in page(response)
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN


def _invitation(bank, bank_admin, email="new.person@bank.test", **extra) -> Invitation:
    return Invitation.objects.create(
        kind="institution",
        organisation_id=bank.pk,
        email=email,
        invited_by=bank_admin,
        expires_at=timezone.now() + timedelta(days=7),
        **extra,
    )


def test_a_new_person_sets_a_password_on_the_link_and_is_signed_in(client, bank, bank_admin):
    link = f"/zh-hans/organisations/join/{invitation_token(_invitation(bank, bank_admin))}/"
    response = client.get(link)
    assert "加入测试银行" in page(response)
    response = client.post(
        link, {"full_name": "李新", "password": "short", "password_again": "short"}
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="new.person@bank.test").exists()

    response = client.post(
        link,
        {"full_name": "李新", "password": "a-long-secret-9", "password_again": "a-long-secret-9"},
        follow=True,
    )
    user = User.objects.get(email="new.person@bank.test")
    assert response.context["user"] == user
    assert bank.memberships.filter(user=user).exists()
    assert "李新" in page(response)

    client.logout()
    again = client.get(link)
    assert again.status_code == 410
    assert "已被接受" in page(again)


def test_an_existing_user_signs_in_then_accepts(client, bank, bank_admin):
    existing = UserFactory(email="officer@bank.test")
    link = f"/organisations/join/{invitation_token(_invitation(bank, bank_admin, existing.email))}/"
    assert "Sign in, and you come back here" in page(client.get(link))
    client.force_login(existing)
    response = client.post(link, follow=True)
    assert "Welcome to" in page(response)
    assert bank.memberships.filter(user=existing).exists()


def test_an_expired_or_revoked_link_says_so(client, bank, bank_admin):
    expired = _invitation(bank, bank_admin)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    response = client.get(f"/organisations/join/{invitation_token(expired)}/")
    assert response.status_code == 410
    assert "It has expired" in page(response)
    revoked = _invitation(bank, bank_admin, "other@bank.test", status="revoked")
    response = client.get(f"/organisations/join/{invitation_token(revoked)}/")
    assert "It was revoked" in page(response)


def test_a_regulator_adds_an_institution_and_its_admin_gets_the_mail(
    client, django_capture_on_commit_callbacks
):
    regulator = User.objects.get(email="zhejiang.regulator@example.com")
    client.force_login(regulator)
    form = {
        "name_zh": "杭州页面测试银行",
        "kind": "bank",
        "licence_number": "B0001H133010077",
        "province": "330000",
        "email": "first@hzbank.test",
        "language": "zh-hans",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/organisations/institutions/new/", form, follow=True)
    institution = Institution.objects.get(licence_number="B0001H133010077")
    assert response.redirect_chain[-1][0] == f"/organisations/institution/{institution.pk}/"
    assert "first@hzbank.test" in page(response)
    [sent] = mail.outbox
    assert sent.to == ["first@hzbank.test"]
    assert "/zh-hans/organisations/join/" in sent.body


def test_an_institution_outside_the_province_is_refused_on_the_page(client):
    client.force_login(User.objects.get(email="zhejiang.regulator@example.com"))
    before = Institution.objects.count()
    response = client.post(
        "/organisations/institutions/new/",
        {
            "name_zh": "重庆测试银行",
            "kind": "bank",
            "licence_number": "B0001H150000077",
            "province": "500000",
            "email": "first@cqbank.test",
            "language": "zh-hans",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in page(response)
    assert Institution.objects.count() == before


def test_the_demo_bank_has_an_open_invitation_to_show(client):
    banker = User.objects.get(email="bank@example.com")
    bank = Institution.objects.get(memberships__user=banker)
    client.force_login(banker)
    response = client.get(f"/organisations/institution/{bank.pk}/")
    assert "new.officer@example.com" in page(response)


def test_the_operator_finds_the_offices_awaiting_a_first_member(client):
    from accounts.models import RegulatorOffice

    office = RegulatorOffice.objects.create(
        code="hunan-ip-test",
        name_zh="湖南省知识产权局（测试）",
        name_en="Hunan IP Office (test)",
        kind="ip_office",
        level="provincial",
        province_id="430000",
    )
    client.force_login(User.objects.get(email="admin@example.com"))
    text = page(client.get("/organisations/"))
    assert f'href="/organisations/office/{office.pk}/"' in text
    # The demo regulators administer theirs: those are not listed.
    administered = RegulatorOffice.objects.get(code="zhejiang-ip-office")
    assert f'href="/organisations/office/{administered.pk}/"' not in text
    response = client.get(f"/organisations/office/{office.pk}/")
    assert "Send the invitation" in page(response)


def _title(text: str) -> str:
    return text.split("<title>", 1)[1].split("</title>", 1)[0]


def test_the_pages_titles_carry_only_their_names_and_the_tables_stand_in_the_body(
    client, bank, bank_admin
):
    Invitation.objects.create(
        kind="institution",
        organisation_id=bank.pk,
        email="newcomer@bank.test",
        invited_by=bank_admin,
        expires_at=timezone.now() + timedelta(days=7),
    )
    client.force_login(bank_admin)
    mine = page(client.get("/organisations/"))
    assert _title(mine).strip() == "My organisations · ipfin"
    assert "newcomer@bank.test" in mine.split("</title>", 1)[1]
    members = page(client.get(f"/organisations/institution/{bank.pk}/"))
    assert "Security log" not in _title(members)
    body = members.split("</title>", 1)[1]
    assert body.count("Security log") == 1
    assert body.count("newcomer@bank.test") == 1
