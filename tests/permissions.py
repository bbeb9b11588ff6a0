"""The permission table: who may do what to whose object.

Each app's `test_permissions.py` lists `Route` rows: a URL (built from the
shared `World` of objects), a method, and the status every role must get.
`tests/test_route_coverage.py` fails when a URL is added without a row here.

Each row asserts more than the status (`check`):

- a refused request (400, 401, 403, 404, 405, 409, a visitor sent to sign
  in) wrote nothing: no INSERT, UPDATE or DELETE reached the portal's tables
  (one a savepoint rolled back, as a unique constraint's 409 does, did not);
- an allowed write (a POST, PUT, PATCH or DELETE answered 2xx or 3xx) did
  write, unless the row names the role in `refused` (a form shown again, a
  move refused with a message: then nothing was written either) or says
  `writes=False` (a row whose success writes only the session);
- whatever the answer, the body holds nothing private of a party the role
  does not act for (`World.private`: the applications' purposes, the demo
  enterprise's notification), so neither a refusal nor a list leaks it.

A row may say more of what a user would notice:

- `move=Move(target, from, to)`: the object a write moves. It starts at
  `from`; after a request that was done it is at `to` with one more history
  row, after a refused one it is still at `from` with none;
- `done=`: the rows the write adds (a queryset, read before and after): one
  more after a request that was done, the same number after a refused one;
  `gone=` the same for a row the write deletes (one fewer when done);
- `says=` / `refusal=`: the sentence the answer shows when done / when
  refused with a 2xx or 3xx. A redirect is followed and the page it leads to
  read, so a 302 done is told from a 302 refused by its message;
- `shows=`: text that marks an object in a list or a page, and the roles
  whose 2xx answer must show it; every other role's answer must not;
- `per_row=`: objects the row needs for itself (`World.row`), made inside
  the test's transaction, so one row's effect never reaches another.

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
from django.db.models import QuerySet
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
REFUSALS = {400, 401, 403, 404, 405, 409}
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
    # The objects the row being checked made for itself (`Route.per_row`).
    row: dict[str, Any] = field(default_factory=dict)

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
class Move:
    """The object a row's write moves, from one status to another."""

    target: Callable[[World], Any]  # a model instance with a status
    from_status: str
    to_status: str
    # The status field and the related name of its history rows, where the
    # model names them otherwise (an enterprise's verification).
    field: str = "status"
    history: str = "history"

    def read(self, world: World) -> tuple[str, int]:
        """The object's status now, and how many status changes it has recorded."""
        obj = self.target(world)
        obj.refresh_from_db()
        history = getattr(obj, self.history, None)
        return str(getattr(obj, self.field)), history.count() if history is not None else 0


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
    # What a user notices (see the module's docstring).
    move: Move | None = None
    done: Callable[[World], QuerySet[Any]] | None = None
    gone: Callable[[World], QuerySet[Any]] | None = None
    says: str | None = None
    refusal: str | None = None
    shows: Callable[[World], dict[str, frozenset[str]]] | None = None
    per_row: Callable[[World], dict[str, Any]] | None = None

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
    """The statements that changed a portal table and stayed: what a savepoint
    rolled back (an INSERT refused by a unique constraint, answered 409) did
    not reach the table."""
    written: list[str] = []
    # For each open savepoint, how many statements were written before it.
    savepoints: dict[str, int] = {}
    for query in queries:
        sql = query["sql"].lstrip().upper()
        if sql.startswith("SAVEPOINT "):
            savepoints[sql.removeprefix("SAVEPOINT ").strip()] = len(written)
            continue
        if sql.startswith("ROLLBACK TO SAVEPOINT "):
            name = sql.removeprefix("ROLLBACK TO SAVEPOINT ").strip()
            if name in savepoints:
                del written[savepoints[name] :]
            continue
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


def _text(response: HttpResponseBase) -> str:
    body = b"".join(response) if response.streaming else response.content  # type: ignore[attr-defined]
    return body.decode("utf-8", "replace")


def _asks_to_confirm(response: HttpResponseBase) -> bool:
    templates = getattr(response, "templates", None) or []
    return any(template.name == "confirm_move.html" for template in templates)


def check(world: World, route: Route, role: str) -> None:
    world.row = route.per_row(world) if route.per_row else {}
    client = world.client(role)
    path = route.path(world)
    data = route.data(world) if route.data else None
    method = getattr(client, route.method.lower())
    where = f"{route.method} {path} as {role}"
    if route.move:
        before = route.move.read(world)
        assert before[0] == route.move.from_status, f"{where}: the row starts at {before[0]}"
    rows_before = route.done(world).count() if route.done else 0
    kept_before = route.gone(world).count() if route.gone else 0
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
    assert response.status_code == expected, f"{where}: {response.status_code}, expected {expected}"
    written = _writes(queries.captured_queries)
    refused = expected in REFUSALS or _sent_to_sign_in(response) or role in route.refused
    done = not refused and route.method in UNSAFE and expected < 400 and route.writes
    if refused:
        assert written == [], f"{where} was refused yet wrote: {written}"
    elif done:
        assert written, f"{where} answered {expected} and changed nothing"
    if route.move:
        status, history = route.move.read(world)
        if done:
            assert (status, history) == (route.move.to_status, before[1] + 1), (
                f"{where}: {status} with {history - before[1]} new history rows, "
                f"expected {route.move.to_status} with one"
            )
        else:
            assert (status, history) == before, f"{where} moved it to {status}"
    if route.done:
        added = route.done(world).count() - rows_before
        assert added == (1 if done else 0), f"{where} added {added} rows"
    if route.gone:
        removed = kept_before - route.gone(world).count()
        assert removed == (1 if done else 0), f"{where} deleted {removed} rows"
    text = _text(response)
    if response.status_code == 302 and not _sent_to_sign_in(response):
        # Done and refused both redirect: the page it leads to tells which.
        text += _text(client.get(response["Location"]))
    if route.says and done:
        assert route.says in text, f"{where} does not say {route.says!r}"
    if route.refusal and role in route.refused:
        assert route.refusal in text, f"{where} does not say {route.refusal!r}"
    if route.says and not done:
        assert route.says not in text, f"{where} was refused yet says {route.says!r}"
    for marker, roles in (route.shows(world) if route.shows else {}).items():
        if role in roles:
            assert marker in text, f"{where} does not show {marker!r}"
        else:
            assert marker not in text, f"{where} shows {marker!r}, not its to see"
    for secret, readers in world.private.items():
        assert role in readers or secret not in text, f"{where} shows another party's {secret!r}"
    # Whatever the answer, it carries the CSP and the Permissions-Policy, and a
    # page writes no script or style into itself.
    assert_page_policies(response, where=f"{route.method} {path} as {role}")
