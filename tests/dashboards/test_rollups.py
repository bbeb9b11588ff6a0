"""The dashboard reads rollups; they must always equal the aggregates over the
rows, distinct counts included: on random data, after new contracts arrive,
after a registration is cancelled, an event moved or withdrawn, and after a
full rebuild."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum
from django.utils import timezone

from core.models import Province
from dashboards.cells import breakdown, cell_for, dashboard_figures
from dashboards.models import Cell
from dashboards.rollups import rebuild_all, refresh_for_event
from dashboards.selectors import Scope, campaign_figures, events_in_scope
from events.models import Event, Meeting, Registration
from financing.models import Contract
from parks.models import Park
from products.models import Product
from tests.factories import (
    CampaignFactory,
    ContractFactory,
    EnterpriseFactory,
    EventFactory,
    InstitutionFactory,
    ParkFactory,
    ProductFactory,
    RegistrationFactory,
)
from tests.rows import first

pytestmark = pytest.mark.django_db

PROVINCES = ("330000", "110000", "430000")


def random_campaign(rng: random.Random):
    """A campaign of events in three provinces over two months, with parties
    that come back to several events, so distinct counts differ from sums."""
    campaign = CampaignFactory()
    parks = {p: [ParkFactory(province_id=p) for _ in range(3)] for p in PROVINCES}
    enterprises = [EnterpriseFactory() for _ in range(12)]
    institutions = [InstitutionFactory() for _ in range(5)]
    products = [
        ProductFactory(institution=rng.choice(institutions), kind=kind)
        for kind in (Product.Kind.PATENT_PLEDGE_LOAN, Product.Kind.TRADEMARK_PLEDGE_LOAN) * 2
    ]
    start = timezone.make_aware(dt.datetime(2020, 11, 3, 9))
    events = []
    for n in range(9):
        province = PROVINCES[n % 3]
        event = EventFactory(
            campaign=campaign,
            host_province_id=province,
            starts_at=start + dt.timedelta(days=7 * n),
            ends_at=start + dt.timedelta(days=7 * n, hours=5),
            participants_online=rng.randrange(0, 5000),
            participants_offline=rng.randrange(0, 500),
            status=Event.Status.DRAFT if n == 8 else Event.Status.PUBLISHED,
        )
        event.parks.set(rng.sample(parks[province], rng.randint(1, 2)))
        event.featured_products.set(rng.sample(products, rng.randint(0, 3)))
        guest = rng.sample(["440000", "500000", "320000"], 1)
        event.participating_provinces.set(Province.objects.filter(code__in=guest))
        for enterprise in rng.sample(enterprises, rng.randint(2, 8)):
            RegistrationFactory(
                event=event,
                enterprise=enterprise,
                status=rng.choice(list(Registration.Status.values)),
            )
        for institution in rng.sample(institutions, rng.randint(1, 3)):
            RegistrationFactory(event=event, enterprise=None, institution=institution)
        events.append(event)
    for event in events:
        add_contracts(rng, event, enterprises, institutions, products, rng.randint(0, 5))
    return campaign, events, enterprises, institutions, products


def add_contracts(rng, event, enterprises, institutions, products, count):
    for _ in range(count):
        product = rng.choice([*products, None])
        amount = Decimal(rng.randrange(1, 900)) * Decimal("10000.01")
        disbursed = rng.random() < 0.5
        ContractFactory(
            event=event,
            enterprise=rng.choice(enterprises),
            institution=product.institution if product else rng.choice(institutions),
            product=product,
            kind=rng.choice(list(Contract.Kind.values)),
            amount=amount,
            disbursed_amount=amount if disbursed else None,
        )


def scopes(campaign, events):
    yield Scope(campaign=campaign)
    for code in PROVINCES:
        province = Province.objects.get(pk=code)
        yield Scope(campaign=campaign, province=province)
        yield Scope(campaign=campaign, province=province, month="2020-11")
        for park in Park.objects.filter(events__campaign=campaign, province=province).distinct():
            yield Scope(campaign=campaign, province=province, park=park)
    for month in ("2020-11", "2020-12"):
        yield Scope(campaign=campaign, month=month)
    for event in events:
        yield Scope(campaign=campaign, event=event, province=event.host_province)


def raw_by(campaign, field, **filters):
    """Contracts at the campaign's published events, grouped the raw way."""
    events = events_in_scope(scope=Scope(campaign=campaign))
    rows = (
        Contract.objects.filter(event__in=events, **filters)
        .values(field)
        .annotate(
            n=Count("pk"),
            total=Sum("amount"),
            financed=Count("enterprise_id", distinct=True),
            intention=Sum("amount", filter=Q(kind=Contract.Kind.INTENTION)),
        )
    )
    return {
        str(r[field] or "none"): (r["n"], r["total"], r["financed"], r["intention"] or 0)
        for r in rows
    }


