"""Permission table for organisations: my organisations, members, roles,
leaving, invitations and the invitation link, regulators adding institutions
and parks, and the public parks list; pages and API. "Own" is the demo bank
(`world.institution`, administered by the demo bank's officer); "other" is
`world.other_institution`, whose officer is a plain member."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import RegulatorOffice, SecurityEvent, User
from core.models import Membership
from organisations.models import Invitation
from organisations.selectors import invitation_token
from parks.models import Park
from products.models import Institution, InstitutionMembership
from tests.factories import UserFactory
from tests.permissions import ROLES, Move, Route, World, case_id, cases, check, everyone, signed_in


def own_membership(w: World, role: str = "institution") -> int:
    return w.institution.memberships.get(user=w.users[role]).pk


def other_membership(w: World) -> int:
    return w.other_institution.memberships.get(user=w.users["other_institution"]).pk


def bank_colleague(w: World, role: str = "member") -> dict[str, Any]:
    """A second officer of the demo bank, made for the row."""
    user = UserFactory(email="colleague.perm@test.example.com")
    colleague = InstitutionMembership.objects.create(
        institution=w.institution, user=user, role=role
    )
    return {"colleague": colleague}


def invitee_account(w: World) -> QuerySet[User]:
    return User.objects.filter(email="invitee@test.example.com")


def open_invitation(w: World, email: str = "invitee@test.example.com") -> Invitation:
    """An open invitation into the demo bank, made inside the test's transaction."""
    invitation = Invitation.objects.create(
        kind="institution",
        organisation_id=w.institution.pk,
        email=email,
        invited_by=w.users["institution"],
        expires_at=timezone.now() + timedelta(days=7),
    )
    return invitation


INVITEE = "perm-invitee-6h@test.example.com"
LOGGED = "PERM-LOG-3N"


def private_lines(kind: str) -> Callable[[World], dict[str, Any]]:
    """`per_row`: an open invitation into the world's organisation of `kind`
    (its inviters see it) and a line of its security log (its administrators'
    alone)."""

    def make(w: World) -> dict[str, Any]:
        organisation = w.institution if kind == "institution" else w.park
        Invitation.objects.create(
            kind=kind,
            organisation_id=organisation.pk,
            email=INVITEE,
            invited_by=w.users[kind],
            expires_at=timezone.now() + timedelta(days=7),
        )
        SecurityEvent.objects.create(
            kind=SecurityEvent.Kind.ROLE_CHANGED,
            organisation_kind=kind,
            organisation_id=organisation.pk,
            detail=f"someone@test.example.com: member → admin {LOGGED}",
        )
        return {}

    return make


revoking = Move(lambda w: w.row["invitation"], Invitation.Status.SENT, Invitation.Status.REVOKED)


def members(kind: str, pk: int, tail: str = "") -> str:
    return f"/organisations/{kind}/{pk}/{tail}"


def zhejiang_office() -> int:
    return RegulatorOffice.objects.get(code="zhejiang-ip-office").pk


def institution_form(w: World, province: str = "330000") -> dict[str, Any]:
    return {
        "name_zh": "权限测试银行",
        "name_en": "Permission Test Bank",
        "kind": "bank",
        "licence_number": f"B-PERM-{province}",
        "province": province,
        "email": "first.admin@permbank.test",
        "language": "zh-hans",
    }


def park_form(w: World, province: str = "330000") -> dict[str, Any]:
    return {
        "name_zh": "权限测试园区",
        "name_en": "Permission Test Park",
        "kind": "science_park",
        "province": province,
        "city_zh": "测试市",
    }


ADMIN = Membership.Role.ADMIN
MEMBER = Membership.Role.MEMBER
# What a refusal to leave an organisation without an administrator says.
LAST_ADMIN = "An organisation needs at least one administrator."
REGULATORS = {"provincial_regulator": 200, "national_regulator": 200}
BANK_ONLY = signed_in(403, institution=200)

