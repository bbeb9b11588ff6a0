"""The admin site: every page renders, changelists don't query per row, history
and reference data can't be edited there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Model
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import ApiToken, OfficeMembership, RegulatorOffice, SecurityEvent, User
from core.models import IPKind, Province, StatusChange
from core.validators import make_credit_code, make_patent_number
from enterprises.models import Enterprise, EnterpriseMembership, IPAppraisal, IPAsset
from events.models import (
    Campaign,
    Event,
    EventKind,
    EventSlot,
    EventStatusChange,
    Meeting,
    MeetingStatusChange,
    Registration,
    RegistrationStatusChange,
)
from financing.models import Application, ApplicationStatusChange, Contract, Pledge
from knowledge.models import (
    Collection,
    CollectionDownload,
    CooperationAgreement,
    MediaReport,
    Policy,
    TrainingSession,
    TypicalCase,
)
from parks.models import Park, ParkMembership
from products.models import Institution, InstitutionMembership, Product, ProductStatusChange
from reports.models import Job, JobStatusChange
from tests.rows import first

pytestmark = pytest.mark.django_db

ZHEJIANG = "330000"
# The test database may hold the demo campaign too: this marks (and finds) our rows.
M = TypeVar("M", bound=Model)

MARK = "admtest"
TODAY = dt.date(2024, 5, 20)
HISTORY_MODELS = (
    EventStatusChange,
    ProductStatusChange,
    RegistrationStatusChange,
    MeetingStatusChange,
    ApplicationStatusChange,
)


@pytest.fixture
def superuser() -> User:
    return User.objects.create_superuser(email="root@example.com", password="x")


@pytest.fixture
def root_client(client: Client, superuser: User) -> Client:
    # pytest-django's admin_client creates its user with a username, which ours lacks.
    client.force_login(superuser)
    return client


def row_of(world: dict[type[Model], Model], model: type[M]) -> M:
    """The world's row of `model`, as that model."""
    row = world[model]
    assert isinstance(row, model)
    return row


