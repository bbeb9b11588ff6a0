"""Where each role lands after signing in, and what its workspace puts first:
the bank's new and overdue applications and unanswered information requests,
the enterprise's questions to answer, invitations and events, the park
manager's events and registrations waiting for approval. Each count links to
the list it counts, and the list holds as many rows as the count says."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from events.models import Registration
from financing.models import Application
from matching.models import LeadInvitation
from parks.models import Park
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    EventFactory,
    InstitutionFactory,
    ProductFactory,
    RegistrationFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db
DEMO_PASSWORD = "ipfin-demo-2020"
S = Application.Status


def sign_in(email: str, *, next_url: str = "", password: str = DEMO_PASSWORD) -> str:
    """Sign in through the form; the address it lands on."""
    response = Client().post(
        "/accounts/sign-in/" + (f"?next={next_url}" if next_url else ""),
        {"username": email, "password": password},
    )
    assert response.status_code == 302, response.content[:300]
    return str(response["Location"])


@pytest.mark.parametrize(
    ("email", "landing"),
    [
        ("bank@example.com", "/products/manage/"),
        ("enterprise@example.com", "/enterprise/"),
        ("park@example.com", "/workspace/park/"),
        ("regulator@example.com", "/dashboard/"),
        ("zhejiang.regulator@example.com", "/dashboard/"),
    ],
)
def test_each_role_lands_on_its_workspace(email, landing):
    language = User.objects.get(email=email).language
    prefix = "/zh-hans" if language == "zh-hans" else ""
    assert sign_in(email) == prefix + landing


def test_next_wins_over_the_workspace():
    assert sign_in("bank@example.com", next_url="/events/").endswith("/events/")


def test_several_roles_land_on_the_first_in_the_documented_order_and_switch_in_the_nav():
    user = UserFactory(email="two.hats@test.example.com", language="en")
    user.set_password("two-hats-pass-2026")
    user.save()
    member_of(EnterpriseFactory(), user)
    member_of(Park.objects.get(memberships__user__email="park@example.com"), user)
    # Enterprise before park (ipfin.workspaces.LANDING_ORDER)…
    assert sign_in(user.email, password="two-hats-pass-2026") == "/enterprise/"
    member_of(InstitutionFactory(), user)
    # …and the bank before both.
    assert sign_in(user.email, password="two-hats-pass-2026") == "/products/manage/"
    client = Client()
    client.force_login(user)
    html = client.get("/products/manage/").content.decode()
    for workspace in ('href="/enterprise/"', 'href="/products/manage/"', 'href="/workspace/park/"'):
        assert workspace in html


def test_someone_acting_for_no_organisation_lands_on_the_home_page():
    user = UserFactory(email="nobody@test.example.com", language="en")
    user.set_password("nobody-pass-2026")
    user.save()
    assert sign_in(user.email, password="nobody-pass-2026") == "/"


# --- the bank ----------------------------------------------------------------


@pytest.fixture
def bank():
    """A bank of its own, with one officer reading English, and its queue:
    a new application, two waiting beyond the answer days, one the enterprise
    has not answered, one decided."""
    product = ProductFactory(name_en="Queue Loan")
    officer = member_of(product.institution, UserFactory(language="en"))
    long_ago = timezone.now() - dt.timedelta(days=9)

    def application(status, submitted_at=None, name="Fresh Co."):
        made = ApplicationFactory(
            product=product, status=status, enterprise=EnterpriseFactory(name_en=name)
        )
        if submitted_at:
            Application.objects.filter(pk=made.pk).update(submitted_at=submitted_at)
        return made

    made = {
        "new": application(S.SUBMITTED),
        "old_new": application(S.SUBMITTED, long_ago, "Waiting Long Co."),
        "old_review": application(S.UNDER_REVIEW, long_ago, "Reviewed Long Co."),
        "asked": application(S.INFO_REQUESTED, long_ago),
        "done": application(S.APPROVED, long_ago),
    }
    return officer, made


def count_of(html: str, key: str) -> tuple[int, str]:
    """The number a workspace shows for `key`, and where it links."""
    match = re.search(rf'data-count="{key}"[^>]*><a href="([^"]+)">\s*<strong>(\d+)</strong>', html)
    assert match, f"no count {key}"
    return int(match.group(2)), match.group(1).replace("&amp;", "&")


def test_the_bank_sees_new_overdue_and_unanswered_first_each_linking_to_its_list(client, bank):
    officer, made = bank
    client.force_login(officer)
    html = client.get("/products/manage/").content.decode()
    assert html.index("data-attention") < html.index("Your institution's products")
    assert "2 applications waiting for your decision over 5 days" in re.sub(r"<[^>]+>", "", html)
    expected = {"new": 2, "overdue": 2, "unanswered": 1}
    for key, n in expected.items():
        shown, url = count_of(html, key)
        assert shown == n, key
        listed = client.get(url).content.decode()
        assert listed.count("data-application=") == n, (key, url)
    # The overdue ones are named, the oldest first, with a link to each.
    assert f'data-overdue="{made["old_new"].pk}"' in html
    assert f'data-overdue="{made["new"].pk}"' not in html
    assert f'data-overdue="{made["done"].pk}"' not in html


def test_the_answer_days_are_a_setting(client, bank, settings):
    officer, _ = bank
    settings.IPFIN_ANSWER_DAYS = 10
    client.force_login(officer)
    html = client.get("/products/manage/").content.decode()
    assert count_of(html, "overdue")[0] == 0
    assert "over 10 days" in html


def test_the_banks_workspace_reads_in_a_fixed_number_of_queries(
    client, bank, django_assert_max_num_queries
):
    officer, made = bank
    product = made["new"].product
    for _ in range(8):
        ApplicationFactory(
            product=product,
            status=S.SUBMITTED,
            submitted_at=timezone.now() - dt.timedelta(days=20),
        )
    client.force_login(officer)
    with django_assert_max_num_queries(16):
        html = client.get("/products/manage/").content.decode()
    assert count_of(html, "overdue")[0] == 10


def test_the_banks_workspace_in_chinese_counts_in_natural_words(client, bank):
    officer, _ = bank
    client.force_login(officer)
    text = re.sub(r"<[^>]+>", "", client.get("/zh-hans/products/manage/").content.decode())
    assert "金融机构工作台" in text
    assert "2 份新申请" in text
    assert "2 份申请超过 5 天未审批" in text
    assert "1 项补充材料要求企业尚未答复" in text


# --- the enterprise ------------------------------------------------------------


@pytest.fixture
def enterprise_member():
    enterprise = EnterpriseFactory(name_en="Answering Co.")
    member = member_of(enterprise, UserFactory(language="en"))
    return member, enterprise


def test_the_enterprise_sees_its_questions_invitations_and_events_first(client, enterprise_member):
    member, enterprise = enterprise_member
    product = ProductFactory(name_en="Asking Loan")
    asked = ApplicationFactory(enterprise=enterprise, product=product, status=S.INFO_REQUESTED)
    ApplicationFactory(enterprise=enterprise, product=product, status=S.UNDER_REVIEW)
    LeadInvitation.objects.create(
        kind="apply",
        institution=product.institution,
        enterprise=enterprise,
        product=product,
        open_until=timezone.now() + dt.timedelta(days=30),
    )
    LeadInvitation.objects.create(  # lapsed: no longer shown
        kind="apply",
        institution=product.institution,
        enterprise=enterprise,
        product=ProductFactory(name_en="Lapsed Loan"),
        open_until=timezone.now() - dt.timedelta(days=1),
    )
    registered = EventFactory(campaign=None, title_en="Station We Go To")
    RegistrationFactory(event=registered, enterprise=enterprise)
    EventFactory(campaign=None, title_en="Station Still Open")
    EventFactory(
        campaign=None,
        title_en="Station Long Over",
        starts_at=timezone.now() - dt.timedelta(days=30),
        ends_at=timezone.now() - dt.timedelta(days=30, hours=-4),
    )
    client.force_login(member)
    html = client.get("/enterprise/").content.decode()
    shown, url = count_of(html, "info-requests")
    assert shown == 1
    assert client.get(url).content.decode().count(f"/applications/{asked.pk}/") >= 1
    assert f'data-asked="{asked.pk}"' in html
    invitations = html[html.index("data-invitations") :]
    assert "invites you to apply for Asking Loan" in invitations
    assert f"/applications/new/?product={product.code}" in invitations
    assert "Lapsed Loan" not in html
    registered_block = html[html.index("data-registered") : html.index("data-open-events")]
    assert "Station We Go To" in registered_block
    open_block = html[html.index("data-open-events") :]
    assert "Station We Go To" not in open_block
    assert "Long Over" not in html


def test_the_enterprises_workspace_reads_in_a_fixed_number_of_queries(
    client, enterprise_member, django_assert_max_num_queries
):
    member, enterprise = enterprise_member
    for _ in range(7):
        product = ProductFactory()
        ApplicationFactory(enterprise=enterprise, product=product, status=S.INFO_REQUESTED)
        LeadInvitation.objects.create(
            kind="apply",
            institution=product.institution,
            enterprise=enterprise,
            product=product,
            open_until=timezone.now() + dt.timedelta(days=30),
        )
        RegistrationFactory(event=EventFactory(campaign=None), enterprise=enterprise)
    client.force_login(member)
    with django_assert_max_num_queries(24):
        html = client.get("/enterprise/").content.decode()
    assert count_of(html, "info-requests")[0] == 7


# --- the park manager ----------------------------------------------------------


def test_the_park_manager_sees_its_events_with_registrations_waiting_for_approval(
    client, django_assert_max_num_queries
):
    manager = User.objects.get(email="park@example.com")
    park = Park.objects.get(memberships__user=manager)
    approving = EventFactory(campaign=None, title_en="Approving Station", requires_approval=True)
    approving.parks.set([park])
    for status in (Registration.Status.REGISTERED,) * 3 + (Registration.Status.CONFIRMED,):
        RegistrationFactory(event=approving, status=status)
    elsewhere = EventFactory(campaign=None, title_en="Another Park's Station")
    elsewhere.parks.set(Park.objects.exclude(pk=park.pk)[:1])
    client.force_login(manager)
    with django_assert_max_num_queries(14):
        html = client.get("/workspace/park/").content.decode()
    assert "Approving Station" in html and "Another Park's Station" not in html
    assert count_of(html, "waiting")[0] >= 3
    row = html[html.index(f'data-event="{approving.slug}"') :]
    assert 'data-waiting="3"' in row[: row.index("</tr>")]
    found = re.search(r'href="([^"]+)" data-waiting="3"', row)
    assert found
    link = found.group(1).replace("&amp;", "&")
    listed = client.get(link).content.decode()
    table = listed[listed.index("<tbody>") : listed.index("</tbody>")]
    assert table.count("<tr") == 3


@pytest.mark.parametrize("email", ["bank@example.com", "enterprise@example.com"])
def test_the_park_workspace_is_the_park_managers_alone(email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    assert client.get("/workspace/park/").status_code == 403


def test_amounts_in_the_overdue_list_read_in_the_readers_units(client, bank):
    officer, made = bank
    Application.objects.filter(pk=made["old_new"].pk).update(amount_requested=Decimal("3000000"))
    client.force_login(officer)
    html = client.get("/zh-hans/products/manage/").content.decode()
    assert "300万元" in html