PAGES = [
    Route("organisations:mine", "GET", lambda w: "/organisations/", signed_in(200)),
    Route(
        "organisations:institution-new",
        "GET",
        lambda w: "/organisations/institutions/new/",
        signed_in(403, **REGULATORS),
    ),
    Route(
        "organisations:institution-new",
        "POST",
        lambda w: "/organisations/institutions/new/",
        signed_in(403, provincial_regulator=302, national_regulator=302),
        data=institution_form,
        label="in Zhejiang",
        done=lambda w: Institution.objects.filter(name_en="Permission Test Bank"),
    ),
    Route(
        "organisations:institution-new",
        "POST",
        lambda w: "/organisations/institutions/new/",
        # Chongqing is not among the Zhejiang regulator's choices: the form comes back.
        signed_in(403, provincial_regulator=200, national_regulator=302),
        data=lambda w: institution_form(w, "500000"),
        label="in Chongqing",
        refused=frozenset({"provincial_regulator"}),
        done=lambda w: Institution.objects.filter(name_en="Permission Test Bank"),
    ),
    Route(
        "organisations:park-new",
        "GET",
        lambda w: "/organisations/parks/new/",
        signed_in(403, **REGULATORS),
    ),
    Route(
        "organisations:park-new",
        "POST",
        lambda w: "/organisations/parks/new/",
        signed_in(403, provincial_regulator=302, national_regulator=302),
        data=park_form,
        label="in Zhejiang",
        done=lambda w: Park.objects.filter(name_en="Permission Test Park"),
    ),
    Route(
        "organisations:park-new",
        "POST",
        lambda w: "/organisations/parks/new/",
        signed_in(403, provincial_regulator=200, national_regulator=302),
        data=lambda w: park_form(w, "500000"),
        label="in Chongqing",
        refused=frozenset({"provincial_regulator"}),
        done=lambda w: Park.objects.filter(name_en="Permission Test Park"),
    ),
    Route(
        "organisations:members",
        "GET",
        lambda w: members("institution", w.institution.pk),
        BANK_ONLY,
        label="own institution",
        per_row=private_lines("institution"),
        shows=lambda w: {INVITEE: frozenset({"institution"}), LOGGED: frozenset({"institution"})},
    ),
    Route(
        "organisations:members",
        "GET",
        lambda w: members("institution", w.other_institution.pk),
        # Nobody administers it yet: Zhejiang's regulators may invite its first administrator.
        signed_in(403, other_institution=200, **REGULATORS),
        label="other institution",
    ),
    Route(
        "organisations:members",
        "GET",
        lambda w: members("enterprise", w.enterprise.pk),
        signed_in(403, enterprise=200),
        label="own enterprise",
    ),
    Route(
        "organisations:members",
        "GET",
        lambda w: members("park", w.park.pk),
        # The regulators of Zhejiang (and the national one) invite the park's managers.
        signed_in(403, park=200, **REGULATORS),
        label="Zhejiang park",
        per_row=private_lines("park"),
        # Its open invitations are for whoever may invite; its security log
        # for its administrators only.
        shows=lambda w: {
            INVITEE: frozenset({"park", "provincial_regulator", "national_regulator"}),
            LOGGED: frozenset({"park"}),
        },
    ),
    Route(
        "organisations:members",
        "GET",
        lambda w: members("office", zhejiang_office()),
        signed_in(403, provincial_regulator=200),
        label="Zhejiang office",
    ),
    Route(
        "organisations:members",
        "GET",
        lambda w: members("nothing", 1),
        signed_in(404),
        label="unknown kind",
    ),
    Route(
        "organisations:invite",
        "POST",
        lambda w: members("institution", w.institution.pk, "invite/"),
        signed_in(403, institution=302),
        data=lambda w: {"email": "colleague@test.example.com", "role": "member", "language": "en"},
        label="own institution",
        done=lambda w: Invitation.objects.filter(email="colleague@test.example.com"),
    ),
    Route(
        "organisations:invite",
        "POST",
        lambda w: members("park", w.park.pk, "invite/"),
        signed_in(403, park=302, provincial_regulator=302, national_regulator=302),
        data=lambda w: {
            "email": "manager@test.example.com",
            "role": "admin",
            "language": "zh-hans",
        },
        label="Zhejiang park",
        done=lambda w: Invitation.objects.filter(email="manager@test.example.com"),
    ),
    Route(
        "organisations:role",
        "POST",
        lambda w: members(
            "institution", w.institution.pk, f"members/{w.row['colleague'].pk}/role/"
        ),
        signed_in(403, institution=302),
        data=lambda w: {"role": "admin"},
        label="own institution's member",
        per_row=bank_colleague,
        done=lambda w: InstitutionMembership.objects.filter(pk=w.row["colleague"].pk, role=ADMIN),
        says="role is changed.",
    ),
    Route(
        "organisations:role",
        "POST",
        lambda w: members("institution", w.institution.pk, f"members/{own_membership(w)}/role/"),
        signed_in(403, institution=302),
        data=lambda w: {"role": "member"},
        label="own institution's last administrator",
        # The bank's only administrator stays one: refused with a message.
        refused=frozenset({"institution"}),
        refusal=LAST_ADMIN,
        done=lambda w: InstitutionMembership.objects.filter(institution=w.institution, role=MEMBER),
    ),
    Route(
        "organisations:role",
        "POST",
        lambda w: members(
            "institution", w.other_institution.pk, f"members/{other_membership(w)}/role/"
        ),
        # The other bank's officer is a plain member: not theirs to change.
        signed_in(403),
        data=lambda w: {"role": "admin"},
        label="other institution",
        done=lambda w: InstitutionMembership.objects.filter(
            institution=w.other_institution, role=ADMIN
        ),
    ),
    Route(
        "organisations:remove",
        "POST",
        lambda w: members(
            "institution", w.institution.pk, f"members/{w.row['colleague'].pk}/remove/"
        ),
        signed_in(403, institution=302),
        label="own institution's member",
        per_row=bank_colleague,
        gone=lambda w: InstitutionMembership.objects.filter(pk=w.row["colleague"].pk),
        says="is no longer a member.",
    ),
    Route(
        "organisations:remove",
        "POST",
        # The bank's only administrator: refused with a message, nothing removed.
        lambda w: members("institution", w.institution.pk, f"members/{own_membership(w)}/remove/"),
        signed_in(403, institution=302),
        label="own institution's last administrator",
        refused=frozenset({"institution"}),
        refusal=LAST_ADMIN,
        gone=lambda w: InstitutionMembership.objects.filter(institution=w.institution),
    ),
    Route(
        "organisations:leave",
        "POST",
        lambda w: members("institution", w.institution.pk, "leave/"),
        signed_in(403, institution=302),
        label="own institution",
        # The last administrator may not leave: refused with a message.
        refused=frozenset({"institution"}),
        refusal=LAST_ADMIN,
        gone=lambda w: InstitutionMembership.objects.filter(institution=w.institution),
    ),
    Route(
        "organisations:leave",
        "POST",
        lambda w: members("institution", w.institution.pk, "leave/"),
        signed_in(403, institution=302),
        label="own institution with another administrator",
        per_row=lambda w: bank_colleague(w, role=ADMIN),
        gone=lambda w: InstitutionMembership.objects.filter(institution=w.institution),
        says="You have left",
    ),
    Route(
        "organisations:leave",
        "POST",
        lambda w: members("institution", w.other_institution.pk, "leave/"),
        signed_in(403, other_institution=302),
        label="other institution",
        gone=lambda w: InstitutionMembership.objects.filter(institution=w.other_institution),
        says="You have left",
    ),
    Route(
        "organisations:revoke",
        "POST",
        lambda w: f"/organisations/invitations/{w.row['invitation'].pk}/revoke/",
        signed_in(404, institution=302),
        label="own institution's",
        per_row=lambda w: {"invitation": open_invitation(w)},
        move=revoking,
    ),
    Route(
        "organisations:join",
        "GET",
        lambda w: f"/organisations/join/{invitation_token(open_invitation(w))}/",
        everyone(200),
    ),
    Route(
        "organisations:join",
        "GET",
        lambda w: "/organisations/join/not-a-token/",
        everyone(404),
        label="bad link",
    ),
    Route(
        "organisations:join",
        "POST",
        lambda w: f"/organisations/join/{invitation_token(open_invitation(w))}/",
        # Signed in with another address, the page says so and changes nothing.
        everyone(200, visitor=302),
        data=lambda w: {
            "full_name": "受邀人",
            "password": "a-long-secret-9",
            "password_again": "a-long-secret-9",
        },
        label="new account",
        refused=frozenset(ROLES) - {"visitor"},
        done=invitee_account,
    ),
]