def admin_url(model: type[Model], view: str, *args: Any) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def build_world(n: int) -> dict[type[Model], Model]:
    """One row of every model, all linked, keyed by model; `n` keeps unique fields apart."""
    user = User.objects.create_user(email=f"{MARK}{n}@example.com", full_name=f"User {n}")
    user.groups.add(Group.objects.create(name=f"{MARK}-{n}"))
    Token.objects.create(user=user)
    # Its verified address is recorded when the user is made (accounts/receivers.py).
    assert EmailAddress.objects.filter(user=user, verified=True).exists()
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00" * 20, "used_mask": 0}
    )
    SecurityEvent.objects.create(user=user, kind=SecurityEvent.Kind.SIGN_IN, ip="127.0.0.1")
    UserSession.objects.create(
        user=user, ip="127.0.0.1", session_key=f"{MARK}-session-{n}", user_agent="test"
    )
    ApiToken.objects.create(
        user=user,
        name=f"{MARK} token {n}",
        digest=f"{n:064d}",
        hint="ipf_abcd",
        expires_at=timezone.now() + dt.timedelta(days=90),
    )
    office = RegulatorOffice.objects.create(
        name_zh=f"知识产权局{n}", code=f"{MARK}-office-{n}", kind="ip_office", level="national"
    )
    park = Park.objects.create(
        name_zh=f"高新区{n}",
        slug=f"{MARK}-park-{n}",
        province_id=ZHEJIANG,
        city_zh="杭州",
        kind=Park.Kind.NATIONAL_HITECH_ZONE,
    )
    enterprise = Enterprise.objects.create(
        name_zh=f"企业{n}",
        name_en=f"{MARK} enterprise {n}",
        credit_code=make_credit_code(f"91330106MA2GL{n:04d}"),
        province_id=ZHEJIANG,
        park=park,
        industry_id="next-gen-it",
    )
    institution = Institution.objects.create(
        name_zh=f"银行{n}", code=f"{MARK}-bank-{n}", province_id=ZHEJIANG
    )
    product = Product.objects.create(
        name_zh=f"专利贷{n}",
        institution=institution,
        code=f"{MARK}-product-{n}",
        kind=Product.Kind.PATENT_PLEDGE_LOAN,
        amount_min=Decimal("100000"),
        amount_max=Decimal("5000000"),
        rate_min=Decimal("3.50"),
        rate_max=Decimal("4.20"),
        term_min_months=6,
        term_max_months=36,
        max_pledge_ratio=Decimal("50"),
    )
    product.accepted_ip_kinds.add(IPKind.objects.get(code="invention_patent"))
    campaign = Campaign.objects.create(
        name_zh=f"入园惠企{n}", slug=f"{MARK}-campaign-{n}", starts_on=TODAY, ends_on=TODAY
    )
    starts = timezone.make_aware(dt.datetime(2024, 5, 20, 9))
    event = Event.objects.create(
        campaign=campaign,
        slug=f"{MARK}-event-{n}",
        title_zh=f"活动{n}",
        host_province_id=ZHEJIANG,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=4),
    )
    event.kinds.add(EventKind.objects.get(code="matchmaking"))
    event.parks.add(park)
    slot = EventSlot.objects.create(
        event=event, starts_at=starts, ends_at=starts + dt.timedelta(minutes=30)
    )
    registration = Registration.objects.create(event=event, enterprise=enterprise)
    meeting = Meeting.objects.create(
        event=event, slot=slot, enterprise=enterprise, institution=institution
    )
    asset = IPAsset.objects.create(
        enterprise=enterprise,
        kind_id="invention_patent",
        number=make_patent_number(2023, 1, 9_870_000 + n),
        title=f"一种装置{n}",
        filed_on=dt.date(2020, 3, 1),
    )
    application = Application.objects.create(
        enterprise=enterprise,
        product=product,
        institution=product.institution,
        amount_requested=Decimal("1000000"),
        term_months=12,
        source_registration=registration,
    )
    policy = Policy.objects.create(
        title_zh=f"政策{n}", issuer_zh="国家知识产权局", level="national", issued_on=TODAY
    )
    case = TypicalCase.objects.create(title_zh=f"案例{n}", province_id=ZHEJIANG, published_on=TODAY)
    collection = Collection.objects.create(
        title_zh=f"汇编{n}", publisher=office, campaign=campaign, published_on=TODAY
    )
    collection.policies.add(policy)
    collection.cases.add(case)
    agreement = CooperationAgreement.objects.create(
        title_zh=f"协议{n}", kind="agreement", office=office, signed_on=TODAY
    )
    agreement.institutions.add(institution)
    job = Job.objects.create(kind=Job.Kind.REPORT, owner=user)
    made: list[Model] = [
        user,
        job,
        JobStatusChange.objects.create(job=job, to_status="queued", actor=user),
        office,
        park,
        enterprise,
        institution,
        product,
        campaign,
        event,
        slot,
        registration,
        meeting,
        asset,
        application,
        policy,
        case,
        collection,
        agreement,
        IPAppraisal.objects.create(
            asset=asset, value=Decimal("800000"), appraiser="评估所", appraised_on=TODAY
        ),
        Pledge.objects.create(application=application, asset=asset),
        Contract.objects.create(
            reference=f"{MARK}-{n}",
            kind=Contract.Kind.LOAN,
            amount=Decimal("1000000"),
            signed_on=TODAY,
            institution=institution,
            enterprise=enterprise,
            product=product,
            application=application,
            event=event,
            registration=registration,
            meeting=meeting,
        ),
        ProductStatusChange.objects.create(product=product, to_status="draft", actor=user),
        EventStatusChange.objects.create(event=event, to_status="draft", actor=user),
        RegistrationStatusChange.objects.create(
            registration=registration, to_status="registered", actor=user
        ),
        MeetingStatusChange.objects.create(meeting=meeting, to_status="requested", actor=user),
        ApplicationStatusChange.objects.create(
            application=application, to_status="draft", actor=user
        ),
        ParkMembership.objects.create(user=user, park=park),
        OfficeMembership.objects.create(user=user, office=office),
        EnterpriseMembership.objects.create(user=user, enterprise=enterprise),
        InstitutionMembership.objects.create(user=user, institution=institution),
        CollectionDownload.objects.create(collection=collection, visitor=f"v{n}", day=TODAY),
        TrainingSession.objects.create(
            title_zh=f"培训{n}", province_id=ZHEJIANG, park=park, organiser=office, held_on=TODAY
        ),
        MediaReport.objects.create(
            outlet_zh="人民日报", title=f"{MARK}报道{n}", published_on=TODAY, event=event
        ),
    ]
    return {type(obj): obj for obj in made}


