"""Writing what happened at the stations: who registered, who met whom, and the
contracts signed there."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from demo.seed.common import CONTRACT_PREFIX, DEMO_BANK, REGISTRATION_PREFIX, at
from demo.seed.plan import Plan
from demo.seed.write import backdate, delete_missing, sync_rows, upsert_ids
from events.models import EventSlot, Meeting, Registration
from financing.models import Contract


def write_registrations(
    plan: Plan,
    events: dict[str, int],
    enterprises: dict[str, int],
    institutions: dict[str, int],
    users: dict[str, User],
) -> dict[str, int]:
    demo_user = users["enterprise@example.com"]
    rows = [
        {
            "code": r.code,
            "event_id": events[r.event],
            "enterprise_id": enterprises[r.enterprise] if r.enterprise else None,
            "institution_id": institutions[r.institution] if r.institution else None,
            "status": r.status,
            "registered_by": demo_user if r.enterprise == plan.demo_enterprise else None,
            "need_amount": r.need_amount,
            "need_term_months": r.need_term_months,
            "max_meetings": r.max_meetings,
            "checked_in_at": r.checked_in_at,
        }
        for r in plan.registrations
    ]
    delete_missing(
        Registration.objects.filter(
            event_id__in=list(events.values()), code__startswith=REGISTRATION_PREFIX
        ),
        "code",
        {r.code for r in plan.registrations},
    )
    ids = upsert_ids(Registration, rows, key="code")
    backdate(Registration, ids, {r.code: r.created_at for r in plan.registrations})
    return ids


def write_meetings(
    plan: Plan, events: dict[str, int], enterprises: dict[str, int], institutions: dict[str, int]
) -> dict[tuple[Any, ...], int]:
    """The meetings, with their primary keys by (event, enterprise, institution)."""
    slots = {
        (event_id, starts_at): pk
        for pk, event_id, starts_at in EventSlot.objects.filter(
            event_id__in=list(events.values())
        ).values_list("pk", "event_id", "starts_at")
    }
    event_plans = {e.spec.slug: e for e in plan.events}
    rows = [
        {
            "event_id": events[m.event],
            "enterprise_id": enterprises[m.enterprise],
            "institution_id": institutions[m.institution],
            "slot_id": slots[(events[m.event], event_plans[m.event].slots[m.slot][0])],
            "status": Meeting.Status.HELD,
            "source": Meeting.Source.REQUESTED
            if m.outcome != "no_further_contact"
            else Meeting.Source.MATCHER,
            "fit_score": m.fit_score,
            "outcome": m.outcome,
            "note": m.note,
        }
        for m in plan.meetings
    ]
    return sync_rows(
        Meeting,
        Meeting.objects.filter(event_id__in=list(events.values())),
        ("event_id", "enterprise_id", "institution_id"),
        rows,
    )


def write_contracts(
    plan: Plan,
    events: dict[str, int],
    enterprises: dict[str, int],
    institutions: dict[str, int],
    products: dict[str, int],
    registrations: dict[str, int],
    meetings: dict[tuple[Any, ...], int],
    users: dict[str, User],
) -> None:
    bank_user = users["bank@example.com"]
    rows = []
    for c in plan.contracts:
        event, enterprise, institution = (
            events[c.event],
            enterprises[c.enterprise],
            institutions[c.institution],
        )
        rows.append(
            {
                "reference": c.reference,
                "kind": c.kind,
                "amount": c.amount,
                "signed_on": c.signed_on,
                "institution_id": institution,
                "enterprise_id": enterprise,
                "product_id": products[c.product] if c.product else None,
                "event_id": event,
                "registration_id": registrations[c.registration],
                "meeting_id": meetings.get((event, enterprise, institution)),
                "pledge_registration_number": c.pledge_registration_number,
                "pledge_registered_on": c.pledge_registered_on,
                "disbursed_amount": c.disbursed_amount,
                "disbursed_on": c.disbursed_on,
                "created_by": bank_user if c.institution == DEMO_BANK else None,
            }
        )
    delete_missing(
        Contract.objects.filter(reference__startswith=CONTRACT_PREFIX),
        "reference",
        {c.reference for c in plan.contracts},
    )
    ids = upsert_ids(Contract, rows, key="reference")
    backdate(Contract, ids, {c.reference: at(c.signed_on, "16:00") for c in plan.contracts})
