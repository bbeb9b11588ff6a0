"""On-site outcomes: intention agreements and loan contracts signed at an
event, linked to the registration and meeting they came from, counted in the
event's figures at once, and an intention followed up with an application."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Notification
from core.exceptions import Conflict
from core.models import IPKind
from dashboards.selectors import Scope, campaign_figures
from events.meeting_services import meeting_accept, meeting_request
from events.models import Event, Meeting
from financing.models import Application, Contract
from financing.services import (
    application_approve,
    application_sign_contract,
    application_take_for_review,
    contract_record_onsite,
    intention_to_application,
)
from tests.events.meetings.helpers import make_meeting_world
from tests.factories import (
    EventFactory,
    InstitutionFactory,
    IPAssetFactory,
    ProductFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mw():
    world = make_meeting_world()
    world.product = ProductFactory(institution=world.bank)
    world.product.accepted_ip_kinds.set(IPKind.objects.filter(code="invention_patent"))
    return world


def record(mw, **kwargs) -> Contract:
    values = {
        "event": mw.event,
        "actor": mw.organiser,
        "kind": "intention",
        "amount": Decimal("2000000.00"),
        "signed_on": timezone.localdate(),
        "reference": "ONSITE-T-1",
        "registration": mw.enterprise_registration,
        "institution": mw.bank,
        "product": mw.product,
    }
    return contract_record_onsite(**{**values, **kwargs})


def accepted_meeting(mw) -> Meeting:
    meeting = meeting_request(
        event=mw.event,
        actor=mw.enterprise_user,
        enterprise=mw.enterprise,
        institution=mw.bank,
        slot=mw.slots[0],
    )
    return meeting_accept(meeting=meeting, actor=mw.bank_user)


def test_a_contract_from_a_meeting_records_the_meetings_outcome_and_tells_both_sides(mw):
    meeting = accepted_meeting(mw)

    contract = record(mw, kind="loan", meeting=meeting)

    contract.refresh_from_db()
    assert (contract.event, contract.registration, contract.meeting) == (
        mw.event,
        mw.enterprise_registration,
        meeting,
    )
    assert contract.enterprise == mw.enterprise
    assert contract.created_by == mw.organiser
    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome) == ("held", "contract")
    for user in (mw.enterprise_user, mw.bank_user):
        assert Notification.objects.filter(recipient=user, kind="onsite-loan").exists()


def test_the_institutions_officers_record_their_own_signings(mw):
    contract = record(mw, actor=mw.bank_user)

    assert contract.created_by == mw.bank_user


def test_the_enterprise_does_not_record_signings(mw):
    with pytest.raises(PermissionDenied):
        record(mw, actor=mw.enterprise_user)
    assert not Contract.objects.filter(event=mw.event).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda mw: {"signed_on": timezone.localdate(mw.event.starts_at) - dt.timedelta(days=1)},
            "signed_on",
        ),
        (lambda mw: {"amount": Decimal("0")}, "amount"),
        (lambda mw: {"reference": "  "}, "reference"),
        (lambda mw: {"kind": "gift"}, "kind"),
        (lambda mw: {"registration": mw.bank_registration}, "registration"),
        (lambda mw: {"registration": RegistrationFactory()}, "registration"),
        (lambda mw: {"institution": InstitutionFactory(), "product": None}, "institution"),
        (lambda mw: {"product": ProductFactory()}, "product"),
    ],
    ids=[
        "before the event",
        "zero",
        "no number",
        "unknown kind",
        "an institution's registration",
        "another event's registration",
        "institution not registered",
        "another institution's product",
    ],
)
def test_bad_input_records_nothing(mw, change, field):
    with pytest.raises(ValidationError) as error:
        record(mw, **change(mw))

    assert field in error.value.message_dict
    assert not Contract.objects.filter(event=mw.event).exists()


def test_a_meeting_of_other_parties_is_refused(mw):
    meeting = accepted_meeting(mw)
    other = RegistrationFactory(event=mw.event)

    with pytest.raises(ValidationError) as error:
        record(mw, registration=other, meeting=meeting)

    assert "meeting" in error.value.message_dict
    meeting.refresh_from_db()
    assert meeting.outcome == "pending"


def test_a_contract_number_is_recorded_once(mw):
    record(mw)

    with pytest.raises(ValidationError) as error:
        record(mw)

    assert "reference" in error.value.message_dict
    assert Contract.objects.filter(reference="ONSITE-T-1").count() == 1


def test_nothing_is_signed_at_an_event_that_is_not_published(mw):
    Event.objects.filter(pk=mw.event.pk).update(status=Event.Status.CANCELLED)
    mw.event.refresh_from_db()

    with pytest.raises(Conflict):
        record(mw)


def follow_up(mw, contract, **kwargs) -> Application:
    asset = IPAssetFactory(enterprise=mw.enterprise, appraised_value=Decimal("5000000.00"))
    values = {
        "contract": contract,
        "actor": mw.enterprise_user,
        "term_months": 12,
        "asset_ids": [asset.pk],
    }
    return intention_to_application(**{**values, **kwargs})


def test_an_intention_becomes_an_application_linked_to_where_it_came_from(mw):
    intention = record(mw)

    application = follow_up(mw, intention, submit=True)

    application.refresh_from_db()
    assert application.from_intention == intention
    assert application.source_registration == mw.enterprise_registration
    assert (application.product, application.amount_requested) == (
        mw.product,
        Decimal("2000000.00"),
    )
    assert application.status == "submitted"
    assert Notification.objects.filter(recipient=mw.bank_user, kind="application-submit").exists()


def test_an_intention_is_followed_up_once_at_a_time(mw):
    intention = record(mw)
    follow_up(mw, intention)

    with pytest.raises(Conflict):
        follow_up(mw, intention)

    assert Application.objects.filter(from_intention=intention).count() == 1


def test_only_an_intention_is_followed_up_and_only_by_its_enterprise(mw):
    loan = record(mw, kind="loan")
    intention = record(mw, reference="ONSITE-T-2")

    with pytest.raises(Conflict):
        follow_up(mw, loan)
    with pytest.raises(PermissionDenied):
        follow_up(mw, intention, actor=mw.bank_user)
    with pytest.raises(ValidationError):
        follow_up(mw, intention, product=ProductFactory())

    assert not Application.objects.filter(enterprise=mw.enterprise, from_intention__isnull=False)


def test_the_loan_that_follows_an_intention_is_not_counted_at_the_event_twice(mw):
    intention = record(mw)
    application = follow_up(mw, intention, submit=True)
    application_take_for_review(application=application, actor=mw.bank_user)
    application_approve(application=application, actor=mw.bank_user, amount=Decimal("2000000.00"))
    before = campaign_figures(scope=Scope(event=mw.event))

    application_sign_contract(
        application=application,
        actor=mw.bank_user,
        amount=Decimal("1800000.00"),
        signed_on=timezone.localdate(),
        reference="LOAN-AFTER-INTENT",
    )

    loan = Contract.objects.get(reference="LOAN-AFTER-INTENT")
    assert loan.registration == mw.enterprise_registration
    assert loan.event is None
    assert campaign_figures(scope=Scope(event=mw.event)) == before


def test_a_contract_at_another_event_leaves_this_one_alone(mw):
    other = EventFactory(starts_at=mw.event.starts_at, ends_at=mw.event.ends_at)
    registration = RegistrationFactory(event=other, enterprise=mw.enterprise)
    RegistrationFactory(event=other, enterprise=None, institution=mw.bank)
    before = campaign_figures(scope=Scope(event=mw.event))

    record(mw, event=other, registration=registration)

    assert campaign_figures(scope=Scope(event=mw.event)) == before
    assert campaign_figures(scope=Scope(event=other)).contracts_signed == 1
