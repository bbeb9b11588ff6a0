from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from financing.models import Actor, Application, Pledge
from financing.workflows import APPLICATION
from tests.factories import ApplicationFactory, ContractFactory, IPAssetFactory, PledgeFactory

pytestmark = pytest.mark.django_db
S = Application.Status


def test_an_asset_stands_in_at_most_one_active_pledge():
    first = PledgeFactory(status=Pledge.Status.ACTIVE)
    second_application = ApplicationFactory(enterprise=first.application.enterprise)

    # Offering the asset to a second bank is fine; registering it twice is not.
    second = PledgeFactory(application=second_application, asset=first.asset)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.filter(pk=second.pk).update(status=Pledge.Status.ACTIVE)


def test_a_released_pledge_frees_the_asset():
    first = PledgeFactory(status=Pledge.Status.RELEASED)
    again = PledgeFactory(
        application=ApplicationFactory(enterprise=first.application.enterprise),
        asset=first.asset,
        status=Pledge.Status.ACTIVE,
    )
    assert again.status == Pledge.Status.ACTIVE


def test_the_approved_amount_cannot_exceed_the_requested_amount():
    application = ApplicationFactory(amount_requested=Decimal("1000000"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(amount_approved=Decimal("1000000.01"))


def test_a_contract_cannot_disburse_more_than_its_amount():
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractFactory(amount=Decimal("100"), disbursed_amount=Decimal("101"))


def test_negative_amounts_are_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractFactory(amount=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        IPAssetFactory(appraised_value=Decimal("-1"))


def application_move_allowed(*, from_status: str, to_status: str, by: str) -> bool:
    return any(
        action.to == to_status and from_status in action.sources and by in action.by
        for action in APPLICATION.actions.values()
    )


def test_every_application_status_has_a_row_in_the_moves_table():
    assert set(APPLICATION.moves()) == set(S.values)


def test_the_workflow_follows_the_specification():
    happy_path = [
        (S.DRAFT, S.SUBMITTED, Actor.ENTERPRISE),
        (S.SUBMITTED, S.UNDER_REVIEW, Actor.INSTITUTION),
        (S.UNDER_REVIEW, S.INFO_REQUESTED, Actor.INSTITUTION),
        (S.INFO_REQUESTED, S.UNDER_REVIEW, Actor.ENTERPRISE),
        (S.UNDER_REVIEW, S.APPROVED, Actor.INSTITUTION),
        (S.APPROVED, S.CONTRACT_SIGNED, Actor.INSTITUTION),
        (S.CONTRACT_SIGNED, S.PLEDGE_REGISTERED, Actor.INSTITUTION),
        (S.PLEDGE_REGISTERED, S.DISBURSED, Actor.INSTITUTION),
        (S.DISBURSED, S.CLOSED, Actor.INSTITUTION),
        (S.UNDER_REVIEW, S.REJECTED, Actor.INSTITUTION),
    ]
    for from_status, to_status, by in happy_path:
        assert application_move_allowed(from_status=from_status, to_status=to_status, by=by)


def test_only_the_enterprise_withdraws_and_only_before_the_contract():
    before_contract = [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.INFO_REQUESTED, S.APPROVED]
    for status in S.values:
        allowed = application_move_allowed(
            from_status=status, to_status=S.WITHDRAWN, by=Actor.ENTERPRISE
        )
        assert allowed is (status in before_contract), status
        assert not application_move_allowed(
            from_status=status, to_status=S.WITHDRAWN, by=Actor.INSTITUTION
        )


def test_the_bank_cannot_approve_its_own_way_past_review():
    assert not application_move_allowed(
        from_status=S.SUBMITTED, to_status=S.APPROVED, by=Actor.INSTITUTION
    )
    assert not application_move_allowed(
        from_status=S.UNDER_REVIEW, to_status=S.APPROVED, by=Actor.ENTERPRISE
    )


def test_an_enterprise_cannot_pledge_another_enterprises_asset():
    application = ApplicationFactory()
    someone_elses = IPAssetFactory()
    pledge = Pledge(application=application, asset=someone_elses)
    with pytest.raises(ValidationError) as error:
        pledge.full_clean()
    assert "asset" in error.value.message_dict
