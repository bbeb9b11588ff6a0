"""Permission table for joining the portal: the start page, join requests
and verification (pages and API).

Each row makes its own objects inside its transaction: an enterprise awaiting
verification in the demo park (Zhejiang) administered by a newcomer, the same
in Chongqing, a bureau-imported enterprise nobody administers, and a request
by a newcomer to join the demo enterprise (which the demo enterprise user
administers).
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from accounts.models import Notification
from enterprises.models import Enterprise, EnterpriseMembership, JoinRequest
from tests.factories import EnterpriseFactory, UserFactory
from tests.permissions import ROLES, Move, Route, World, case_id, cases, check, everyone, signed_in

PDF = b"%PDF-1.4\n%%EOF\n"
V = Enterprise.Verification
VERIFICATION_FIELD = {"field": "verification_status", "history": "verification_history"}
REFUSAL_REASON = "营业执照已过期 PERM-REASON-6D"


def awaiting(w: World, *, province: str = "330000") -> Enterprise:
    enterprise = EnterpriseFactory(
        province_id=province,
        park=w.park if province == "330000" else None,
        verification_status=Enterprise.Verification.AWAITING,
    )
    enterprise.licence.save("licence.pdf", ContentFile(PDF))
    EnterpriseMembership.objects.create(
        enterprise=enterprise, user=UserFactory(), role=EnterpriseMembership.Role.ADMIN
    )
    return enterprise


def imported(w: World) -> Enterprise:
    return EnterpriseFactory(verification_status=Enterprise.Verification.AWAITING)


def join_request(w: World) -> JoinRequest:
    return JoinRequest.objects.create(enterprise=w.enterprise, user=UserFactory())


# Pages
WITHOUT_ENTERPRISE = signed_in(200, enterprise=302, other_enterprise=302)
ENTERPRISE_MEMBERS = signed_in(403, enterprise=200, other_enterprise=200)
ADMIN_ANSWERS = signed_in(404, enterprise=302)
VERIFIERS = signed_in(403, park=200, provincial_regulator=200, national_regulator=200)
VERIFIES_ZHEJIANG = signed_in(404, park=200, provincial_regulator=200, national_regulator=200)
VERIFIES_CHONGQING = signed_in(404, national_regulator=200)
VERIFIER_MOVES = signed_in(404, park=302, provincial_regulator=302, national_regulator=302)

# API
API_ADMIN = everyone(404, visitor=401, enterprise=200)
API_VERIFIERS = everyone(
    403, visitor=401, park=200, provincial_regulator=200, national_regulator=200
)


def api_verifier(status: int) -> dict[str, int]:
    return everyone(
        404,
        visitor=401,
        park=status,
        provincial_regulator=status,
        national_regulator=status,
    )


ROUTES = [
    # ----------------------------------------------------------------- pages
    Route("enterprises:start", "GET", lambda w: "/enterprise/start/", WITHOUT_ENTERPRISE),
    Route(
        "enterprises:start",
        "POST",
        lambda w: "/enterprise/start/",
        signed_in(200),  # an empty form comes back with its messages
        data=lambda w: {},
        refused=frozenset(ROLES) - {"visitor"},
    ),
    Route(
        "enterprises:join-requests",
        "GET",
        lambda w: "/enterprise/join-requests/",
        ENTERPRISE_MEMBERS,
    ),
    Route(
        "enterprises:join-request-move",
        "POST",
        lambda w: f"/enterprise/join-requests/{join_request(w).pk}/approve/",
        ADMIN_ANSWERS,
        data=lambda w: {},
        label="approve",
    ),
    Route(
        "enterprises:join-request-move",
        "POST",
        lambda w: f"/enterprise/join-requests/{join_request(w).pk}/withdraw/",
        signed_in(404, enterprise=403),  # the admin is not the one who asked
        data=lambda w: {},
        label="withdraw by another",
    ),
    Route(
        "enterprises:verification-queue", "GET", lambda w: "/enterprise/verification/", VERIFIERS
    ),
    Route(
        "enterprises:verification",
        "GET",
        lambda w: f"/enterprise/verification/{awaiting(w).pk}/",
        VERIFIES_ZHEJIANG,
        label="Zhejiang",
    ),
    Route(
        "enterprises:verification",
        "GET",
        lambda w: f"/enterprise/verification/{awaiting(w, province='500000').pk}/",
        VERIFIES_CHONGQING,
        label="Chongqing",
    ),
    Route(
        "enterprises:verification",
        "GET",
        lambda w: f"/enterprise/verification/{w.enterprise.pk}/",
        signed_in(404, enterprise=200, park=200, provincial_regulator=200, national_regulator=200),
        label="own",
    ),
    Route(
        "enterprises:licence",
        "GET",
        lambda w: f"/enterprise/verification/{awaiting(w).pk}/licence/",
        VERIFIES_ZHEJIANG,
    ),
    Route(
        "enterprises:verification-move",
        "POST",
        lambda w: f"/enterprise/verification/{w.row['awaiting'].pk}/verify/",
        VERIFIER_MOVES,
        data=lambda w: {},  # verifying takes no input
        label="verify",
        per_row=lambda w: {"awaiting": awaiting(w)},
        move=Move(lambda w: w.row["awaiting"], V.AWAITING, V.VERIFIED, **VERIFICATION_FIELD),
        says="is verified",
    ),
    Route(
        "enterprises:verification-move",
        "POST",
        lambda w: f"/enterprise/verification/{w.row['awaiting'].pk}/refuse/",
        VERIFIER_MOVES,
        data=lambda w: {"refuse-reason": REFUSAL_REASON},
        label="refuse with a reason",
        per_row=lambda w: {"awaiting": awaiting(w)},
        move=Move(lambda w: w.row["awaiting"], V.AWAITING, V.REFUSED, **VERIFICATION_FIELD),
        # The administrator is told why.
        done=lambda w: Notification.objects.filter(
            recipient__enterprise_memberships__enterprise=w.row["awaiting"],
            body__contains=REFUSAL_REASON,
        ),
        says="its administrators have been told why",
    ),
    Route(
        "enterprises:verification-move",
        "POST",
        lambda w: f"/enterprise/verification/{w.row['awaiting'].pk}/refuse/",
        # Without a reason the page comes back with the message.
        signed_in(404, park=200, provincial_regulator=200, national_regulator=200),
        data=lambda w: {},
        label="refuse without a reason",
        refused=frozenset({"park", "provincial_regulator", "national_regulator"}),
        per_row=lambda w: {"awaiting": awaiting(w)},
        move=Move(lambda w: w.row["awaiting"], V.AWAITING, V.REFUSED, **VERIFICATION_FIELD),
    ),
    Route(
        "enterprises:verification-move",
        "POST",
        lambda w: f"/enterprise/verification/{w.row['awaiting'].pk}/verify/",
        # A Chongqing enterprise: the national regulator's alone.
        signed_in(404, national_regulator=302),
        data=lambda w: {},
        label="verify Chongqing",
        per_row=lambda w: {"awaiting": awaiting(w, province="500000")},
        move=Move(lambda w: w.row["awaiting"], V.AWAITING, V.VERIFIED, **VERIFICATION_FIELD),
    ),
    Route(
        "enterprises:verification-move",
        "POST",
        lambda w: f"/enterprise/verification/{awaiting(w).pk}/resubmit/",
        signed_in(404, park=403, provincial_regulator=403, national_regulator=403),
        data=lambda w: {},
        label="resubmit by others",
    ),
    # ----------------------------------------------------------------- API
    Route(
        "api-join-requests", "GET", lambda w: "/api/v1/join-requests/", everyone(200, visitor=401)
    ),
    Route(
        "api-join-requests",
        "POST",
        lambda w: "/api/v1/join-requests/",
        everyone(201, visitor=401, enterprise=400),  # the demo user is a member already
        json=True,
        data=lambda w: {"credit_code": w.enterprise.credit_code, "message": "你好"},
    ),
    Route(
        "api-join-request",
        "GET",
        lambda w: f"/api/v1/join-requests/{join_request(w).pk}/",
        API_ADMIN,
    ),
    Route(
        "api-join-request-approve",
        "POST",
        lambda w: f"/api/v1/join-requests/{join_request(w).pk}/approve/",
        API_ADMIN,
        json=True,
    ),
    Route(
        "api-join-request-decline",
        "POST",
        lambda w: f"/api/v1/join-requests/{join_request(w).pk}/decline/",
        API_ADMIN,
        json=True,
        data=lambda w: {"note": "不认识"},
    ),
    Route(
        "api-join-request-withdraw",
        "POST",
        lambda w: f"/api/v1/join-requests/{join_request(w).pk}/withdraw/",
        everyone(404, visitor=401, enterprise=403),
        json=True,
    ),
    Route("api-verifications", "GET", lambda w: "/api/v1/verifications/", API_VERIFIERS),
    Route(
        "api-enterprise-verification-verify",
        "POST",
        lambda w: f"/api/v1/enterprises/{awaiting(w).pk}/verification/verify/",
        api_verifier(200),
        json=True,
    ),
    Route(
        "api-enterprise-verification-verify",
        "POST",
        lambda w: f"/api/v1/enterprises/{awaiting(w, province='500000').pk}/verification/verify/",
        everyone(404, visitor=401, national_regulator=200),
        json=True,
        label="Chongqing",
    ),
    Route(
        "api-enterprise-verification-refuse",
        "POST",
        lambda w: f"/api/v1/enterprises/{awaiting(w).pk}/verification/refuse/",
        api_verifier(400),  # a reason is required
        json=True,
    ),
    Route(
        "api-enterprise-verification-resubmit",
        "POST",
        lambda w: f"/api/v1/enterprises/{awaiting(w).pk}/verification/resubmit/",
        api_verifier(403),  # only the enterprise's admins resubmit
        json=True,
    ),
    Route(
        "api-enterprise-verification-claim",
        "POST",
        lambda w: f"/api/v1/enterprises/{imported(w).pk}/verification/claim/",
        # Anyone signed in may try; nobody's email is at the enterprise's domain.
        everyone(400, visitor=401),
        json=True,
        label="imported",
    ),
    Route(
        "api-enterprise-verification-claim",
        "POST",
        lambda w: f"/api/v1/enterprises/{w.enterprise.pk}/verification/claim/",
        everyone(403, visitor=401, other_enterprise=404, institution=404, other_institution=404),
        json=True,
        label="administered",
    ),
]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), cases(ROUTES), ids=case_id)
def test_permission(world, route, role):
    check(world, route, role)
