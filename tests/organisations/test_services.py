"""Members, roles and invitations, through the services."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from accounts.models import RegulatorOffice, User
from core.exceptions import Conflict
from core.models import Membership, Province
from core.workflow import MoveNotAllowed
from organisations import services
from organisations.models import Invitation
from organisations.registry import KINDS
from organisations.selectors import invitation_by_token, invitation_token
from organisations.tasks import expire_invitations
from parks.models import Park
from products.models import Institution
from tests.factories import ParkFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db
ADMIN = Membership.Role.ADMIN
MEMBER = Membership.Role.MEMBER


_COMMIT: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks):
    _COMMIT["capture"] = django_capture_on_commit_callbacks


def invite(kind, organisation, actor, email="new.person@bank.test", **kwargs):
    """Send, and run what follows the commit (the mail)."""
    with _COMMIT["capture"](execute=True):
        return services.invitation_send(
            kind=kind, organisation=organisation, email=email, actor=actor, **kwargs
        )


# --- members


def test_the_last_admin_cannot_leave_be_removed_or_demoted(institution_kind, bank, bank_admin):
    own = bank.memberships.get(user=bank_admin)
    with pytest.raises(Conflict, match="at least one administrator"):
        services.membership_leave(kind=institution_kind, organisation=bank, actor=bank_admin)
    with pytest.raises(Conflict):
        services.membership_remove(
            kind=institution_kind, organisation=bank, membership=own, actor=bank_admin
        )
    with pytest.raises(Conflict):
        services.membership_set_role(
            kind=institution_kind, organisation=bank, membership=own, role=MEMBER, actor=bank_admin
        )
    own.refresh_from_db()
    assert own.role == ADMIN


def test_with_a_second_admin_the_first_may_leave(institution_kind, bank, bank_admin):
    colleague = member_of(bank)
    membership = bank.memberships.get(user=colleague)
    services.membership_set_role(
        kind=institution_kind,
        organisation=bank,
        membership=membership,
        role=ADMIN,
        actor=bank_admin,
    )
    services.membership_leave(kind=institution_kind, organisation=bank, actor=bank_admin)
    assert list(bank.memberships.values_list("user__email", "role")) == [(colleague.email, ADMIN)]


def test_a_plain_member_may_leave_but_not_manage(institution_kind, bank, bank_admin):
    colleague = member_of(bank)
    admin_membership = bank.memberships.get(user=bank_admin)
    with pytest.raises(PermissionDenied):
        services.membership_remove(
            kind=institution_kind, organisation=bank, membership=admin_membership, actor=colleague
        )
    services.membership_leave(kind=institution_kind, organisation=bank, actor=colleague)
    assert not bank.memberships.filter(user=colleague).exists()


# --- invitations


def test_an_admin_invites_and_the_new_person_sets_a_password(institution_kind, bank, bank_admin):
    invitation = invite(institution_kind, bank, bank_admin, language="zh-hans")
    assert invitation.status == Invitation.Status.SENT
    [sent] = mail.outbox
    assert sent.to == ["new.person@bank.test"]
    assert "测试银行" in sent.subject
    link = re.search(r"https?://\S+/zh-hans/organisations/join/([^/\s]+)/", str(sent.body))
    assert link, sent.body
    found = invitation_by_token(link.group(1))
    assert found is not None
    assert found == invitation
    assert invitation_by_token(invitation_token(invitation) + "x") is None

    accepted, user = services.invitation_accept_with_account(
        invitation=found, password="a-long-secret-9", full_name="李新"
    )
    assert accepted.status == Invitation.Status.ACCEPTED
    assert user.check_password("a-long-secret-9")
    assert user.language == "zh-hans"
    assert bank.memberships.get(user=user).role == MEMBER
    history = list(accepted.history.values_list("from_status", "to_status", "actor"))
    assert history == [("", "sent", bank_admin.pk), ("sent", "accepted", user.pk)]
    told = bank_admin.notifications.get(kind="invitation-accepted")
    assert told.subject == "李新已接受您发出的邀请，加入测试银行"  # the inviter reads Chinese


def test_an_accepted_link_cannot_be_used_again(institution_kind, bank, bank_admin):
    invitation = invite(institution_kind, bank, bank_admin)
    services.invitation_accept_with_account(
        invitation=invitation, password="a-long-secret-9", full_name="李新"
    )
    user = User.objects.get(email="new.person@bank.test")
    with pytest.raises(MoveNotAllowed):
        services.invitation_accept(invitation=invitation, actor=user)


def test_an_existing_user_accepts_and_the_mail_is_in_their_language(
    institution_kind, bank, bank_admin
):
    existing = UserFactory(email="officer@bank.test", language="en")
    invitation = invite(institution_kind, bank, bank_admin, email="Officer@Bank.test", role=ADMIN)
    assert invitation.email == "officer@bank.test"
    assert mail.outbox[0].subject.startswith("You are invited to join")
    services.invitation_accept(invitation=invitation, actor=existing)
    assert bank.memberships.get(user=existing).role == ADMIN


def test_someone_else_cannot_accept(institution_kind, bank, bank_admin):
    invitation = invite(institution_kind, bank, bank_admin)
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=invitation, actor=stranger)
    assert not bank.memberships.filter(user=stranger).exists()


def test_a_new_account_needs_a_name_and_a_good_password(institution_kind, bank, bank_admin):
    invitation = invite(institution_kind, bank, bank_admin)
    with pytest.raises(ValidationError) as refused:
        services.invitation_accept_with_account(invitation=invitation, password="123", full_name="")
    assert set(refused.value.message_dict) == {"full_name", "password"}
    assert not User.objects.filter(email="new.person@bank.test").exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT


def test_a_revoked_invitation_cannot_be_accepted(institution_kind, bank, bank_admin):
    invitation = invite(institution_kind, bank, bank_admin)
    services.invitation_revoke(invitation=invitation, actor=bank_admin)
    with pytest.raises(MoveNotAllowed):
        services.invitation_accept_with_account(
            invitation=invitation, password="a-long-secret-9", full_name="李新"
        )
    assert not User.objects.filter(email="new.person@bank.test").exists()


def test_members_cannot_invite_or_revoke(institution_kind, bank, bank_admin):
    colleague = member_of(bank)
    with pytest.raises(PermissionDenied):
        invite(institution_kind, bank, colleague)
    invitation = invite(institution_kind, bank, bank_admin)
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(invitation=invitation, actor=colleague)


def test_no_second_open_invitation_and_no_invitation_for_a_member(
    institution_kind, bank, bank_admin
):
    invite(institution_kind, bank, bank_admin)
    with pytest.raises(ValidationError, match="already open"):
        invite(institution_kind, bank, bank_admin)
    with pytest.raises(ValidationError, match="already a member"):
        invite(institution_kind, bank, bank_admin, email=bank_admin.email)


@override_settings(IPFIN_INVITATIONS_PER_HOUR=2)
def test_invitation_mails_are_limited_per_inviter_and_hour(institution_kind, bank, bank_admin):
    invite(institution_kind, bank, bank_admin, email="a@bank.test")
    invite(institution_kind, bank, bank_admin, email="b@bank.test")
    with pytest.raises(ValidationError, match="in the last hour"):
        invite(institution_kind, bank, bank_admin, email="c@bank.test")
    assert len(mail.outbox) == 2
    Invitation.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    invite(institution_kind, bank, bank_admin, email="c@bank.test")


def test_the_hourly_task_expires_old_invitations(institution_kind, bank, bank_admin):
    old = invite(institution_kind, bank, bank_admin, email="old@bank.test")
    fresh = invite(institution_kind, bank, bank_admin, email="fresh@bank.test")
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert expire_invitations.delay().get() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (Invitation.Status.EXPIRED, Invitation.Status.SENT)
    assert old.history.last().actor is None


def test_an_invitation_past_its_date_is_refused_before_the_task_runs(
    institution_kind, bank, bank_admin
):
    invitation = invite(institution_kind, bank, bank_admin)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    invitation.refresh_from_db()
    with pytest.raises(Conflict, match="expired"):
        services.invitation_accept_with_account(
            invitation=invitation, password="a-long-secret-9", full_name="李新"
        )
    assert not User.objects.filter(email=invitation.email).exists()


# --- who brings whom in


def test_a_provincial_regulator_adds_an_institution_and_invites_its_admin(zhejiang_regulator):
    institution, invitation = services.institution_invite(
        actor=zhejiang_regulator,
        name_zh="浙江测试银行",
        kind="bank",
        licence_number="B0001H133010001",
        province=Province.objects.get(pk="330000"),
        email="first.admin@zjbank.test",
    )
    assert institution.licence_number == "B0001H133010001"
    assert (invitation.kind, invitation.organisation_id, invitation.role) == (
        "institution",
        institution.pk,
        ADMIN,
    )
    # Once an administrator is in, the institution is theirs: the regulator invites no more.
    services.invitation_accept_with_account(
        invitation=invitation, password="a-long-secret-9", full_name="赵一"
    )
    with pytest.raises(PermissionDenied):
        invite(KINDS["institution"], institution, zhejiang_regulator, email="x@zjbank.test")


def test_an_institution_outside_the_province_is_refused_with_nothing_written(zhejiang_regulator):
    before = Institution.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.institution_invite(
            actor=zhejiang_regulator,
            name_zh="重庆测试银行",
            kind="bank",
            licence_number="B0001H150000001",
            province=Province.objects.get(pk="500000"),
            email="admin@cqbank.test",
        )
    assert "province" in refused.value.message_dict
    assert Institution.objects.count() == before
    assert not Invitation.objects.exclude(email="new.officer@example.com").exists()


def test_a_taken_licence_number_is_refused(zhejiang_regulator, national_regulator):
    common: dict[str, Any] = {
        "name_zh": "某银行",
        "kind": "bank",
        "licence_number": "B0001H133010009",
        "province": Province.objects.get(pk="330000"),
    }
    services.institution_invite(actor=zhejiang_regulator, email="a@x.test", **common)
    with pytest.raises(ValidationError) as refused:
        services.institution_invite(actor=national_regulator, email="b@x.test", **common)
    assert "licence_number" in refused.value.message_dict


def test_enterprises_cannot_add_institutions():
    staff = User.objects.get(email="enterprise@example.com")
    with pytest.raises(PermissionDenied):
        services.institution_invite(
            actor=staff,
            name_zh="某银行",
            kind="bank",
            licence_number="B1",
            province=Province.objects.get(pk="330000"),
            email="a@x.test",
        )


def test_regulators_add_parks_in_their_jurisdiction_and_invite_managers(zhejiang_regulator):
    park = services.park_add(
        actor=zhejiang_regulator,
        name_zh="宁波测试园",
        name_en="Ningbo Test Park",
        kind=Park.Kind.SCIENCE_PARK,
        province=Province.objects.get(pk="330000"),
        city_zh="宁波",
    )
    assert park.slug == "ningbo-test-park"
    invitation = invite(KINDS["park"], park, zhejiang_regulator, email="manager@park.test")
    assert invitation.kind == "park"
    with pytest.raises(ValidationError):
        services.park_add(
            actor=zhejiang_regulator,
            name_zh="重庆园",
            kind=Park.Kind.SCIENCE_PARK,
            province=Province.objects.get(pk="500000"),
            city_zh="重庆",
        )
    other_park = ParkFactory(province_id="500000")
    with pytest.raises(PermissionDenied):
        invite(KINDS["park"], other_park, zhejiang_regulator, email="m@cq.test")


def test_the_operator_invites_an_office_first_member_only():
    operator = User.objects.get(email="admin@example.com")
    office = RegulatorOffice.objects.create(
        code="hunan-test",
        name_zh="湖南测试局",
        kind="ip_office",
        level="provincial",
        province_id="430000",
    )
    invitation = invite(KINDS["office"], office, operator, email="head@hunan.test", role=ADMIN)
    services.invitation_accept_with_account(
        invitation=invitation, password="a-long-secret-9", full_name="湖南局长"
    )
    with pytest.raises(PermissionDenied):
        invite(KINDS["office"], office, operator, email="second@hunan.test")


def test_invitations_and_role_changes_go_to_the_organisations_security_log(
    institution_kind, bank, bank_admin
):
    from accounts.selectors import security_events_for_organisation

    invitation = invite(institution_kind, bank, bank_admin, email="officer@bank.test")
    _accepted, officer = services.invitation_accept_with_account(
        invitation=invitation, password="a-long-secret-9", full_name="周专员"
    )
    membership = bank.memberships.get(user=officer)
    services.membership_set_role(
        kind=institution_kind,
        organisation=bank,
        membership=membership,
        role=ADMIN,
        actor=bank_admin,
    )
    services.membership_remove(
        kind=institution_kind, organisation=bank, membership=membership, actor=bank_admin
    )
    log = [
        (event.kind, event.user_id)
        for event in security_events_for_organisation("institution", bank.pk)
    ]
    assert log == [
        ("member_removed", bank_admin.pk),
        ("role_changed", bank_admin.pk),
        ("invitation_accepted", officer.pk),
        ("invitation_sent", bank_admin.pk),
    ]
    # The invited address is confirmed: the link proved it.
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(user=officer).verified
