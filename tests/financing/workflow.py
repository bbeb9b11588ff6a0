"""Builders the financing tests share: the parties of an application, an
application put straight into any status, and what to compare before and after a move."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import Notification, User
from core.models import IPKind
from enterprises.models import Enterprise, IPAsset
from financing.models import (
    Actor,
    Application,
    ApplicationStatusChange,
    Contract,
    Pledge,
)
from financing.workflows import APPLICATION
from products.models import Institution, Product
from tests.factories import (
    ApplicationFactory,
    ContractFactory,
    EnterpriseFactory,
    InstitutionFactory,
    IPAssetFactory,
    ProductFactory,
    UserFactory,
    member_of,
)

S = Application.Status
TODAY = dt.date(2026, 1, 15)  # every date the tests record lies before it


@dataclass
class Parties:
    """An enterprise and a bank, one member each, a product of the bank's
    (¥1,000,000–¥10,000,000, 6–36 months, 50 % pledge ratio) and two of the
    enterprise's patents appraised at ¥4,000,000 and ¥2,000,000: a pledge
    capacity of ¥3,000,000."""

    enterprise: Enterprise
    applicant: User
    institution: Institution
    banker: User
    product: Product
    assets: list[IPAsset]


def make_parties() -> Parties:
    enterprise = EnterpriseFactory()
    institution = InstitutionFactory()
    product = ProductFactory(institution=institution)
    product.accepted_ip_kinds.set(
        IPKind.objects.filter(code__in=["invention_patent", "utility_model"])
    )
    return Parties(
        enterprise=enterprise,
        applicant=member_of(enterprise, UserFactory(language="en")),
        institution=institution,
        banker=member_of(institution, UserFactory(language="en")),
        product=product,
        assets=[
            IPAssetFactory(enterprise=enterprise, appraised_value=Decimal("4000000.00")),
            IPAssetFactory(enterprise=enterprise, appraised_value=Decimal("2000000.00")),
        ],
    )


_PLEDGE_STATUS: dict[str, str] = {
    S.WITHDRAWN: Pledge.Status.DROPPED,
    S.PLEDGE_REGISTERED: Pledge.Status.ACTIVE,
    S.DISBURSED: Pledge.Status.ACTIVE,
    S.CLOSED: Pledge.Status.RELEASED,
}
_APPROVED = {S.APPROVED, S.CONTRACT_SIGNED, S.PLEDGE_REGISTERED, S.DISBURSED, S.CLOSED}
_CONTRACTED = _APPROVED - {S.APPROVED}


def application_at(
    status: str, parties: Parties, *, amount: Decimal = Decimal("3000000.00"), **extra: Any
) -> Application:
    """An application already at `status`, with the rows that status implies
    (approved amount, pledges, contract): built directly, as the test's given."""
    approved = amount if status in _APPROVED else None
    application = ApplicationFactory(
        enterprise=parties.enterprise,
        product=parties.product,
        amount_requested=amount,
        amount_approved=approved,
        status=status,
        submitted_at=None if status == S.DRAFT else timezone.now(),
        **extra,
    )
    for asset in parties.assets:
        Pledge.objects.create(
            application=application,
            asset=asset,
            value_at_pledge=asset.appraised_value,
            status=_PLEDGE_STATUS.get(status, Pledge.Status.PROPOSED),
        )
    if status in _CONTRACTED:
        ContractFactory(
            application=application,
            enterprise=parties.enterprise,
            institution=parties.institution,
            product=parties.product,
            amount=approved,
            signed_on=dt.date(2025, 12, 1),
        )
    return application


_references = itertools.count(1)
# The terms a bank approves and signs with.
TERMS: dict[str, Any] = {
    "interest_rate": Decimal("4.35"),
    "term_months": 12,
    "repayment_method": "equal_instalments",
}


def valid_input(action: str) -> dict[str, Any]:
    """Input every service accepts, so only the move itself can be refused."""
    inputs: dict[str, dict[str, Any]] = {
        "request-info": {"note": "Please send the latest appraisal report."},
        "answer-info": {"note": "Attached to the portfolio."},
        "approve": {"amount": Decimal("1000000.00"), **TERMS},
        "reject": {"reason": "The patents are too young."},
        "sign-contract": {
            "amount": Decimal("1000000.00"),
            "signed_on": dt.date(2025, 12, 20),
            "reference": f"LOAN-TEST-{next(_references)}",
            **TERMS,
        },
        "register-pledge": {
            "registration_number": "ZL-PLEDGE-2025-001",
            "registered_on": dt.date(2025, 12, 21),
        },
        "disburse": {"amount": Decimal("1000000.00"), "disbursed_on": dt.date(2025, 12, 22)},
    }
    return inputs.get(action, {})


def actor_for(action: str, parties: Parties) -> User:
    enterprise_moves = Actor.ENTERPRISE in APPLICATION.actions[action].by
    return parties.applicant if enterprise_moves else parties.banker


def snapshot(application: Application) -> tuple[Any, ...]:
    """What a refused move must leave as it was."""
    application.refresh_from_db()
    contract = Contract.objects.filter(application=application).values().first()
    return (
        application.status,
        application.amount_approved,
        application.updated_at,
        application.history.count(),
        sorted(application.pledges.values_list("asset_id", "status")),
        contract,
        Notification.objects.count(),
    )


def history(application: Application) -> list[tuple[str, str, str | None]]:
    return [
        (h.from_status, h.to_status, h.actor.email if h.actor else None)
        for h in ApplicationStatusChange.objects.filter(application=application).select_related(
            "actor"
        )
    ]
