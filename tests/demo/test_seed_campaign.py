"""The demo data: `manage.py seed_campaign` (run once per test session by
tests/conftest.py) loads the 2020 campaign and the demo accounts, and running it
again changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from core.models import Province
from core.validators import validate_credit_code, validate_ip_number
from dashboards.selectors import Scope, campaign_figures
from demo.seed import row_counts
from enterprises.models import Enterprise, IPAsset
from events.models import Campaign, Event, Registration
from financing.models import Contract
from products.models import Product

pytestmark = [pytest.mark.django_db, pytest.mark.seeded]

CAMPAIGN = "park-campaign-2020"
HOSTS = ("110000", "330000", "430000", "440000", "500000")
DEMO_EMAILS = (
    "regulator@example.com",
    "zhejiang.regulator@example.com",
    "bank@example.com",
    "enterprise@example.com",
    "park@example.com",
    "admin@example.com",
)


def all_figures() -> dict[str | None, dict[str, Any]]:
    campaign = Campaign.objects.get(slug=CAMPAIGN)
    scopes = {None: Scope(campaign=campaign)} | {
        code: Scope(campaign=campaign, province=Province.objects.get(pk=code)) for code in HOSTS
    }
    return {code: campaign_figures(scope=scope).as_dict() for code, scope in scopes.items()}


def seeded_values() -> dict[str, list[tuple[Any, ...]]]:
    """The seeded rows people look at, by natural key, with every column."""
    return {
        "events": list(Event.objects.order_by("slug").values_list()),
        "registrations": list(Registration.objects.order_by("code").values_list()),
        "contracts": list(Contract.objects.order_by("reference").values_list()),
        "enterprises": list(Enterprise.objects.order_by("credit_code").values_list()),
        "products": list(Product.objects.order_by("code").values_list()),
    }


def test_running_the_seed_again_changes_nothing():
    enterprise_user = User.objects.get(email="enterprise@example.com")
    enterprise_user.set_password("a password of my own")
    enterprise_user.save()
    counts, figures, values = row_counts(), all_figures(), seeded_values()

    call_command("seed_campaign", verbosity=0)

    assert row_counts() == counts
    assert all_figures() == figures
    assert seeded_values() == values
    # A demo user who changed the password is not reset by a re-run.
    enterprise_user.refresh_from_db()
    assert enterprise_user.check_password("a password of my own")


def test_the_command_reports_what_it_loaded(capsys):
    call_command("seed_campaign", verbosity=1)

    out = capsys.readouterr().out
    assert "events.Event" in out
    assert "Demo campaign ready." in out


@pytest.mark.parametrize("email", DEMO_EMAILS)
def test_every_demo_account_signs_in_with_the_demo_password(client, email):
    # django-axes wants the request that signs in.
    assert client.login(request=HttpRequest(), email=email, password=settings.IPFIN_DEMO_PASSWORD)


def test_the_demo_accounts_act_for_the_organisations_the_readme_names():
    regulator = User.objects.get(email="regulator@example.com")
    office = regulator.office_memberships.get().office
    assert (office.code, office.level, office.province_id) == ("cnipa", "national", None)

    provincial = User.objects.get(email="zhejiang.regulator@example.com")
    office = provincial.office_memberships.get().office
    assert (office.kind, office.level, office.province_id) == ("ip_office", "provincial", "330000")

    park = User.objects.get(email="park@example.com").park_memberships.get().park
    assert park.slug == "hangzhou-hitech-binjiang"

    admin = User.objects.get(email="admin@example.com")
    assert admin.is_staff and admin.is_superuser and admin.language == "en"
    others = User.objects.filter(email__in=DEMO_EMAILS).exclude(pk=admin.pk)
    assert {u.language for u in others} == {"zh-hans"}
    assert all(u.full_name for u in User.objects.filter(email__in=DEMO_EMAILS))


def test_the_demo_bank_has_a_product_shown_at_a_zhejiang_station():
    bank = User.objects.get(email="bank@example.com").institution_memberships.get().institution

    assert (bank.kind, bank.province_id) == ("bank", "330000")
    assert Product.objects.filter(
        institution=bank,
        status=Product.Status.PUBLISHED,
        featured_at__host_province_id="330000",
        featured_at__campaign__slug=CAMPAIGN,
    ).exists()
    assert bank.registrations.exclude(status=Registration.Status.CANCELLED).exists()


def test_the_demo_enterprise_has_ip_to_borrow_against_and_came_to_a_station():
    user = User.objects.get(email="enterprise@example.com")
    enterprise = user.enterprise_memberships.get().enterprise

    assert enterprise.city_en == "Hangzhou"
    assert enterprise.park is not None
    assert enterprise.park.slug == "hangzhou-hitech-binjiang"
    assert enterprise.discoverable and enterprise.need_amount
    patents = enterprise.ip_assets.filter(
        kind__in=["invention_patent", "utility_model"],
        legal_status=IPAsset.LegalStatus.VALID,
        appraised_value__gt=0,
    )
    assert patents.count() >= 3
    assert enterprise.ip_assets.filter(kind="trademark", legal_status="valid").exists()
    assert enterprise.registrations.filter(
        status=Registration.Status.CHECKED_IN, event__host_province_id="330000"
    ).exists()


def test_every_credit_code_and_ip_number_is_valid():
    for code in Enterprise.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)
    for kind, number in IPAsset.objects.values_list("kind_id", "number"):
        validate_ip_number(kind, number)


def test_a_sample_of_enterprises_and_assets_passes_full_validation():
    for enterprise in Enterprise.objects.order_by("credit_code")[::97]:
        enterprise.full_clean()
    for asset in IPAsset.objects.order_by("kind_id", "number")[::199]:
        asset.full_clean()


def test_each_on_site_contract_comes_from_a_registration_at_its_event():
    contracts = Contract.objects.filter(event__campaign__slug=CAMPAIGN)
    assert contracts.exists()
    for contract in contracts.select_related("registration", "product"):
        registration = contract.registration
        assert registration is not None
        assert contract.event is not None
        assert registration.event_id == contract.event_id
        assert registration.enterprise_id == contract.enterprise_id
        assert registration.status != Registration.Status.CANCELLED
        assert (
            contract.event.registrations.filter(institution=contract.institution_id)
            .exclude(status=Registration.Status.CANCELLED)
            .exists()
        )
        assert (
            contract.product is None or contract.product.institution_id == contract.institution_id
        )
        if contract.kind == Contract.Kind.LOAN:
            assert contract.pledge_registration_number and contract.pledge_registered_on


def test_enterprises_register_in_their_own_province_during_the_campaign():
    assert not Registration.objects.exclude(enterprise=None).exclude(
        enterprise__province=F("event__host_province")
    )
    events = Event.objects.filter(campaign__slug=CAMPAIGN)
    days = {timezone.localtime(event.starts_at).date() for event in events}  # Asia/Shanghai
    assert min(days) >= dt.date(2020, 11, 16)
    assert max(days) <= dt.date(2020, 12, 31)