def assert_rollups_equal_rows(campaign, events):
    for scope in scopes(campaign, events):
        assert cell_for(scope) is not None, scope
        assert dashboard_figures(scope=scope) == campaign_figures(scope=scope), scope

    by_institution = {
        r.value: (
            r.figures.contracts_signed,
            r.figures.contract_amount,
            r.figures.financed_enterprises,
            r.figures.intention_amount,
        )
        for r in breakdown(scope=Scope(campaign=campaign), by="institution")
    }
    assert by_institution == raw_by(campaign, "institution_id")
    by_kind = {
        r.value: (r.figures.contracts_signed, r.figures.contract_amount)
        for r in breakdown(scope=Scope(campaign=campaign), by="ip-kind")
    }
    assert by_kind == {k: v[:2] for k, v in raw_by(campaign, "product__kind").items()}
    by_province = {
        r.value: r.figures for r in breakdown(scope=Scope(campaign=campaign), by="province")
    }
    assert by_province == {
        code: campaign_figures(scope=Scope(campaign=campaign, province=Province(pk=code)))
        for code in PROVINCES
    }
    meetings = Meeting.objects.filter(
        event__in=events_in_scope(scope=Scope(campaign=campaign)),
        status__in=[Meeting.Status.ACCEPTED, Meeting.Status.HELD],
    ).count()
    assert dashboard_figures(scope=Scope(campaign=campaign)).meetings == meetings


@pytest.mark.parametrize("seed", [1, 2])
def test_rollups_equal_the_raw_aggregates_on_random_data(seed):
    rng = random.Random(seed)
    campaign, events, enterprises, institutions, products = random_campaign(rng)
    for event in events:
        refresh_for_event(event_id=event.pk)
    assert_rollups_equal_rows(campaign, events)

    # New contracts arrive, some from enterprises already financed elsewhere.
    for event in rng.sample(events, 4):
        add_contracts(rng, event, enterprises, institutions, products, rng.randint(1, 4))
        refresh_for_event(event_id=event.pk)
    assert_rollups_equal_rows(campaign, events)

    # A registration is cancelled, an event moves to December, one is withdrawn,
    # the draft is published.
    registration = first(
        Registration.objects.filter(event__in=events, enterprise__isnull=False).exclude(
            status=Registration.Status.CANCELLED
        )
    )
    registration.status = Registration.Status.CANCELLED
    registration.save()
    moved, withdrawn, published = events[0], events[4], events[8]
    Event.objects.filter(pk=moved.pk).update(
        starts_at=moved.starts_at + dt.timedelta(days=40),
        ends_at=moved.ends_at + dt.timedelta(days=40),
    )
    Event.objects.filter(pk=withdrawn.pk).update(status=Event.Status.CANCELLED)
    Event.objects.filter(pk=published.pk).update(status=Event.Status.PUBLISHED)
    for event_id in {registration.event_id, moved.pk, withdrawn.pk, published.pk}:
        refresh_for_event(event_id=event_id)
    assert_rollups_equal_rows(campaign, events)

    # A full rebuild lands on exactly the same cells.
    before = {c.key: figures_tuple(c) for c in Cell.objects.filter(campaign=campaign)}
    rebuild_all()
    after = {c.key: figures_tuple(c) for c in Cell.objects.filter(campaign=campaign)}
    assert after == before


def figures_tuple(cell: Cell) -> tuple:
    return tuple(getattr(cell, f.attname) for f in Cell._meta.concrete_fields if f.attname != "key")


def test_refreshing_an_unchanged_event_changes_nothing():
    campaign, events, *_ = random_campaign(random.Random(5))
    for event in events:
        refresh_for_event(event_id=event.pk)
    before = {c.key: figures_tuple(c) for c in Cell.objects.filter(campaign=campaign)}

    for event in events:
        refresh_for_event(event_id=event.pk)

    assert {c.key: figures_tuple(c) for c in Cell.objects.filter(campaign=campaign)} == before


