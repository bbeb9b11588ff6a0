"""The permission table: who may do what to whose object.

Each app's `test_permissions.py` lists `Route` rows: a URL (built from the
shared `World` of objects), a method, and the status every role must get.
`tests/test_route_coverage.py` fails when a URL is added without a row here.

Each row asserts more than the status (`check`):

- a refused request (401, 403, 404, 405, a visitor sent to sign in) wrote
  nothing: no INSERT, UPDATE or DELETE reached the portal's tables;
- an allowed write (a POST, PUT, PATCH or DELETE answered 2xx or 3xx) did
  write, unless the row names the role in `refused` (a form shown again, a
  move refused with a message: then nothing was written either) or says
  `writes=False` (a row whose success writes only the session);
- whatever the answer, the body holds nothing private of a party the role
  does not act for (`World.private`: the applications' purposes, the demo
  enterprise's notification), so neither a refusal nor a list leaks it.

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

from django.conf import settings
from django.db import connection
from django.http.response import HttpResponseBase
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext

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

# Private text no one but the parties may read (World.private).
OWN_PURPOSE = "Working capital for the pilot line PERM-OWN-7Q"
OTHER_PURPOSE = "Working capital for the second plant PERM-OTHER-3K"
OWN_NOTIFICATION = "Your meeting moved PERM-NOTE-5X"
# Statuses that refuse; a visitor sent to sign in is refused too.
REFUSALS = {401, 403, 404, 405}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Tables a request writes whatever it does: the session, the sign-in guard's
# logs, the security log (a refused sign-in is recorded there on purpose).
BOOKKEEPING = ("django_session", "axes_", "accounts_securityevent")

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
    # Private text of the world's objects, and the roles that may read it.
    private: dict[str, frozenset[str]] = field(default_factory=dict)

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
        purpose=OWN_PURPOSE,
    )
    Pledge.objects.create(application=application, asset=asset)
    other_application = ApplicationFactory(
        enterprise=other_enterprise,
        product=other_product,
        status=Application.Status.SUBMITTED,
        amount_requested=Decimal("500000.00"),
        purpose=OTHER_PURPOSE,
    )
    Pledge.objects.create(application=other_application, asset=other_asset)
    notification = Notification.objects.create(
        recipient=demo_enterprise_user, kind="test", subject=OWN_NOTIFICATION
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
        private={
            # An application is read by its two parties and the regulators
            # (every world enterprise is in Zhejiang).
            OWN_PURPOSE: frozenset(
                {"enterprise", "institution", "provincial_regulator", "national_regulator"}
            ),
            OTHER_PURPOSE: frozenset(
                {
                    "other_enterprise",
                    "other_institution",
                    "provincial_regulator",
                    "national_regulator",
                }
            ),
            OWN_NOTIFICATION: frozenset({"enterprise"}),
        },
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
    # Roles whose 2xx/3xx answer is a refusal all the same: a form shown again
    # with its messages, a move refused with a message. Nothing is written.
    refused: frozenset[str] = frozenset()
    # False when doing it writes nothing but the session (the language, signing out).
    writes: bool = True

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


def _writes(queries: list[dict[str, str]]) -> list[str]:
    """The statements that changed a portal table."""
    written = []
    for query in queries:
        sql = query["sql"].lstrip().upper()
        if not sql.startswith(("INSERT", "UPDATE", "DELETE")):
            continue
        if any(f'"{table}'.upper() in sql or f" {table}".upper() in sql for table in BOOKKEEPING):
            continue
        written.append(query["sql"][:160])
    return written


def _sent_to_sign_in(response: HttpResponseBase) -> bool:
    return response.status_code == 302 and str(response.get("Location", "")).startswith(
        resolve_url(settings.LOGIN_URL)
    )


def _asks_to_confirm(response: HttpResponseBase) -> bool:
    templates = getattr(response, "templates", None) or []
    return any(template.name == "confirm_move.html" for template in templates)


def check(world: World, route: Route, role: str) -> None:
    client = world.client(role)
    path = route.path(world)
    data = route.data(world) if route.data else None
    method = getattr(client, route.method.lower())
    with CaptureQueriesContext(connection) as queries:
        if route.json:
            response = method(path, data=data or {}, content_type="application/json")
        elif data is not None:
            response = method(path, data=data)
        else:
            response = method(path)
        if _asks_to_confirm(response):
            # A destructive move asks first (templates/confirm_move.html),
            # writing nothing: the row confirms it, as its user would.
            assert _writes(queries.captured_queries) == [], f"{path}: asking wrote"
            response = method(path, data={**(data or {}), "confirmed": "1"})
    expected = route.expected[role]
    where = f"{route.method} {path} as {role}"
    assert response.status_code == expected, f"{where}: {response.status_code}, expected {expected}"
    written = _writes(queries.captured_queries)
    refused = expected in REFUSALS or _sent_to_sign_in(response) or role in route.refused
    if refused:
        assert written == [], f"{where} was refused yet wrote: {written}"
    elif route.method in UNSAFE and expected < 400 and route.writes:
        assert written, f"{where} answered {expected} and changed nothing"
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    for secret, readers in world.private.items():
        assert role in readers or secret not in text, f"{where} shows another party's {secret!r}"
    # Whatever the answer, it carries the CSP and the Permissions-Policy, and a
    # page writes no script or style into itself.
    assert_page_policies(response, where=f"{route.method} {path} as {role}")
