"""Two officers acting on one application at the same moment: exactly one wins
(docs/workflows.md). Needs real row locks, so PostgreSQL and committed data.

Transactional tests flush the database when they end; tests/conftest.py loads
the reference data and the demo campaign again before the next one."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, connections

from core.exceptions import Conflict
from financing.models import Application, ApplicationStatusChange, Contract
from financing.services import application_approve, application_sign_contract
from tests.factories import UserFactory, member_of
from tests.financing.workflow import application_at, make_parties

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]
S = Application.Status


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads released together; each outcome is the call's
    result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # the outcome under test
            outcomes[index] = error
        finally:
            connections.close_all()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_officers_approving_at_once_exactly_one_wins():
    parties = make_parties()
    application = application_at(S.UNDER_REVIEW, parties)
    officers = [parties.banker, member_of(parties.institution, UserFactory())]

    outcomes = at_once(
        *[
            lambda officer=officer, amount=amount: application_approve(
                application=application, actor=officer, amount=amount
            )
            for officer, amount in zip(
                officers, (Decimal("1000000"), Decimal("2000000")), strict=True
            )
        ]
    )

    wins = [o for o in outcomes if isinstance(o, Application)]
    losses = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(wins), len(losses)) == (1, 1), outcomes
    assert losses[0].code == "move_not_allowed"
    application.refresh_from_db()
    assert application.status == S.APPROVED
    assert application.amount_approved == wins[0].amount_approved
    assert (
        ApplicationStatusChange.objects.filter(
            application=application, to_status=S.APPROVED
        ).count()
        == 1
    )


def test_two_officers_signing_the_contract_at_once_exactly_one_wins():
    parties = make_parties()
    application = application_at(S.APPROVED, parties)

    outcomes = at_once(
        *[
            lambda reference=reference: application_sign_contract(
                application=application,
                actor=parties.banker,
                amount=Decimal("1000000"),
                signed_on=dt.date(2025, 12, 20),
                reference=reference,
            )
            for reference in ("RACE-A", "RACE-B")
        ]
    )

    wins = [o for o in outcomes if isinstance(o, Application)]
    losses = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(wins), len(losses)) == (1, 1), outcomes
    application.refresh_from_db()
    assert application.status == S.CONTRACT_SIGNED
    assert Contract.objects.filter(application=application).count() == 1
    assert (
        ApplicationStatusChange.objects.filter(
            application=application, to_status=S.CONTRACT_SIGNED
        ).count()
        == 1
    )
