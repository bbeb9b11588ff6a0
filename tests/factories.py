"""Factories for tests: valid rows with the fewest choices spelled out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import factory
from django.utils import timezone

from accounts.models import OfficeMembership, RegulatorOffice, User
from core.validators import CREDIT_CODE_ALPHABET, make_credit_code, make_patent_number
from enterprises.models import Enterprise, EnterpriseMembership, IPAsset
from events.models import Campaign, Event, Registration
from financing.models import Application, Contract, Pledge
from parks.models import Park, ParkMembership
from products.models import Institution, InstitutionMembership, Product

DEFAULT_PASSWORD = "correct horse battery staple"

M = TypeVar("M")


class ModelFactory(factory.django.DjangoModelFactory[M]):
    """A factory whose call returns its model's row, as it does at run time
    (factory-boy's metaclass builds the row; its own types return the factory)."""

    if TYPE_CHECKING:

        def __new__(cls, *args: Any, **kwargs: Any) -> M:  # type: ignore[misc]
            ...


def _credit_code(n: int) -> str:
    # "91" + Hangzhou division + a 9-character organisation body from a counter.
    body = ""
    for _ in range(9):
        n, digit = divmod(n, len(CREDIT_CODE_ALPHABET))
        body = CREDIT_CODE_ALPHABET[digit] + body
    return make_credit_code("91330100" + body)


class UserFactory(ModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class RegulatorOfficeFactory(ModelFactory[RegulatorOffice]):
    class Meta:
        model = RegulatorOffice

    code = factory.Sequence(lambda n: f"office-{n}")
    name_zh = factory.Sequence(lambda n: f"测试知识产权局{n}")
    name_en = factory.Sequence(lambda n: f"Test IP Office {n}")
    kind = RegulatorOffice.Kind.IP_OFFICE
    level = RegulatorOffice.Level.PROVINCIAL
    province_id = "330000"


class ParkFactory(ModelFactory[Park]):
    class Meta:
        model = Park

    slug = factory.Sequence(lambda n: f"test-park-{n}")
    name_zh = factory.Sequence(lambda n: f"测试高新区{n}")
    name_en = factory.Sequence(lambda n: f"Test Hi-tech Zone {n}")
    province_id = "330000"
    city_zh = "杭州市"
    city_en = "Hangzhou"
    kind = Park.Kind.NATIONAL_HITECH_ZONE


class EnterpriseFactory(ModelFactory[Enterprise]):
    class Meta:
        model = Enterprise

    name_zh = factory.Sequence(lambda n: f"杭州测试{n}科技有限公司")
    name_en = factory.Sequence(lambda n: f"Hangzhou Test {n} Technology Co., Ltd.")
    # Far from the demo data's counters, so codes never collide with seeded ones.
    credit_code = factory.Sequence(lambda n: _credit_code(10**12 + n))
    province_id = "330000"
    city_zh = "杭州市"
    city_en = "Hangzhou"
    industry_id = "next-gen-it"
    # Most tests act for an enterprise already on the portal; verification's
    # own tests make their enterprises unverified.
    verification_status = Enterprise.Verification.VERIFIED


class IPAssetFactory(ModelFactory[IPAsset]):
    class Meta:
        model = IPAsset

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind_id = "invention_patent"
    number = factory.Sequence(lambda n: make_patent_number(2019, 1, 9_000_000 + n))
    title = factory.Sequence(lambda n: f"一种测试装置{n}")
    filed_on = dt.date(2019, 3, 1)
    appraised_value = Decimal("2000000.00")
    appraiser = "测试资产评估有限公司"
    appraised_on = dt.date(2020, 6, 1)


class InstitutionFactory(ModelFactory[Institution]):
    class Meta:
        model = Institution

    code = factory.Sequence(lambda n: f"test-bank-{n}")
    name_zh = factory.Sequence(lambda n: f"测试银行{n}杭州分行")
    name_en = factory.Sequence(lambda n: f"Test Bank {n} Hangzhou Branch")
    kind = Institution.Kind.BANK
    province_id = "330000"


class ProductFactory(ModelFactory[Product]):
    class Meta:
        model = Product

    institution = factory.SubFactory(InstitutionFactory)
    code = factory.Sequence(lambda n: f"test-product-{n}")
    name_zh = factory.Sequence(lambda n: f"专利贷{n}")
    name_en = factory.Sequence(lambda n: f"Patent Loan {n}")
    kind = Product.Kind.PATENT_PLEDGE_LOAN
    amount_min = Decimal("1000000.00")
    amount_max = Decimal("10000000.00")
    rate_min = Decimal("3.85")
    rate_max = Decimal("6.50")
    term_min_months = 6
    term_max_months = 36
    max_pledge_ratio = Decimal("50.00")
    status = Product.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class CampaignFactory(ModelFactory[Campaign]):
    class Meta:
        model = Campaign

    slug = factory.Sequence(lambda n: f"test-campaign-{n}")
    name_zh = factory.Sequence(lambda n: f"测试行动{n}")
    name_en = factory.Sequence(lambda n: f"Test campaign {n}")
    starts_on = dt.date(2026, 11, 1)
    ends_on = dt.date(2026, 12, 31)


class EventFactory(ModelFactory[Event]):
    class Meta:
        model = Event

    campaign = factory.SubFactory(CampaignFactory)
    slug = factory.Sequence(lambda n: f"test-event-{n}")
    title_zh = factory.Sequence(lambda n: f"入园惠企测试站{n}")
    title_en = factory.Sequence(lambda n: f"Test station {n}")
    host_province_id = "330000"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=4))
    status = Event.Status.PUBLISHED


class RegistrationFactory(ModelFactory[Registration]):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    status = Registration.Status.CONFIRMED


class ApplicationFactory(ModelFactory[Application]):
    class Meta:
        model = Application

    enterprise = factory.SubFactory(EnterpriseFactory)
    product = factory.SubFactory(ProductFactory)
    institution = factory.LazyAttribute(lambda o: o.product.institution)
    amount_requested = Decimal("3000000.00")
    term_months = 12
    status = Application.Status.DRAFT
    # Submitting stamps the time; anything past a draft has been submitted.
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == Application.Status.DRAFT else timezone.now()
    )


class PledgeFactory(ModelFactory[Pledge]):
    class Meta:
        model = Pledge

    application = factory.SubFactory(ApplicationFactory)
    asset = factory.SubFactory(
        IPAssetFactory, enterprise=factory.SelfAttribute("..application.enterprise")
    )


class ContractFactory(ModelFactory[Contract]):
    class Meta:
        model = Contract

    reference = factory.Sequence(lambda n: f"TEST-{n:06d}")
    kind = Contract.Kind.LOAN
    amount = Decimal("5000000.00")
    signed_on = dt.date(2026, 11, 20)
    institution = factory.SubFactory(InstitutionFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)


def member_of(
    organisation: Enterprise | Institution | Park | RegulatorOffice, user: User | None = None
) -> User:
    """A user acting for the organisation, of whatever kind it is."""
    member = user or UserFactory()
    if isinstance(organisation, Enterprise):
        EnterpriseMembership.objects.create(user=member, enterprise=organisation)
    elif isinstance(organisation, Institution):
        InstitutionMembership.objects.create(user=member, institution=organisation)
    elif isinstance(organisation, Park):
        ParkMembership.objects.create(user=member, park=organisation)
    else:
        OfficeMembership.objects.create(user=member, office=organisation)
    return member