# django-axes keeps its own admin for lock-outs; it is checked separately below.
REGISTERED = sorted(
    ((m, a) for m, a in admin.site._registry.items() if m._meta.app_label != "axes"),
    key=lambda item: item[0]._meta.label,
)


def test_the_lock_out_admin_pages_render(root_client: Client) -> None:
    for model in admin.site._registry:
        if model._meta.app_label == "axes":
            assert root_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize(
    ("model", "model_admin"), REGISTERED, ids=[model._meta.label for model, _ in REGISTERED]
)
def test_every_admin_page_renders(
    root_client: Client,
    superuser: User,
    model: type[Model],
    model_admin: admin.ModelAdmin,
    django_assert_max_num_queries: Any,
) -> None:
    url = admin_url(model, "changelist")
    build_world(1)
    with CaptureQueriesContext(connection) as one_world:
        assert root_client.get(url).status_code == 200

    # A second set of rows must not add queries: list columns are joined, not fetched per row.
    build_world(2)
    with django_assert_max_num_queries(len(one_world)):
        changelist = root_client.get(url)
    assert changelist.status_code == 200
    cl = changelist.context["cl"]
    assert cl.result_count >= 1
    # The changelist's own link: some admins (API tokens) key rows by another id.
    assert root_client.get(cl.url_for_result(cl.result_list[0])).status_code == 200

    request = RequestFactory().get("/")
    request.user = superuser
    if model_admin.has_add_permission(request):
        assert root_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", [Enterprise, Registration, Application, Contract, Meeting])
def test_changelist_queries_do_not_grow_with_rows(
    root_client: Client, model: type[Model], django_assert_max_num_queries: Any
) -> None:
    # Searching for our marker keeps any demo rows out of the counts.
    url = admin_url(model, "changelist") + f"?q={MARK}"
    build_world(1)
    with CaptureQueriesContext(connection) as one_row:
        response = root_client.get(url)
    assert response.context["cl"].result_count == 1

    for n in range(2, 7):
        build_world(n)
    with django_assert_max_num_queries(len(one_row)):
        response = root_client.get(url)
    assert response.context["cl"].result_count == 6


