"""Permission table for the application workflow's pages and API.

Every row runs against the world's applications, both SUBMITTED: "own" is the
demo enterprise's application to the demo bank's product, "other" the other
enterprise's to the other institution's. Each test rolls back, so a move that
succeeds in one row leaves the next row the same SUBMITTED application.

The rule for a move (API): the party that may make it now answers 200; the
right party, when a submitted application does not allow the move, 409; a
party that may read the application but does not make this move (the other
side, regulators of the enterprise's province) 403; everyone else 404, so
outsiders don't learn the application exists; visitors 401. Pages answer the
same, except that done and refused moves both redirect to the application's
page with a message (302) and visitors are sent to sign in (302). Every move
row sends valid input, so the status is the move's and not the input's, and
says where the application goes (`Move`): a move done moved it and wrote its
history, one refused left both as they were, and the page's message tells
which.

A regulator of another province (the Zhejiang regulator, on an application
of a Hunan enterprise) is an outsider to the application and to what it ends
in, its contract, its pledges and the disbursement: 404 on every read and
move, nothing written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile

from financing.models import Application, ApplicationDocument, Contract, Pledge
from tests.factories import (
    ApplicationFactory,
    ContractFactory,
    EnterpriseFactory,
    IPAssetFactory,
    ProductFactory,
)
from tests.financing.workflow import Parties, application_at
from tests.permissions import Move, Route, World, case_id, cases, check, everyone, signed_in

API = "/api/v1/applications/"
# Which side makes each move, and whether a submitted application allows it.
MOVES = {
    "submit": ("enterprise", False),
    "take-for-review": ("institution", True),
    "request-info": ("institution", False),
    "answer-info": ("enterprise", False),
    "approve": ("institution", False),
    "reject": ("institution", False),
    "withdraw": ("enterprise", True),
    "sign-contract": ("institution", False),
    "register-pledge": ("institution", False),
    "disburse": ("institution", False),
    "close": ("institution", False),
}
# The terms a bank approves and signs with.
TERMS = {"interest_rate": "4.35", "term_months": "12", "repayment_method": "equal_instalments"}
VALID_INPUT = {
    "request-info": {"note": "Please send the appraisal report."},
    "answer-info": {"note": "Sent."},
    "approve": {"amount": "100000.00", **TERMS},
    "reject": {"reason": "Too early."},
    "sign-contract": {
        "amount": "100000.00",
        "signed_on": "2025-12-20",
        "reference": "PERM-1",
        **TERMS,
    },
    "register-pledge": {"registration_number": "PERM-REG-1", "registered_on": "2025-12-21"},
    "disburse": {"amount": "100000.00", "disbursed_on": "2025-12-22"},
}
READERS = {"provincial_regulator": 403, "national_regulator": 403}
S = Application.Status
# Where each move allowed on a submitted application takes it.
FROM_SUBMITTED = {"take-for-review": S.UNDER_REVIEW, "withdraw": S.WITHDRAWN}


def says_done(label: str) -> str:
    return f"Done: {label}."


def says_refused(label: str, status: str = "Submitted") -> str:
    return f"“{label}” is not possible while the application is “{status}”."


LABELS = {
    "submit": "Submit",
    "take-for-review": "Take for review",
    "approve": "Approve",
    "withdraw": "Withdraw",
    "sign-contract": "Sign the contract",
    "register-pledge": "Register the pledge",
    "disburse": "Disburse",
}


def can_read(own: bool, status: int = 200, **overrides: int) -> dict[str, int]:
    """Who may read the application: its enterprise, its bank and the
    regulators (every world enterprise is in Zhejiang); the rest get 404."""
    prefix = "" if own else "other_"
    readers = {
        f"{prefix}enterprise": status,
        f"{prefix}institution": status,
        "provincial_regulator": status,
        "national_regulator": status,
    }
    return {**readers, **overrides}


def move_expectations(move: str, *, own: bool, page: bool) -> dict[str, int]:
    by, allowed_now = MOVES[move]
    prefix = "" if own else "other_"
    other_side = "institution" if by == "enterprise" else "enterprise"
    done = 302 if page else (200 if allowed_now else 409)
    statuses = {f"{prefix}{by}": done, f"{prefix}{other_side}": 403, **READERS}
    if page:
        return signed_in(404, **statuses)
    return everyone(404, visitor=401, **statuses)


def application(own: bool):
    return (lambda w: w.application) if own else (lambda w: w.other_application)


def submitted_move(move: str, own: bool) -> Move:
    """The world's submitted application: where the move takes it, if anywhere."""
    return Move(application(own), S.SUBMITTED, FROM_SUBMITTED.get(move, S.SUBMITTED))


