"""The permission table: who may do what to whose object.

Each app's `test_permissions.py` lists `Route` rows: a URL (built from the
shared `World` of objects), a method, and the status every role must get.
`tests/test_route_coverage.py` fails when a URL is added without a row here.

Roles (docs/permissions.md): a visitor; the demo enterprise and another enterprise;
the demo bank and another institution; the park manager; the Zhejiang
(provincial) regulator and the national regulator. "Own" objects belong to
the demo enterprise / bank; "other" ones to the other enterprise / institution.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.test import Client

from accounts.models import Notification, User
from core.models import IPKind
from enterprises.models import Enterprise, IPAsset
from financing.models import Application, Pledge
from parks.models import Park
from products.models import Institution, Product
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    InstitutionFactory,
    IPAssetFactory,
    ProductFactory,
    UserFactory,
    member_of,
)
from tests.page_policy import assert_page_policies

DEMO_PASSWORD = "ipfin-demo-2020"

ROLES = (
    "visitor",
    "enterprise",
    "other_enterprise",
    "institution",
    "other_institution",
    "park",
    "provincial_regulator",
    "national_regulator",
)


@dataclass
class World:
    """The objects every permission row is built from, made once per session."""

    users: dict[str, User | None]
    enterprise: Enterprise
    other_enterprise: Enterprise
    institution: Institution
    other_institution: Institution
    park: Park
    asset: IPAsset
    other_asset: IPAsset
    product: Product
    draft_product: Product
    other_product: Product
    application: Application
    other_application: Application
    notification: Notification
    extra: dict[str, Any] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        client = Client()
        user = self.users[role]
        if user is not None:
            client.force_login(user)
        return client


def build_world() -> World:
    demo_enterprise_user = User.objects.get(email="enterprise@example.com")
    users: dict[str, User | None] = {
        "visitor": None,
        "enterprise": demo_enterprise_user,
        "institution": User.objects.get(email="bank@example.com"),
        "park": User.objects.get(email="park@example.com"),
        "provincial_regulator": User.objects.get(email="zhejiang.regulator@example.com"),
        "national_regulator": User.objects.get(email="regulator@example.com"),
    }
    enterprise = Enterprise.objects.get(memberships__user=users["enterprise"])
    institution = Institution.objects.get(memberships__user=users["institution"])
    park = Park.objects.get(memberships__user=users["park"])

    other_enterprise = EnterpriseFactory(name_en="Other Enterprise Co., Ltd.")
    users["other_enterprise"] = member_of(
        other_enterprise, UserFactory(email="other.enterprise@test.example.com")
    )
    other_institution = InstitutionFactory(name_en="Other Bank")
    users["other_institution"] = member_of(
        other_institution, UserFactory(email="other.bank@test.example.com")
    )

    asset = IPAssetFactory(enterprise=enterprise)
    other_asset = IPAssetFactory(enterprise=other_enterprise)
    product = ProductFactory(institution=institution)
    draft_product = ProductFactory(institution=institution, status=Product.Status.DRAFT)
    other_product = ProductFactory(institution=other_institution)
    kinds = IPKind.objects.filter(code__in=["invention_patent", "utility_model", "trademark"])
    for p in (product, draft_product, other_product):
        p.accepted_ip_kinds.set(kinds)

    application = ApplicationFactory(
        enterprise=enterprise,
        product=product,
        status=Application.Status.SUBMITTED,
        amount_requested=Decimal("500000.00"),
    )
    Pledge.objects.create(application=application, asset=asset)
    other_application = ApplicationFactory(
        enterprise=other_enterprise,
        product=other_product,
        status=Application.Status.SUBMITTED,
        amount_requested=Decimal("500000.00"),
    )
    Pledge.objects.create(application=other_application, asset=other_asset)
    notification = Notification.objects.create(
        recipient=demo_enterprise_user, kind="test", subject="Test notification"
    )
    return World(
        users=users,
        enterprise=enterprise,
        other_enterprise=other_enterprise,
        institution=institution,
        other_institution=other_institution,
        park=park,
        asset=asset,
        other_asset=other_asset,
        product=product,
        draft_product=draft_product,
        other_product=other_product,
        application=application,
        other_application=other_application,
        notification=notification,
    )


def everyone(status: int, **overrides: int) -> dict[str, int]:
    """The same status for every role, except those named."""
    unknown = set(overrides) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: overrides.get(role, status) for role in ROLES}


def signed_in(status: int, *, visitor: int = 302, **overrides: int) -> dict[str, int]:
    """Pages: visitors are sent to sign in; everyone else gets `status`."""
    return everyone(status, visitor=visitor, **overrides)


@dataclass(frozen=True)
class Route:
    """One row of the table: `url_name` ties it to the URL pattern it covers."""

    url_name: str
    method: str
    path: Callable[[World], str]
    expected: dict[str, int]
    data: Callable[[World], dict[str, Any]] | None = None
    json: bool = False
    label: str = ""

    def __post_init__(self) -> None:
        assert set(self.expected) == set(ROLES), f"{self.url_name}: a status for every role"

    @property
    def id(self) -> str:
        return f"{self.method} {self.url_name}{' ' + self.label if self.label else ''}"


def cases(routes: list[Route]) -> list[tuple[Route, str]]:
    return [(route, role) for route in routes for role in ROLES]


def case_id(case: tuple[Route, str] | Route | str) -> str:
    if isinstance(case, Route):
        return case.id
    return str(case)


def check(world: World, route: Route, role: str) -> None:
    client = world.client(role)
    path = route.path(world)
    data = route.data(world) if route.data else None
    method = getattr(client, route.method.lower())
    if route.json:
        response = method(path, data=data or {}, content_type="application/json")
    elif data is not None:
        response = method(path, data=data)
    else:
        response = method(path)
    expected = route.expected[role]
    assert response.status_code == expected, (
        f"{route.method} {path} as {role}: {response.status_code}, expected {expected}"
    )
    # Whatever the answer, it carries the CSP and the Permissions-Policy, and a
    # page writes no script or style into itself.
    assert_page_policies(response, where=f"{route.method} {path} as {role}")
