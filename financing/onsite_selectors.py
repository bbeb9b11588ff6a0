"""Reads for contracts and intention agreements signed at events.

Who sees one: the members of its enterprise and of its institution, and the
organisers of the event where it was signed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from accounts.models import User
from enterprises.models import EnterpriseMembership
from events.access import events_organised_by
from events.models import Event
from financing.models import Contract
from products.models import InstitutionMembership


def _for_lists(queryset: QuerySet[Contract]) -> QuerySet[Contract]:
    return queryset.select_related(
        "event", "enterprise", "institution", "product", "meeting__slot", "registration"
    )


def _party_rule(user: User) -> Q:
    return Q(
        enterprise_id__in=EnterpriseMembership.objects.filter(user=user).values("enterprise_id")
    ) | Q(
        institution_id__in=InstitutionMembership.objects.filter(user=user).values("institution_id")
    )


def onsite_contracts(
    *, event: Event, user: User | AnonymousUser, organiser: bool
) -> QuerySet[Contract]:
    """What was signed at the event: all of it for its organisers, the
    parties' own for everyone else."""
    if not user.is_authenticated:
        return Contract.objects.none()
    queryset = Contract.objects.filter(event=event)
    if not organiser:
        queryset = queryset.filter(_party_rule(user))
    return _for_lists(queryset).order_by("-signed_on", "-id")


def onsite_contract_detail(*, pk: int, user: User | AnonymousUser) -> Contract:
    """One contract signed at an event, or Http404 for those who may not see it."""
    if not user.is_authenticated:
        raise Http404("No such contract.")
    contract = (
        _for_lists(Contract.objects.filter(event__isnull=False))
        .filter(
            _party_rule(user) | Q(event_id__in=events_organised_by(user=user).values("pk")),
            pk=pk,
        )
        .first()
    )
    if contract is None:
        raise Http404("No such contract.")
    return contract


def onsite_totals(*, event: Event) -> dict[str, Any]:
    """How many contracts were signed at the event and for how much, the part
    that is intention agreements apart: the event's contract figures (docs/figures.md)."""
    return Contract.objects.filter(event=event, status=Contract.Status.SIGNED).aggregate(
        signed=Count("pk"),
        total=Sum("amount"),
        intention_total=Sum("amount", filter=Q(kind=Contract.Kind.INTENTION)),
    )