def api_move(move: str, own: bool) -> Route:
    target = application(own)
    return Route(
        f"api-application-{move}",
        "POST",
        lambda w: f"{API}{target(w).pk}/{move}/",
        move_expectations(move, own=own, page=False),
        data=lambda w: VALID_INPUT.get(move, {}),
        json=True,
        label="own" if own else "other",
        move=submitted_move(move, own),
    )


def page_move(move: str, own: bool) -> Route:
    target = application(own)
    prefix = "" if own else "other_"
    return Route(
        "financing:action",
        "POST",
        lambda w: f"/applications/{target(w).pk}/{move}/",
        move_expectations(move, own=own, page=True),
        # The page's forms carry the move's name as their prefix.
        data=lambda w: {f"{move}-{k}": v for k, v in VALID_INPUT.get(move, {}).items()},
        label=f"{move} {'own' if own else 'other'}",
        # The right side, when a submitted application does not allow the
        # move: redirected with a message, and nothing changes.
        refused=frozenset() if MOVES[move][1] else frozenset({f"{prefix}{MOVES[move][0]}"}),
        move=submitted_move(move, own),
        says=says_done(LABELS[move]),
        refusal=says_refused(LABELS[move]),
    )


def create_body(w: World) -> dict[str, object]:
    return {
        "product": w.product.code,
        "amount_requested": "2000000.00",
        "term_months": 12,
        "asset_ids": [w.asset.pk],
    }


HUNAN_PURPOSE = "Expansion of the Changsha workshop PERM-HUNAN-9D"


def hunan_application(w: World) -> Application:
    """An application of an enterprise in Hunan to the other institution's
    product, made once (outside any test's transaction: see `hunan_world`):
    the Zhejiang regulator's jurisdiction does not reach it."""
    if "hunan_application" not in w.extra:
        enterprise = EnterpriseFactory(province_id="430000", city_zh="长沙市", city_en="Changsha")
        w.extra["hunan_application"] = ApplicationFactory(
            enterprise=enterprise,
            product=w.other_product,
            status=Application.Status.SUBMITTED,
            purpose=HUNAN_PURPOSE,
        )
        # Only the other institution and the national regulator may read it.
        w.private[HUNAN_PURPOSE] = frozenset({"other_institution", "national_regulator"})
    return w.extra["hunan_application"]


HUNAN_CONTRACT = "PERM-HUNAN-LOAN-4T"


def hunan_at(status: str):
    """`per_row`: another application of the Hunan enterprise to the other
    institution's product, already at `status`, with its pledged patent and,
    once signed, its contract (numbered HUNAN_CONTRACT)."""

    def build(w: World) -> dict[str, Any]:
        enterprise = hunan_application(w).enterprise
        banker = w.users["other_institution"]
        assert banker is not None
        parties = Parties(
            enterprise=enterprise,
            applicant=banker,  # not used: only the bank moves
            institution=w.other_institution,
            banker=banker,
            product=w.other_product,
            assets=[IPAssetFactory(enterprise=enterprise, appraised_value=Decimal("4000000"))],
        )
        made = application_at(status, parties)
        Contract.objects.filter(application=made).update(reference=HUNAN_CONTRACT)
        return {"application": made}

    return build


def row_application(w: World) -> Application:
    return w.row["application"]


# What each late move of the bank's adds: the contract, the active pledge, the payment.
LATE_MOVES: dict[str, tuple[str, str, Any]] = {
    "sign-contract": (
        S.APPROVED,
        S.CONTRACT_SIGNED,
        lambda w: Contract.objects.filter(application=row_application(w)),
    ),
    "register-pledge": (
        S.CONTRACT_SIGNED,
        S.PLEDGE_REGISTERED,
        lambda w: Pledge.objects.filter(
            application=row_application(w), status=Pledge.Status.ACTIVE
        ),
    ),
    "disburse": (
        S.PLEDGE_REGISTERED,
        S.DISBURSED,
        lambda w: Contract.objects.filter(
            application=row_application(w), disbursed_on__isnull=False
        ),
    ),
}


def late_move(move: str, *, page: bool) -> Route:
    """A late move of a Hunan application: its bank makes it; the Zhejiang
    regulator gets 404 and the national regulator 403, and neither changes
    anything."""
    start, end, adds = LATE_MOVES[move]
    given = VALID_INPUT.get(move, {})
    common: dict[str, Any] = {
        "per_row": hunan_at(start),
        "move": Move(row_application, start, end),
        "done": adds,
    }
    if page:
        return Route(
            "financing:action",
            "POST",
            lambda w: f"/applications/{row_application(w).pk}/{move}/",
            signed_in(404, other_institution=302, **hunan(403)),
            data=lambda w: {f"{move}-{k}": v for k, v in given.items()},
            label=f"{move} another province's",
            says=says_done(LABELS[move]),
            **common,
        )
    return Route(
        f"api-application-{move}",
        "POST",
        lambda w: f"{API}{row_application(w).pk}/{move}/",
        everyone(404, visitor=401, other_institution=200, **hunan(403)),
        data=lambda w: given,
        json=True,
        label="another province's",
        **common,
    )