def api_status(status: int, **overrides: int) -> dict[str, int]:
    return everyone(status, visitor=401, **overrides)


API = [
    Route("api-parks", "GET", lambda w: "/api/v1/parks/", everyone(200)),
    Route(
        "api-parks",
        "GET",
        lambda w: "/api/v1/parks/?province=330000&kind=national_hitech_zone&search=杭州",
        everyone(200),
        label="filtered",
    ),
    Route(
        "api-parks",
        "POST",
        lambda w: "/api/v1/parks/",
        api_status(403, provincial_regulator=201, national_regulator=201),
        data=park_form,
        json=True,
        label="in Zhejiang",
        done=lambda w: Park.objects.filter(name_en="Permission Test Park"),
    ),
    Route(
        "api-parks",
        "POST",
        lambda w: "/api/v1/parks/",
        api_status(403, provincial_regulator=400, national_regulator=201),
        data=lambda w: park_form(w, "500000"),
        json=True,
        label="in Chongqing",
        done=lambda w: Park.objects.filter(name_en="Permission Test Park"),
    ),
    Route("api-organisations", "GET", lambda w: "/api/v1/organisations/", api_status(200)),
    Route(
        "api-institution-invite",
        "POST",
        lambda w: "/api/v1/organisations/institutions/",
        api_status(403, provincial_regulator=201, national_regulator=201),
        data=institution_form,
        json=True,
        label="in Zhejiang",
        done=lambda w: Institution.objects.filter(name_en="Permission Test Bank"),
    ),
    Route(
        "api-institution-invite",
        "POST",
        lambda w: "/api/v1/organisations/institutions/",
        api_status(403, provincial_regulator=400, national_regulator=201),
        data=lambda w: institution_form(w, "500000"),
        json=True,
        label="in Chongqing",
        done=lambda w: Institution.objects.filter(name_en="Permission Test Bank"),
    ),
    Route(
        "api-organisation-members",
        "GET",
        lambda w: f"/api/v1/organisations/institution/{w.institution.pk}/members/",
        api_status(403, institution=200),
        label="own institution",
    ),
    Route(
        "api-organisation-members",
        "GET",
        lambda w: f"/api/v1/organisations/park/{w.park.pk}/members/",
        api_status(403, park=200, provincial_regulator=200, national_regulator=200),
        label="Zhejiang park",
    ),
    Route(
        "api-organisation-member",
        "PATCH",
        lambda w: (
            f"/api/v1/organisations/institution/{w.institution.pk}/members/{own_membership(w)}/"
        ),
        api_status(403, institution=200),
        data=lambda w: {"role": "admin"},
        json=True,
        label="own institution",
        # Already an administrator: answered, nothing changes.
        refused=frozenset({"institution"}),
    ),
    Route(
        "api-organisation-member",
        "PATCH",
        lambda w: (
            f"/api/v1/organisations/institution/{w.institution.pk}/members/{w.row['colleague'].pk}/"
        ),
        api_status(403, institution=200),
        data=lambda w: {"role": "admin"},
        json=True,
        label="own institution's member",
        per_row=bank_colleague,
        done=lambda w: InstitutionMembership.objects.filter(pk=w.row["colleague"].pk, role=ADMIN),
    ),
    Route(
        "api-organisation-member",
        "DELETE",
        lambda w: (
            f"/api/v1/organisations/institution/{w.institution.pk}/members/{w.row['colleague'].pk}/"
        ),
        api_status(403, institution=204),
        label="own institution's member",
        per_row=bank_colleague,
        gone=lambda w: InstitutionMembership.objects.filter(pk=w.row["colleague"].pk),
    ),
    Route(
        "api-organisation-member",
        "DELETE",
        lambda w: (
            f"/api/v1/organisations/institution/{w.institution.pk}/members/{own_membership(w)}/"
        ),
        # The only administrator: 409, nothing removed.
        api_status(403, institution=409),
        label="own institution",
        gone=lambda w: InstitutionMembership.objects.filter(institution=w.institution),
    ),
    Route(
        "api-organisation-member",
        "DELETE",
        lambda w: (
            f"/api/v1/organisations/institution/{w.other_institution.pk}"
            f"/members/{other_membership(w)}/"
        ),
        api_status(403),
        label="other institution",
    ),
    Route(
        "api-organisation-leave",
        "POST",
        lambda w: f"/api/v1/organisations/institution/{w.institution.pk}/leave/",
        api_status(403, institution=409),
        label="own institution",
    ),
    Route(
        "api-organisation-invitations",
        "GET",
        lambda w: f"/api/v1/organisations/institution/{w.institution.pk}/invitations/",
        api_status(403, institution=200),
        label="own institution",
    ),
    Route(
        "api-organisation-invitations",
        "POST",
        lambda w: f"/api/v1/organisations/institution/{w.institution.pk}/invitations/",
        api_status(403, institution=201),
        data=lambda w: {"email": "colleague@test.example.com"},
        json=True,
        label="own institution",
        done=lambda w: Invitation.objects.filter(email="colleague@test.example.com"),
    ),
    Route(
        "api-invitation-revoke",
        "POST",
        lambda w: f"/api/v1/invitations/{w.row['invitation'].pk}/revoke/",
        api_status(404, institution=200),
        label="own institution's",
        per_row=lambda w: {"invitation": open_invitation(w)},
        move=revoking,
    ),
    Route(
        "api-invitation-accept",
        "POST",
        lambda w: "/api/v1/invitations/accept/",
        # Signed in under another address: not theirs to accept.
        everyone(403, visitor=200),
        data=lambda w: {
            "token": invitation_token(open_invitation(w)),
            "full_name": "受邀人",
            "password": "a-long-secret-9",
        },
        json=True,
        label="new account",
        done=invitee_account,
    ),
]

ROUTES = PAGES + API


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), cases(ROUTES), ids=case_id)
def test_permission(world, route, role):
    check(world, route, role)
