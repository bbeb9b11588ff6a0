"""Writing the organisations from the catalogues (regulator offices, parks,
financial institutions) and the demo accounts that act for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import OfficeMembership, RegulatorOffice, User
from core.models import Membership
from demo.data import campaign as catalogue
from demo.data.institutions import INSTITUTIONS
from demo.data.parks import PARKS
from demo.seed.common import DEMO_BANK
from demo.seed.write import upsert, upsert_ids
from enterprises.models import EnterpriseMembership
from organisations.models import Invitation
from organisations.services import invitation_expire
from organisations.workflows import INVITATION
from parks.models import Park, ParkMembership
from products.models import Institution, InstitutionMembership

_PARK_KIND_ZH = {
    "national_hitech_zone": "国家级高新技术产业开发区",
    "economic_development_zone": "经济技术开发区",
    "science_park": "科技园区",
    "industrial_park": "产业园区",
    "free_trade_zone": "自由贸易试验区片区",
}


def write_offices() -> dict[str, int]:
    rows = [
        {
            "code": o.code,
            "name_zh": o.name_zh,
            "name_en": o.name_en,
            "kind": o.kind,
            "level": o.level,
            "province_id": o.province_code,
        }
        for o in catalogue.OFFICES
    ]
    return upsert_ids(RegulatorOffice, rows, key="code")


def write_parks() -> dict[str, int]:
    rows = [
        {
            "slug": p.slug,
            "name_zh": p.name_zh,
            "name_en": p.name_en,
            "province_id": p.province_code,
            "city_zh": p.city_zh,
            "city_en": p.city_en,
            "kind": p.kind,
            "description": f"{p.name_zh}位于{p.city_zh}，是{_PARK_KIND_ZH[p.kind]}。",
        }
        for p in PARKS
    ]
    return upsert_ids(Park, rows, key="slug")


def write_institutions() -> dict[str, int]:
    rows = [
        {
            "code": i.code,
            "name_zh": i.name_zh,
            "name_en": i.name_en,
            "kind": i.kind,
            "province_id": i.province_code,
            "city_zh": i.city_zh,
            "city_en": i.city_en,
        }
        for i in INSTITUTIONS
    ]
    return upsert_ids(Institution, rows, key="code")


# --------------------------------------------------------------------------- accounts


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    language: str = "zh-hans"
    staff: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("regulator@example.com", "王立新"),
    DemoAccount("zhejiang.regulator@example.com", "陈晓燕"),
    DemoAccount("bank@example.com", "周志远"),
    DemoAccount("enterprise@example.com", "刘思远"),
    DemoAccount("park@example.com", "赵敏"),
    DemoAccount("admin@example.com", "Platform Operator", language="en", staff=True),
)


def write_users(
    password: str,
    *,
    offices: dict[str, int],
    institutions: dict[str, int],
    enterprise: int,
    park: int,
) -> dict[str, User]:
    existing = {u.email: u for u in User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS])}
    users: dict[str, User] = {}
    for account in DEMO_ACCOUNTS:
        wanted = {
            "full_name": account.full_name,
            "language": account.language,
            "is_staff": account.staff,
            "is_superuser": account.staff,
        }
        user = existing.get(account.email)
        if user is None:
            user = User.objects.create_user(email=account.email, password=password, **wanted)
        else:
            changed = [name for name, value in wanted.items() if getattr(user, name) != value]
            for name in changed:
                setattr(user, name, wanted[name])
            if changed:
                user.save(update_fields=changed)
        users[account.email] = user
    # Who acts for which organisation, as its administrator.
    memberships = (
        ("regulator@example.com", OfficeMembership, "office", offices["cnipa"]),
        (
            "zhejiang.regulator@example.com",
            OfficeMembership,
            "office",
            offices["zhejiang-ip-office"],
        ),
        ("bank@example.com", InstitutionMembership, "institution", institutions[DEMO_BANK]),
        ("enterprise@example.com", EnterpriseMembership, "enterprise", enterprise),
        ("park@example.com", ParkMembership, "park", park),
    )
    for email, model, organisation, pk in memberships:
        upsert(
            model,
            [{"user": users[email], f"{organisation}_id": pk, "role": Membership.Role.ADMIN}],
            unique=["user", organisation],
        )
    return users


DEMO_INVITEE = "new.officer@example.com"


def write_invitation(institutions: dict[str, int], users: dict[str, User]) -> None:
    """One open invitation: the demo bank's administrator has invited a new
    officer, so the bank's members page has a queue. Made again only when
    none is open (a week after the seed it has expired)."""
    bank = institutions[DEMO_BANK]
    already = Invitation.objects.filter(
        kind="institution",
        organisation_id=bank,
        email=DEMO_INVITEE,
        status=Invitation.Status.SENT,
        expires_at__gt=timezone.now(),
    ).exists()
    if already:
        return
    for stale in Invitation.objects.filter(
        kind="institution", organisation_id=bank, email=DEMO_INVITEE, status=Invitation.Status.SENT
    ):
        invitation_expire(invitation=stale)
    inviter = users["bank@example.com"]
    invitation = Invitation.objects.create(
        kind="institution",
        organisation_id=bank,
        email=DEMO_INVITEE,
        invited_by=inviter,
        language="zh-hans",
        expires_at=timezone.now() + timedelta(days=settings.IPFIN_INVITATION_DAYS),
    )
    INVITATION.created(invitation, actor=inviter)