def hunan(status: int, **overrides: int) -> dict[str, int]:
    """Another province's application: the Zhejiang regulator is an outsider
    there (404), the national regulator reads it (a move is not its to make)."""
    return {"provincial_regulator": 404, "national_regulator": status, **overrides}


def shows_contract(w: World) -> dict[str, frozenset[str]]:
    return {HUNAN_CONTRACT: frozenset({"other_institution", "national_regulator"})}


def api_ids(*pairs: tuple[Any, frozenset[str]]):
    """`shows` for an API list: each application's entry (its id, then its
    status, as the list writes them) and the roles whose list holds it."""

    def shows(w: World) -> dict[str, frozenset[str]]:
        return {f'"id":{pick(w).pk},"status"': roles for pick, roles in pairs}

    return shows


RIVAL_CONTRACT = "PERM-RIVAL-LOAN-8M"
RIVAL_PRODUCT = "Rival Loan PERM-RIVAL-P2"


def rival_dealings(w: World) -> dict[str, Any]:
    """`per_row`: the demo enterprise's dealings with the other institution,
    a rejected application to its product and a loan signed with it."""
    product = ProductFactory(institution=w.other_institution, name_en=RIVAL_PRODUCT)
    ApplicationFactory(enterprise=w.enterprise, product=product, status=S.REJECTED)
    ContractFactory(
        enterprise=w.enterprise,
        institution=w.other_institution,
        reference=RIVAL_CONTRACT,
        amount=Decimal("8000000.00"),
    )
    return {}


def shows_company(w: World) -> dict[str, frozenset[str]]:
    return {
        "data-company": frozenset({"institution"}) | REGULATORS,
        # In that section, the other bank's dealings only as counts.
        'data-outcome="rejected">1<': frozenset({"institution"}) | REGULATORS,
        RIVAL_CONTRACT: frozenset(),
        RIVAL_PRODUCT: frozenset(),
    }


REGULATORS = frozenset({"provincial_regulator", "national_regulator"})