@pytest.mark.parametrize("model", HISTORY_MODELS)
def test_history_cannot_be_edited(root_client: Client, model: type[StatusChange]) -> None:
    row = row_of(build_world(1), model)

    assert root_client.post(admin_url(model, "add"), {"to_status": "x"}).status_code == 403
    assert root_client.post(admin_url(model, "change", row.pk), {"note": "x"}).status_code == 403
    assert root_client.post(admin_url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert row.note == ""
    # Read-only, but still there to look at.
    assert root_client.get(admin_url(model, "change", row.pk)).status_code == 200


@pytest.mark.parametrize("model", [Product, Registration, Meeting, Application])
def test_workflow_status_is_read_only(root_client: Client, model: type[Model]) -> None:
    obj = build_world(1)[model]
    response = root_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert b'name="status"' not in response.content


def test_reference_data_only_names_change(root_client: Client) -> None:
    province = Province.objects.get(code=ZHEJIANG)
    add, delete = admin_url(Province, "add"), admin_url(Province, "delete", ZHEJIANG)
    assert root_client.post(add, {"code": "990000"}).status_code == 403
    assert root_client.post(delete, {"post": "yes"}).status_code == 403

    response = root_client.post(
        admin_url(Province, "change", ZHEJIANG),
        {
            "name_zh": province.name_zh,
            "name_en": "Zhejiang Province",
            "short_zh": "X",
            "region": "hmt",
        },
    )
    assert response.status_code == 302
    changed = Province.objects.get(code=ZHEJIANG)
    assert changed.name_en == "Zhejiang Province"
    assert (changed.short_zh, changed.region) == (province.short_zh, province.region)


def test_enterprise_search_by_credit_code(root_client: Client) -> None:
    wanted = row_of(build_world(1), Enterprise)
    build_world(2)
    for query in (wanted.credit_code, wanted.credit_code.lower()):
        response = root_client.get(admin_url(Enterprise, "changelist"), {"q": query})
        assert list(response.context["cl"].result_list) == [wanted]


def test_autocomplete_finds_application_by_credit_code(root_client: Client) -> None:
    world = build_world(1)
    build_world(2)
    enterprise, application = row_of(world, Enterprise), world[Application]
    response = root_client.get(
        reverse("admin:autocomplete"),
        {
            "term": enterprise.credit_code,
            "app_label": "financing",
            "model_name": "contract",
            "field_name": "application",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(application.pk), "text": str(application)}]


def test_admin_index_renders(root_client: Client) -> None:
    assert root_client.get(reverse("admin:index")).status_code == 200


def test_new_contract_is_stamped_with_its_author(root_client: Client, superuser: User) -> None:
    world = build_world(1)
    response = root_client.post(
        admin_url(Contract, "add"),
        {
            "reference": f"{MARK}-new",
            "kind": Contract.Kind.INTENTION,
            "amount": "300000",
            "signed_on": "2024-05-20",
            "institution": world[Institution].pk,
            "enterprise": world[Enterprise].pk,
        },
    )
    assert response.status_code == 302
    assert Contract.objects.get(reference=f"{MARK}-new").created_by == superuser


def test_add_user_by_email(root_client: Client) -> None:
    response = root_client.post(
        admin_url(User, "add"),
        {
            "email": "New.Person@Example.com",
            "password1": "a-long-pass-2024",
            "password2": "a-long-pass-2024",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert user.check_password("a-long-pass-2024")
    assert not user.is_staff


def test_new_appraisal_updates_asset(root_client: Client, superuser: User) -> None:
    asset = row_of(build_world(1), IPAsset)
    existing = asset.appraisals.get()
    data = {
        "enterprise": asset.enterprise_id,
        "kind": asset.kind_id,
        "number": asset.number,
        "title": asset.title,
        "filed_on": "2020-03-01",
        "legal_status": asset.legal_status,
        "appraisals-TOTAL_FORMS": "2",
        "appraisals-INITIAL_FORMS": "1",
        "appraisals-MIN_NUM_FORMS": "0",
        "appraisals-MAX_NUM_FORMS": "1000",
        "appraisals-0-id": existing.pk,
        "appraisals-0-asset": asset.pk,
        "appraisals-1-asset": asset.pk,
        "appraisals-1-value": "1200000",
        "appraisals-1-appraiser": "新评估所",
        "appraisals-1-appraised_on": "2024-06-01",
    }
    response = root_client.post(admin_url(IPAsset, "change", asset.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]

    asset.refresh_from_db()
    assert asset.appraised_value == Decimal("1200000")
    assert asset.appraiser == "新评估所"
    assert asset.appraised_on == dt.date(2024, 6, 1)
    assert asset.appraisals.count() == 2
    assert first(asset.appraisals.all()).recorded_by == superuser
