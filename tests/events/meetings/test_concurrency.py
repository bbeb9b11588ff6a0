"""Two institutions accepting meetings with one enterprise in the same slot at
the same moment: both pass the check, the database lets exactly one through,
and the other is told 409 (a Conflict), never a 500. Needs PostgreSQL and
committed data."""

from __future__ import annotations

import pytest
from django.db import connection

from core.exceptions import Conflict
from events.meeting_services import meeting_accept, meeting_request
from events.models import Meeting
from tests.events.meetings.helpers import make_meeting_world
from tests.factories import EnterpriseFactory, InstitutionFactory, RegistrationFactory, member_of
from tests.financing.test_concurrency import at_once

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]


def test_two_acceptances_of_one_enterprise_in_one_slot_exactly_one_wins():
    mw = make_meeting_world()
    other_bank = InstitutionFactory()
    RegistrationFactory(event=mw.event, enterprise=None, institution=other_bank)
    officers = {mw.bank.pk: mw.bank_user, other_bank.pk: member_of(other_bank)}
    meetings = [
        meeting_request(
            event=mw.event,
            actor=mw.enterprise_user,
            enterprise=mw.enterprise,
            institution=institution,
        )
        for institution in (mw.bank, other_bank)
    ]

    outcomes = at_once(
        *[
            lambda meeting=meeting: meeting_accept(
                meeting=meeting, actor=officers[meeting.institution_id], slot=mw.slots[0]
            )
            for meeting in meetings
        ]
    )

    wins = [o for o in outcomes if isinstance(o, Meeting)]
    losses = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(wins), len(losses)) == (1, 1), outcomes
    assert losses[0].code == "slot_taken"
    statuses = sorted(Meeting.objects.filter(event=mw.event).values_list("status", flat=True))
    assert statuses == ["accepted", "requested"]


def test_two_acceptances_for_an_institutions_last_place_exactly_one_wins():
    mw = make_meeting_world()
    mw.bank_registration.max_meetings = 1
    mw.bank_registration.save(update_fields=["max_meetings"])
    enterprises = [mw.enterprise, EnterpriseFactory()]
    RegistrationFactory(event=mw.event, enterprise=enterprises[1])
    askers = {mw.enterprise.pk: mw.enterprise_user, enterprises[1].pk: member_of(enterprises[1])}
    meetings = [
        meeting_request(
            event=mw.event, actor=askers[enterprise.pk], enterprise=enterprise, institution=mw.bank
        )
        for enterprise in enterprises
    ]

    outcomes = at_once(
        *[
            lambda meeting=meeting, slot=slot: meeting_accept(
                meeting=meeting, actor=mw.bank_user, slot=slot
            )
            for meeting, slot in zip(meetings, mw.slots, strict=False)
        ]
    )

    losses = [o for o in outcomes if isinstance(o, Conflict)]
    assert [o.code for o in losses] == ["meetings_full"], outcomes
    statuses = sorted(Meeting.objects.filter(event=mw.event).values_list("status", flat=True))
    assert statuses == ["accepted", "requested"]
