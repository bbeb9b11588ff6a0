"""The 2020 campaign's figures (docs/figures.md), as the seed report gives them,
computed from the demo rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.models import Province
from dashboards.selectors import Scope, campaign_figures
from events.models import Campaign, Event, Registration
from financing.models import Contract
from tests.factories import ContractFactory, EnterpriseFactory, EventFactory, RegistrationFactory
from tests.rows import first

pytestmark = pytest.mark.django_db

BEIJING, ZHEJIANG, HUNAN, GUANGDONG, CHONGQING = "110000", "330000", "430000", "440000", "500000"


@pytest.fixture
def campaign() -> Campaign:
    return Campaign.objects.get(slug="park-campaign-2020")


def figures_for(campaign: Campaign, province: str | None = None):
    scope = Scope(
        campaign=campaign, province=Province.objects.get(pk=province) if province else None
    )
    return campaign_figures(scope=scope)


def test_the_campaign_shows_the_reported_headline_figures(campaign):
    figures = figures_for(campaign)

    assert figures.activities == 22
    assert figures.parks_covered == 53
    assert figures.enterprises_involved == 1400
    assert figures.institutions_involved > 220
    assert figures.participants_total == 470_000
    assert figures.participants_online + figures.participants_offline == 470_000
    assert figures.contract_amount == Decimal("710000000.00")
    assert figures.provinces_participating == 18


def test_the_campaign_was_hosted_by_five_provinces(campaign):
    hosts = set(Event.objects.filter(campaign=campaign).values_list("host_province_id", flat=True))
    assert hosts == {BEIJING, ZHEJIANG, HUNAN, GUANGDONG, CHONGQING}


def test_zhejiang_held_eight_stations_with_fifteen_contracts_of_300_million(campaign):
    figures = figures_for(campaign, ZHEJIANG)

    assert figures.activities == 8
    assert figures.contracts_signed == 15
    assert figures.contract_amount == Decimal("300000000.00")
    assert figures.products_released > 10


def test_beijing_had_eighteen_banks_release_products(campaign):
    assert figures_for(campaign, BEIJING).releasing_institutions == 18


def test_chongqing_signed_three_intentions_of_220_million(campaign):
    figures = figures_for(campaign, CHONGQING)

    assert figures.contracts_signed == 3
    assert figures.intention_amount == Decimal("220000000.00")


def test_hunan_financed_fourteen_enterprises_with_120_million(campaign):
    figures = figures_for(campaign, HUNAN)

    assert figures.financed_enterprises == 14
    assert figures.contract_amount == Decimal("120000000.00")


def test_province_figures_add_up_to_the_campaign(campaign):
    total = figures_for(campaign)
    parts = [
        figures_for(campaign, code) for code in (BEIJING, ZHEJIANG, HUNAN, GUANGDONG, CHONGQING)
    ]

    assert sum(p.activities for p in parts) == total.activities
    assert sum(p.contracts_signed for p in parts) == total.contracts_signed
    assert sum(p.contract_amount for p in parts) == total.contract_amount
    assert sum(p.participants_total for p in parts) == total.participants_total


def test_one_more_contract_at_an_event_moves_the_amount_by_exactly_its_amount(campaign):
    before = figures_for(campaign)
    event = first(Event.objects.filter(campaign=campaign, host_province_id=ZHEJIANG))
    registration = first(event.registrations.exclude(enterprise=None))

    ContractFactory(
        event=event,
        enterprise=registration.enterprise,
        registration=registration,
        amount=Decimal("12345678.90"),
    )
    after = figures_for(campaign)

    assert after.contract_amount - before.contract_amount == Decimal("12345678.90")
    assert after.contracts_signed == before.contracts_signed + 1
    assert after.intention_amount == before.intention_amount


def test_an_intention_agreement_counts_in_the_intention_amount(campaign):
    before = figures_for(campaign, BEIJING)
    event = first(Event.objects.filter(campaign=campaign, host_province_id=BEIJING))

    ContractFactory(event=event, kind=Contract.Kind.INTENTION, amount=Decimal("1000000.00"))
    after = figures_for(campaign, BEIJING)

    assert after.intention_amount - before.intention_amount == Decimal("1000000.00")
    assert after.contract_amount - before.contract_amount == Decimal("1000000.00")


def test_a_contract_signed_away_from_any_event_is_not_an_on_site_contract(campaign):
    before = figures_for(campaign)
    ContractFactory(event=None, amount=Decimal("9000000.00"))
    assert figures_for(campaign).contract_amount == before.contract_amount


def test_a_cancelled_registration_does_not_involve_the_enterprise(campaign):
    event = first(Event.objects.filter(campaign=campaign))
    before = figures_for(campaign)

    RegistrationFactory(
        event=event, enterprise=EnterpriseFactory(), status=Registration.Status.CANCELLED
    )
    assert figures_for(campaign).enterprises_involved == before.enterprises_involved

    RegistrationFactory(
        event=event, enterprise=EnterpriseFactory(), status=Registration.Status.CONFIRMED
    )
    assert figures_for(campaign).enterprises_involved == before.enterprises_involved + 1


def test_draft_and_cancelled_events_are_not_activities(campaign):
    before = figures_for(campaign)
    EventFactory(campaign=campaign, status=Event.Status.DRAFT, participants_online=1000)
    EventFactory(campaign=campaign, status=Event.Status.CANCELLED, participants_online=1000)

    after = figures_for(campaign)
    assert after.activities == before.activities
    assert after.participants_total == before.participants_total


def test_an_empty_scope_answers_zeros_not_errors():
    empty = campaign_figures(
        scope=Scope(
            campaign=Campaign.objects.create(
                slug="empty", name_zh="空", starts_on="2026-01-01", ends_on="2026-01-02"
            )
        )
    )
    assert empty.activities == 0
    assert empty.contract_amount == Decimal("0")
    assert empty.provinces_participating == 0


def test_the_summary_takes_a_fixed_number_of_queries(campaign, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        figures_for(campaign)
