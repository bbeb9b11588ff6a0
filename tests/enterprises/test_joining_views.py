"""The pages and the API of joining the portal, as an enterprise's staff and
its verifiers use them."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.services import user_create
from core.validators import make_credit_code
from enterprises.models import Enterprise, EnterpriseMembership, JoinRequest
from events.models import Event
from tests.factories import (
    EnterpriseFactory,
    EventFactory,
    ParkFactory,
    ProductFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
CODE = make_credit_code("91330106MA2H00002")
PASSWORD = "a long enough password"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def park():
    return ParkFactory()


def signed_in_client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def start_data(park, **overrides):
    data = {
        "step": "create",
        "credit_code": CODE,
        "name_zh": "杭州启明科技有限公司",
        "province": park.province_id,
        "city_zh": "杭州市",
        "park": park.pk,
        "industry": "next-gen-it",
        "contact_name": "张伟",
        "contact_phone": "0571-88888888",
        "licence": SimpleUploadedFile("执照.pdf", PDF, content_type="application/pdf"),
    }
    data.update(overrides)
    return data


def awaiting_enterprise(park, admin=None) -> Enterprise:
    enterprise = EnterpriseFactory(park=park, verification_status="awaiting")
    enterprise.licence.save("licence.pdf", ContentFile(PDF))
    EnterpriseMembership.objects.create(
        enterprise=enterprise, user=admin or UserFactory(), role=EnterpriseMembership.Role.ADMIN
    )
    return enterprise


def test_a_newcomer_registers_the_enterprise_and_lands_in_its_workspace(park):
    newcomer = UserFactory()
    client = signed_in_client(newcomer)
    assert "Register the enterprise" in client.get("/enterprise/start/").content.decode()

    response = client.post("/enterprise/start/", start_data(park), follow=True)

    assert response.redirect_chain[-1][0] == "/enterprise/"
    page = response.content.decode()
    assert "awaits verification" in page
    assert "cannot apply for financing or register for events" in page
    enterprise = Enterprise.objects.get(credit_code=CODE)
    assert enterprise.memberships.get().user == newcomer


def test_a_wrong_check_character_comes_back_with_the_message(park):
    wrong = CODE[:-1] + ("0" if CODE[-1] != "0" else "1")
    client = signed_in_client(UserFactory())
    response = client.post("/enterprise/start/", start_data(park, credit_code=wrong))
    assert response.status_code == 200
    assert response.context["form"].errors["credit_code"]
    assert not Enterprise.objects.filter(credit_code=wrong).exists()


def test_a_licence_that_is_not_a_pdf_or_image_is_refused(park):
    client = signed_in_client(UserFactory())
    fake = SimpleUploadedFile(
        "licence.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )
    response = client.post("/enterprise/start/", start_data(park, licence=fake))
    assert "PDF, JPEG or PNG" in str(response.context["form"].errors["licence"])
    assert not Enterprise.objects.filter(credit_code=CODE).exists()


def test_a_code_already_on_the_portal_offers_to_join_and_the_admin_approves(park):
    founder = UserFactory()
    enterprise = awaiting_enterprise(park, admin=founder)
    colleague = UserFactory()
    client = signed_in_client(colleague)

    response = client.post(
        "/enterprise/start/", start_data(park, credit_code=enterprise.credit_code)
    )
    page = response.content.decode()
    assert "is already on the portal" in page and "Ask to join" in page

    client.post(
        "/enterprise/start/",
        {
            "step": "join",
            "credit_code": enterprise.credit_code,
            "join-message": "",
            "message": "财务部",
        },
    )
    request = JoinRequest.objects.get(user=colleague)
    assert "Withdraw" in client.get("/enterprise/start/").content.decode()

    admin = signed_in_client(founder)
    listing = admin.get("/enterprise/join-requests/").content.decode()
    assert colleague.email in listing and "财务部" in listing
    admin.post(f"/enterprise/join-requests/{request.pk}/approve/")
    assert EnterpriseMembership.objects.filter(enterprise=enterprise, user=colleague).exists()
    # Now a member, the colleague's start page sends them to the workspace.
    assert client.get("/enterprise/start/").status_code == 302


def test_an_imported_enterprise_is_offered_for_a_claim_and_claimed_with_a_licence(park):
    imported = EnterpriseFactory(park=park)
    user = UserFactory()
    client = signed_in_client(user)
    response = client.post("/enterprise/start/", start_data(park, credit_code=imported.credit_code))
    assert "Claim this enterprise" in response.content.decode()

    licence = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    response = client.post(
        "/enterprise/start/",
        {"step": "claim", "credit_code": imported.credit_code, "licence": licence},
    )
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.verification_status == "awaiting" and imported.licence


def test_the_park_manager_opens_the_licence_and_verifies(park):
    enterprise = awaiting_enterprise(park)
    manager = signed_in_client(member_of(park))
    queue = manager.get("/enterprise/verification/").content.decode()
    assert enterprise.name_en in queue

    licence = manager.get(f"/enterprise/verification/{enterprise.pk}/licence/")
    assert licence["Content-Type"] == "application/pdf"
    assert licence.getvalue() == PDF
    assert "no-store" in licence["Cache-Control"]

    response = manager.post(f"/enterprise/verification/{enterprise.pk}/verify/")
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.is_verified
    after = manager.get("/enterprise/verification/", follow=True)
    assert "is verified: it may now apply for financing" in after.content.decode()
    assert enterprise not in after.context["enterprises"]


def test_a_refused_enterprise_is_told_why_and_resubmits(park):
    founder = UserFactory()
    enterprise = awaiting_enterprise(park, admin=founder)
    manager = signed_in_client(member_of(park))
    manager.post(
        f"/enterprise/verification/{enterprise.pk}/refuse/", {"refuse-reason": "执照已过期"}
    )
    client = signed_in_client(founder)
    workspace = client.get("/enterprise/").content.decode()
    assert "Verification refused" in workspace and "执照已过期" in workspace

    new = SimpleUploadedFile("new.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="image/png")
    client.post(
        f"/enterprise/verification/{enterprise.pk}/resubmit/",
        {"resubmit-licence": new, "resubmit-note": "已换新执照"},
    )
    enterprise.refresh_from_db()
    assert enterprise.verification_status == "resubmitted"
    assert str(enterprise.licence.name).endswith(".png")


@pytest.mark.parametrize("rows", [1, 12])
def test_the_lists_take_a_fixed_number_of_queries(park, rows, django_assert_max_num_queries):
    founder = UserFactory()
    enterprise = awaiting_enterprise(park, admin=founder)
    for _ in range(rows):
        JoinRequest.objects.create(enterprise=enterprise, user=UserFactory())
        awaiting_enterprise(park)
    admin = signed_in_client(founder)
    manager_user = member_of(park)
    manager = signed_in_client(manager_user)

    asker = UserFactory()
    for _ in range(rows):
        JoinRequest.objects.create(enterprise=awaiting_enterprise(park), user=asker)
    asking = signed_in_client(asker)
    with django_assert_max_num_queries(8):
        assert len(asking.get("/enterprise/start/").context["requests"]) == rows
    with django_assert_max_num_queries(8):
        assert len(admin.get("/enterprise/join-requests/").context["pending"]) == rows
    with django_assert_max_num_queries(9):
        assert len(manager.get("/enterprise/verification/").context["enterprises"]) == 2 * rows + 1
    with django_assert_max_num_queries(6):
        assert admin.get("/api/v1/join-requests/").json()["count"] == rows
    with django_assert_max_num_queries(8):
        assert manager.get("/api/v1/verifications/").json()["count"] == 2 * rows + 1


def test_the_api_asks_to_join_and_the_admin_approves(park):
    founder = UserFactory()
    enterprise = awaiting_enterprise(park, admin=founder)
    colleague = signed_in_client(UserFactory())
    response = colleague.post(
        "/api/v1/join-requests/",
        {"credit_code": enterprise.credit_code, "message": "hi"},
        content_type="application/json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    again = colleague.post(
        "/api/v1/join-requests/",
        {"credit_code": enterprise.credit_code},
        content_type="application/json",
    )
    assert again.status_code == 400 and again.json()["code"] == "invalid"
    approved = signed_in_client(founder).post(f"/api/v1/join-requests/{pk}/approve/")
    assert approved.json()["status"] == "approved"
    refused = signed_in_client(founder).post(f"/api/v1/join-requests/{pk}/approve/")
    assert refused.status_code == 409 and refused.json()["code"] == "move_not_allowed"


def test_an_unverified_enterprise_is_told_on_the_event_and_application_pages(park):
    founder = UserFactory()
    awaiting_enterprise(park, admin=founder)
    client = signed_in_client(founder)
    event = EventFactory(status=Event.Status.PUBLISHED)
    page = client.get(f"/events/{event.slug}/").content.decode()
    assert "cannot apply for financing or register for events" in page
    product = ProductFactory()
    page = client.get(f"/applications/new/?product={product.code}").content.decode()
    assert "cannot apply for financing or register for events" in page


def test_the_admin_shows_an_enterprise_with_a_licence_but_never_links_to_it(park):
    enterprise = awaiting_enterprise(park)
    operator = UserFactory(is_staff=True, is_superuser=True)
    page = signed_in_client(operator).get(f"/admin/enterprises/enterprise/{enterprise.pk}/change/")
    assert page.status_code == 200
    assert str(enterprise.licence.name) not in page.content.decode()
    assert "Awaiting verification" in page.content.decode()


def test_a_new_account_lands_on_the_start_page_once_its_email_is_confirmed(mailoutbox):
    client = Client()
    client.post(
        "/accounts/signup/",
        {
            "email": "zhou@newco.example.com",
            "password1": "a long pass 2026",
            "password2": "a long pass 2026",
        },
    )
    link = re.search(r"https?://testserver(/\S+)", str(mailoutbox[-1].body))
    assert link is not None
    confirmed = client.post(link.group(1))
    assert confirmed["Location"].endswith("/enterprise/start/")


def test_signing_in_later_lands_on_the_workspace_or_the_home_page(park):
    # Only the sign-up itself leads to the start page; the menu offers it later.
    member = user_create(email="member@newco.example.com", password=PASSWORD, verified=True)
    awaiting_enterprise(park, admin=member)
    loner = user_create(email="loner@newco.example.com", password=PASSWORD, verified=True)
    # The member lands on its enterprise's workspace, the loner on the home
    # page, each in their language.
    for user, landing in ((member, "enterprise/"), (loner, "")):
        response = Client().post("/accounts/sign-in/", {"login": user.email, "password": PASSWORD})
        assert response["Location"] in (f"/{landing}", f"/zh-hans/{landing}")
