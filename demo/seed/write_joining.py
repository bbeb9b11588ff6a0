"""Joining the portal, so that no queue is empty in the demo: a newly
registered enterprise awaiting verification by the demo park's manager
(founder@example.com administers it) and a pending request by
colleague@example.com to join the demo enterprise.

Written once: a second run finds them and changes nothing."""

from __future__ import annotations

from django.core.files.base import ContentFile

from accounts.models import User
from core.validators import make_credit_code
from enterprises.models import Enterprise, EnterpriseMembership, JoinRequest
from enterprises.workflows import JOIN_REQUEST, VERIFICATION

FOUNDER = ("founder@example.com", "孙嘉怡")
COLLEAGUE = ("colleague@example.com", "黄俊杰")
# Outside the campaign plan's counters: a fixed, made-up body.
NEW_ENTERPRISE_CODE = make_credit_code("91330108MA2DEM001")
# A one-page PDF standing in for the scan of a business licence.
SAMPLE_LICENCE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _user(email: str, full_name: str, password: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=password, full_name=full_name, language="zh-hans"
        )
    return user


def write_joining(*, password: str, park: int, demo_enterprise: int) -> dict[str, User]:
    founder = _user(*FOUNDER, password)
    colleague = _user(*COLLEAGUE, password)

    enterprise = Enterprise.objects.filter(credit_code=NEW_ENTERPRISE_CODE).first()
    if enterprise is None:
        enterprise = Enterprise(
            credit_code=NEW_ENTERPRISE_CODE,
            name_zh="杭州云舟智能科技有限公司",
            name_en="Hangzhou Yunzhou Intelligent Technology Co., Ltd.",
            province_id="330000",
            city_zh="杭州市",
            city_en="Hangzhou",
            park_id=park,
            industry_id="next-gen-it",
            contact_name=FOUNDER[1],
            contact_phone="0571-86880000",
            email="info@yunzhou.example.com",
            verification_status=Enterprise.Verification.AWAITING,
        )
        enterprise.licence.save("licence.pdf", ContentFile(SAMPLE_LICENCE), save=False)
        enterprise.save()
        EnterpriseMembership.objects.create(
            enterprise=enterprise, user=founder, role=EnterpriseMembership.Role.ADMIN
        )
        VERIFICATION.created(enterprise, actor=founder)

    if not JoinRequest.objects.filter(user=colleague, enterprise_id=demo_enterprise).exists():
        join_request = JoinRequest.objects.create(
            enterprise_id=demo_enterprise,
            user=colleague,
            message="我是公司财务部的黄俊杰，负责知识产权质押融资的材料准备。",
        )
        JOIN_REQUEST.created(join_request, actor=colleague)
    return {FOUNDER[0]: founder, COLLEAGUE[0]: colleague}
