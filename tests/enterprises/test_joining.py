"""Joining the portal as an enterprise: registering one, asking to join and
claiming, and verification by the park's manager or the province's regulator."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Notification, User
from core.exceptions import Conflict
from core.models import Province
from core.validators import make_credit_code
from core.workflow import MoveNotAllowed
from enterprises.models import (
    Enterprise,
    EnterpriseMembership,
    EnterpriseVerificationChange,
    JoinRequest,
    JoinRequestStatusChange,
)
from enterprises.selectors import join_requests_to_decide, verification_queue
from enterprises.services import (
    enterprise_claim,
    enterprise_refuse,
    enterprise_register,
    enterprise_resubmit,
    enterprise_verify,
    join_request_approve,
    join_request_create,
    join_request_decline,
    join_request_withdraw,
)
from events.services import registration_create
from financing.models import Application
from financing.services import application_submit
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    EventFactory,
    ParkFactory,
    ProductFactory,
    RegulatorOfficeFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
CODE = make_credit_code("91330106MA2H00001")


def pdf(name: str = "licence.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def park():
    return ParkFactory()


@pytest.fixture
def park_manager(park):
    return member_of(park, UserFactory(email="manager@park.example.com"))


@pytest.fixture
def registered(park):
    founder = UserFactory(email="founder@newco.example.com")
    enterprise = enterprise_register(
        actor=founder,
        credit_code=CODE.lower(),
        name_zh="杭州新创科技有限公司",
        province=park.province,
        city_zh="杭州市",
        park=park,
        email="info@newco.example.com",
        licence=pdf(),
    )
    return enterprise, founder


def admin_of(enterprise: Enterprise):
    user = UserFactory()
    EnterpriseMembership.objects.create(
        enterprise=enterprise, user=user, role=EnterpriseMembership.Role.ADMIN
    )
    return user


# --------------------------------------------------------------------------- registering


def test_a_registered_enterprise_awaits_verification_with_its_founder_as_admin(
    park_manager, registered
):
    enterprise, founder = registered
    assert enterprise.credit_code == CODE
    assert enterprise.verification_status == Enterprise.Verification.AWAITING
    membership = EnterpriseMembership.objects.get(enterprise=enterprise)
    assert (membership.user, membership.role) == (founder, EnterpriseMembership.Role.ADMIN)
    assert enterprise.verification_history.get().to_status == "awaiting"
    # The park's manager hears of it.
    assert Notification.objects.filter(recipient=park_manager, kind="enterprise_verification")
    # The licence is kept privately, with no URL of its own.
    assert str(enterprise.licence.name).endswith(".pdf")
    with pytest.raises(ValueError):
        enterprise.licence.url  # noqa: B018


def test_a_wrong_check_character_is_refused_and_nothing_is_written(park):
    wrong = CODE[:-1] + ("0" if CODE[-1] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        enterprise_register(
            actor=UserFactory(),
            credit_code=wrong,
            name_zh="某公司",
            province=park.province,
            licence=pdf(),
        )
    assert "credit_code" in error.value.message_dict
    assert not Enterprise.objects.filter(credit_code=wrong).exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf("licence.pdf", b"MZ\x90\x00 not a pdf"), "PDF, JPEG or PNG"),
        (pdf("big.pdf", PDF + b"0" * (5 * 1024 * 1024)), "5 MB"),
    ],
)
def test_a_licence_is_checked_by_its_content_and_size(park, upload, message):
    with pytest.raises(ValidationError) as error:
        enterprise_register(
            actor=UserFactory(),
            credit_code=CODE,
            name_zh="某公司",
            province=park.province,
            licence=upload,
        )
    assert message in " ".join(error.value.message_dict["licence"])
    assert not Enterprise.objects.filter(credit_code=CODE).exists()


def test_a_park_of_another_province_is_refused(park):
    with pytest.raises(ValidationError) as error:
        enterprise_register(
            actor=UserFactory(),
            credit_code=CODE,
            name_zh="某公司",
            province=Province.objects.get(pk="500000"),
            park=park,
            licence=pdf(),
        )
    assert "park" in error.value.message_dict
    assert not Enterprise.objects.filter(credit_code=CODE).exists()


def test_a_taken_credit_code_is_refused_with_the_exists_code(registered, park):
    with pytest.raises(ValidationError) as error:
        enterprise_register(
            actor=UserFactory(),
            credit_code=CODE,
            name_zh="重名公司",
            province=park.province,
            licence=pdf(),
        )
    assert error.value.error_dict["credit_code"][0].code == "exists"
    assert Enterprise.objects.filter(credit_code=CODE).count() == 1


# --------------------------------------------------------------------------- verification


def test_the_park_manager_verifies_and_the_admins_are_told(registered, park_manager):
    enterprise, founder = registered
    enterprise_verify(enterprise=enterprise, actor=park_manager)
    enterprise.refresh_from_db()
    assert enterprise.is_verified and enterprise.verified_at is not None
    assert Notification.objects.filter(recipient=founder, kind="enterprise_verified").exists()
    assert list(enterprise.verification_history.values_list("to_status", flat=True)) == [
        "awaiting",
        "verified",
    ]


def test_a_regulator_of_another_province_or_a_member_cannot_verify(registered):
    enterprise, founder = registered
    chongqing = member_of(RegulatorOfficeFactory(province_id="500000"))
    for user in (chongqing, founder, UserFactory()):
        with pytest.raises(PermissionDenied):
            enterprise_verify(enterprise=enterprise, actor=user)
    enterprise.refresh_from_db()
    assert enterprise.verification_status == "awaiting"


def test_the_provincial_regulator_refuses_with_a_reason_then_the_admin_resubmits(registered):
    enterprise, founder = registered
    zhejiang = member_of(RegulatorOfficeFactory(province_id="330000"))
    with pytest.raises(ValidationError):
        enterprise_refuse(enterprise=enterprise, actor=zhejiang, reason="  ")
    enterprise_refuse(enterprise=enterprise, actor=zhejiang, reason="营业执照模糊")
    enterprise.refresh_from_db()
    assert (enterprise.verification_status, enterprise.refusal_reason) == (
        "refused",
        "营业执照模糊",
    )
    old = enterprise.licence.name
    png = SimpleUploadedFile("scan.png", PNG, content_type="image/png")
    enterprise_resubmit(enterprise=enterprise, actor=founder, note="重新上传", licence=png)
    enterprise.refresh_from_db()
    assert enterprise.verification_status == "resubmitted"
    assert enterprise.licence.name != old and str(enterprise.licence.name).endswith(".png")
    # The regulator is told of the resubmission.
    assert (
        Notification.objects.filter(recipient=zhejiang, kind="enterprise_verification").count() == 1
    )
    with pytest.raises(MoveNotAllowed):
        enterprise_resubmit(enterprise=enterprise, actor=founder)


# --------------------------------------------------------------------------- unverified limits


def test_an_unverified_enterprise_cannot_submit_an_application(registered):
    enterprise, founder = registered
    application = ApplicationFactory(
        enterprise=enterprise,
        product=ProductFactory(),
        status=Application.Status.DRAFT,
        amount_requested=Decimal("500000.00"),
        created_by=founder,
    )
    with pytest.raises(Conflict) as refusal:
        application_submit(application=application, actor=founder)
    assert refusal.value.code == "enterprise_unverified"
    assert "not verified" in refusal.value.message
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_an_unverified_enterprise_cannot_register_for_an_event(registered):
    enterprise, founder = registered
    event = EventFactory()
    with pytest.raises(Conflict) as refusal:
        registration_create(event=event, actor=founder, enterprise=enterprise)
    assert refusal.value.code == "enterprise_unverified"
    assert not event.registrations.exists()


# --------------------------------------------------------------------------- join requests


def test_a_join_request_approved_makes_a_member_and_tells_both_sides(registered):
    enterprise, founder = registered
    colleague = UserFactory(email="colleague@newco.example.com")
    join_request = join_request_create(enterprise=enterprise, actor=colleague, message="我是财务")
    assert Notification.objects.filter(recipient=founder, kind="join_request_pending").exists()
    with pytest.raises(ValidationError):  # asked twice
        join_request_create(enterprise=enterprise, actor=colleague)
    with pytest.raises(PermissionDenied):  # only admins answer
        join_request_approve(join_request=join_request, actor=colleague)
    join_request_approve(join_request=join_request, actor=founder)
    assert EnterpriseMembership.objects.filter(enterprise=enterprise, user=colleague).exists()
    assert Notification.objects.filter(recipient=colleague, kind="join_request_approved").exists()
    assert list(
        JoinRequestStatusChange.objects.filter(join_request=join_request).values_list(
            "to_status", flat=True
        )
    ) == ["pending", "approved"]
    with pytest.raises(ValidationError):  # already a member
        join_request_create(enterprise=enterprise, actor=colleague)


def test_a_declined_or_withdrawn_request_makes_no_member(registered):
    enterprise, founder = registered
    first, second = UserFactory(), UserFactory()
    declined = join_request_decline(
        join_request=join_request_create(enterprise=enterprise, actor=first),
        actor=founder,
        note="不认识",
    )
    withdrawn = join_request_withdraw(
        join_request=join_request_create(enterprise=enterprise, actor=second), actor=second
    )
    assert (declined.status, withdrawn.status) == ("declined", "withdrawn")
    assert enterprise.memberships.count() == 1
    with pytest.raises(MoveNotAllowed):
        join_request_approve(join_request=declined, actor=founder)


# --------------------------------------------------------------------------- claims


def test_an_imported_enterprise_is_claimed_by_email_domain_and_verified_again():
    imported = EnterpriseFactory(website="https://www.oldco.example.com/about")
    stranger = UserFactory(email="someone@elsewhere.example.com")
    with pytest.raises(ValidationError):
        enterprise_claim(enterprise=imported, actor=stranger)
    staff = UserFactory(email="li@oldco.example.com")
    enterprise_claim(enterprise=imported, actor=staff)
    imported.refresh_from_db()
    assert imported.verification_status == "awaiting"
    assert EnterpriseMembership.objects.get(enterprise=imported).user == staff
    claim = EnterpriseVerificationChange.objects.filter(enterprise=imported).last()
    assert claim is not None and claim.actor == staff
    # Now administered, it can no longer be claimed.
    with pytest.raises(PermissionDenied):
        enterprise_claim(enterprise=imported, actor=UserFactory(email="x@oldco.example.com"))


def test_an_imported_enterprise_is_claimed_with_a_licence():
    imported = EnterpriseFactory(verification_status="awaiting")
    user = UserFactory(email="wang@gmail.example.com")
    enterprise_claim(enterprise=imported, actor=user, licence=pdf())
    imported.refresh_from_db()
    assert imported.licence and imported.memberships.get().user == user


def test_join_requests_to_an_enterprise_nobody_administers_are_refused():
    imported = EnterpriseFactory()
    with pytest.raises(ValidationError) as error:
        join_request_create(enterprise=imported, actor=UserFactory())
    assert error.value.code == "claimable"
    assert not JoinRequest.objects.filter(enterprise=imported).exists()


# --------------------------------------------------------------------------- the demo


def test_the_demo_has_an_enterprise_to_verify_and_a_request_to_answer():
    park_manager = User.objects.get(email="park@example.com")
    founder = User.objects.get(email="founder@example.com")
    awaiting = verification_queue(user=park_manager).get(memberships__user=founder)
    assert str(awaiting.licence.name).endswith(".pdf")
    admin = User.objects.get(email="enterprise@example.com")
    pending = join_requests_to_decide(user=admin).get()
    assert pending.user.email == "colleague@example.com"