def test_the_seeded_campaign_reads_the_same_from_rollups_and_rows():
    call_command("rebuild_rollups", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from events.models import Campaign

    campaign = Campaign.objects.get(slug="park-campaign-2020")
    figures = dashboard_figures(scope=Scope(campaign=campaign))

    assert figures == campaign_figures(scope=Scope(campaign=campaign))
    assert figures.contract_amount == Decimal("710000000.00")
    assert figures.enterprises_involved == 1400


def test_apps_below_dashboards_refresh_through_the_signal(django_capture_on_commit_callbacks):
    """events/ and financing/ cannot import dashboards; they announce the
    change with a signal after commit, and the figures follow."""
    from events.figures import event_figures_changed
    from events.models import Campaign

    campaign = Campaign.objects.get(slug="park-campaign-2020")
    event = first(Event.objects.filter(campaign=campaign, host_province_id="430000"))
    before = dashboard_figures(scope=Scope(campaign=campaign))
    ContractFactory(event=event, amount=Decimal("2500000.00"), kind=Contract.Kind.INTENTION)

    with django_capture_on_commit_callbacks(execute=True):
        event_figures_changed(event_id=event.pk)

    after = dashboard_figures(scope=Scope(campaign=campaign))
    assert after.contract_amount - before.contract_amount == Decimal("2500000.00")
    assert after.intention_amount - before.intention_amount == Decimal("2500000.00")
    assert after == campaign_figures(scope=Scope(campaign=campaign))


def test_a_campaign_loaded_in_bulk_is_rolled_up_on_first_read_in_a_few_queries(
    django_assert_max_num_queries,
):
    from dashboards.models import EventParty, EventRollup, EventShare
    from events.models import Campaign

    for model in (Cell, EventShare, EventParty, EventRollup):
        model.objects.all().delete()
    campaign = Campaign.objects.get(slug="park-campaign-2020")

    with django_assert_max_num_queries(60):
        figures = dashboard_figures(scope=Scope(campaign=campaign))

    assert figures == campaign_figures(scope=Scope(campaign=campaign))
    assert figures.activities == 22


def test_the_services_keep_the_dashboard_current_as_they_write(django_capture_on_commit_callbacks):
    """Issue 4's "counts at once": a contract recorded on site, a registration
    cancelled and participants reported, each through its service, move the
    rolled-up dashboard exactly as the rows do."""
    from accounts.models import User
    from events.models import Campaign
    from events.services import event_report_participants, registration_cancel
    from financing.services import contract_record_onsite

    regulator = User.objects.get(email="regulator@example.com")
    campaign = Campaign.objects.get(slug="park-campaign-2020")
    event = first(Event.objects.filter(campaign=campaign, host_province_id="330000"))
    registration = first(
        Registration.objects.filter(event=event, enterprise__isnull=False).exclude(
            status=Registration.Status.CANCELLED
        )
    )
    # The seeded registrations are all checked in; one more may still cancel.
    leaving = RegistrationFactory(event=event, status=Registration.Status.CONFIRMED)
    dashboard_figures(scope=Scope(campaign=campaign))
    refresh_for_event(event_id=event.pk)
    scopes = [
        Scope(campaign=campaign),
        Scope(campaign=campaign, province=event.host_province),
        Scope(campaign=campaign, event=event),
    ]
    before = [dashboard_figures(scope=scope) for scope in scopes]  # rolled up on first read
    lender = first(
        Registration.objects.filter(event=event, institution__isnull=False).exclude(
            status=Registration.Status.CANCELLED
        )
    ).institution
    assert lender is not None

    with django_capture_on_commit_callbacks(execute=True):
        contract_record_onsite(
            event=event,
            actor=regulator,
            kind=Contract.Kind.LOAN,
            amount=Decimal("4200000.00"),
            signed_on=timezone.localtime(event.starts_at).date(),
            reference="ROLLUP-ONSITE-1",
            registration=registration,
            institution=lender,
        )
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=leaving, actor=regulator)
    with django_capture_on_commit_callbacks(execute=True):
        event_report_participants(
            event=event,
            actor=regulator,
            participants_online=event.participants_online + 100,
            participants_offline=event.participants_offline,
        )

    for scope, old in zip(scopes, before, strict=True):
        new = dashboard_figures(scope=scope)
        assert new == campaign_figures(scope=scope), scope
        assert new.contract_amount - old.contract_amount == Decimal("4200000.00")
        assert new.contracts_signed - old.contracts_signed == 1
        assert new.participants_online - old.participants_online == 100
        assert old.enterprises_involved - new.enterprises_involved == 1