def with_document(w: World) -> dict[str, Any]:
    """`per_row`: a statement the demo enterprise sent with its application."""
    document = ApplicationDocument(
        application=w.application,
        original_name="财务报表.pdf",
        size=9,
        content_type="application/pdf",
    )
    document.file.save("statement.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    return {"document": document}


def document_path(w: World) -> str:
    return f"/applications/{w.application.pk}/documents/{w.row['document'].pk}/"


ROUTES = [
    # --- a regulator from another province and financing objects
    # A disbursed application: its page and its API entry show the contract,
    # the pledge and the payment to the bank and the national regulator only.
    Route(
        "financing:detail",
        "GET",
        lambda w: f"/applications/{row_application(w).pk}/",
        signed_in(404, other_institution=200, **hunan(200)),
        label="another province's disbursed",
        per_row=hunan_at(S.DISBURSED),
        shows=shows_contract,
    ),
    Route(
        "api-application",
        "GET",
        lambda w: f"{API}{row_application(w).pk}/",
        everyone(404, visitor=401, other_institution=200, **hunan(200)),
        label="another province's disbursed",
        per_row=hunan_at(S.DISBURSED),
        shows=shows_contract,
    ),
    *[late_move(move, page=page) for move in LATE_MOVES for page in (True, False)],
    Route(
        "api-application",
        "GET",
        lambda w: f"{API}{hunan_application(w).pk}/",
        everyone(404, visitor=401, other_institution=200, **hunan(200)),
        label="another province's",
    ),
    Route(
        "financing:detail",
        "GET",
        lambda w: f"/applications/{hunan_application(w).pk}/",
        signed_in(404, other_institution=200, **hunan(200)),
        label="another province's",
    ),
    Route(
        "api-application-take-for-review",
        "POST",
        lambda w: f"{API}{hunan_application(w).pk}/take-for-review/",
        everyone(404, visitor=401, other_institution=200, **hunan(403)),
        json=True,
        label="another province's",
    ),
    Route(
        "financing:action",
        "POST",
        lambda w: f"/applications/{hunan_application(w).pk}/take-for-review/",
        signed_in(404, other_institution=302, **hunan(403)),
        label="take-for-review another province's",
    ),
    Route(
        "api-application-reject",
        "POST",
        lambda w: f"{API}{hunan_application(w).pk}/reject/",
        everyone(404, visitor=401, other_institution=409, **hunan(403)),
        data=lambda w: {"reason": "Too early."},
        json=True,
        label="another province's",
    ),
    # --- documents: the enterprise and its bank download them; no one else
    # learns they exist, regulators included.
    Route(
        "financing:document",
        "GET",
        document_path,
        signed_in(404, enterprise=200, institution=200),
        per_row=with_document,
    ),
    Route(
        "api-application-document",
        "GET",
        lambda w: f"/api/v1{document_path(w)}",
        everyone(404, visitor=401, enterprise=200, institution=200),
        per_row=with_document,
    ),
    # --- API
    # Each list holds the user's own applications and no one else's.
    Route(
        "api-applications",
        "GET",
        lambda w: API,
        everyone(200, visitor=401),
        shows=api_ids(
            (lambda w: w.application, frozenset({"enterprise", "institution"}) | REGULATORS),
            (
                lambda w: w.other_application,
                frozenset({"other_enterprise", "other_institution"}) | REGULATORS,
            ),
            (hunan_application, frozenset({"other_institution", "national_regulator"})),
        ),
    ),
    Route(
        "api-applications",
        "GET",
        lambda w: f"{API}?side=institution",
        everyone(200, visitor=401),
        label="side",
        shows=api_ids(
            (lambda w: w.application, frozenset({"institution"})),
            (lambda w: w.other_application, frozenset({"other_institution"})),
            (hunan_application, frozenset({"other_institution"})),
        ),
    ),
    # The other enterprise may not pledge the demo enterprise's asset: 400.
    Route(
        "api-applications",
        "POST",
        lambda w: API,
        everyone(403, visitor=401, enterprise=201, other_enterprise=400),
        data=create_body,
        json=True,
    ),
    Route(
        "api-application",
        "GET",
        lambda w: f"{API}{w.application.pk}/",
        everyone(404, visitor=401, **can_read(own=True)),
        label="own",
    ),
    Route(
        "api-application",
        "GET",
        lambda w: f"{API}{w.other_application.pk}/",
        everyone(404, visitor=401, **can_read(own=False)),
        label="other",
    ),
    *[api_move(move, own) for move in MOVES for own in (True, False)],
    # --- pages
    Route(
        "financing:list",
        "GET",
        lambda w: "/applications/",
        signed_in(403, enterprise=200, other_enterprise=200),
    ),
    Route(
        "financing:new",
        "GET",
        lambda w: f"/applications/new/?product={w.product.code}",
        signed_in(403, enterprise=200, other_enterprise=200),
    ),
    Route(
        "financing:new",
        "GET",
        lambda w: f"/applications/new/?product={w.draft_product.code}",
        signed_in(403, enterprise=404, other_enterprise=404),
        label="draft product",
    ),
    # The other enterprise sees the form again: the asset is not among its choices.
    Route(
        "financing:new",
        "POST",
        lambda w: f"/applications/new/?product={w.product.code}",
        signed_in(403, enterprise=302, other_enterprise=200),
        data=lambda w: {"amount": "2000000", "term_months": "12", "assets": [w.asset.pk]},
        refused=frozenset({"other_enterprise"}),
        done=lambda w: Application.objects.filter(product=w.product),
    ),
    Route(
        "financing:queue",
        "GET",
        lambda w: "/applications/queue/",
        signed_in(403, institution=200, other_institution=200),
    ),
    Route(
        "financing:detail",
        "GET",
        lambda w: f"/applications/{w.application.pk}/",
        signed_in(404, **can_read(own=True)),
        label="own",
    ),
    Route(
        "financing:detail",
        "GET",
        lambda w: f"/applications/{w.other_application.pk}/",
        signed_in(404, **can_read(own=False)),
        label="other",
    ),
    # The enterprise behind the application: its bank and the regulators read
    # it; the enterprise reads its own page as before; the other bank, which
    # signed a loan with the enterprise, learns nothing of this application,
    # and this bank learns only a count and a total of that loan.
    Route(
        "financing:detail",
        "GET",
        lambda w: f"/applications/{w.application.pk}/",
        signed_in(404, **can_read(own=True)),
        label="own, the enterprise behind it",
        per_row=rival_dealings,
        shows=shows_company,
    ),
    *[
        page_move(move, own)
        for move in ("take-for-review", "withdraw", "approve", "submit")
        for own in (True, False)
    ],
    Route(
        "financing:action",
        "POST",
        lambda w: f"/applications/{w.application.pk}/promote/",
        signed_in(404),
        label="unknown move",
    ),
]


@pytest.fixture(scope="module")
def hunan_world(world, django_db_blocker):
    """The world with the Hunan application, committed once like the rest."""
    with django_db_blocker.unblock():
        hunan_application(world)
    return world


@pytest.fixture(autouse=True)
def memory_storage(settings):
    """Documents are kept in memory, never on this machine's disk."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), cases(ROUTES), ids=case_id)
def test_permission(hunan_world, route, role):
    check(hunan_world, route, role)
