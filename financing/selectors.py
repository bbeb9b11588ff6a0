"""Reads for the application workflow, each scoped to the user asking.

Who sees an application (docs/permissions.md): the members of its enterprise; once it
is submitted, the members of the product's institution; and, read only, the
regulators whose jurisdiction covers the enterprise's province."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.functional import cached_property

from accounts.models import OfficeMembership, User
from accounts.selectors import regulator_jurisdiction
from core.cache import cached_count
from enterprises.models import Enterprise, EnterpriseMembership, IPAsset
from events.access import ORGANISER, can_organise
from financing.filters import ApplicationFilter
from financing.models import (
    OPEN_STATUSES,
    Actor,
    Application,
    ApplicationDocument,
    ApplicationStatusChange,
    Contract,
    Pledge,
)
from products.models import InstitutionMembership, Product
from products.selectors import institution_ids_for

if TYPE_CHECKING:
    from typing import TypeAlias, TypedDict

    from django_stubs_ext import WithAnnotations

    class LendsUpTo(TypedDict):
        lends_up_to: Decimal  # the appraised value × the product's pledge ratio

    # The assets eligible_assets answers, with what each may secure.
    EligibleAsset: TypeAlias = WithAnnotations[IPAsset, LendsUpTo]

_S = Application.Status
HUNDRED = Decimal("100")
CENT = Decimal("0.01")

# Pledges that still stand behind the loan (proposed before registration,
# active after it); dropped and released ones no longer count.
STANDING_PLEDGES = (Pledge.Status.PROPOSED, Pledge.Status.ACTIVE)


def open_applications_to(*, product: Product) -> QuerySet[Application]:
    """The product's applications still in progress, drafts included."""
    return (
        Application.objects.filter(product=product, status__in=OPEN_STATUSES)
        .select_related("enterprise", "product__institution")
        .order_by("pk")
    )


def _enterprise_ids(user: User) -> QuerySet[EnterpriseMembership, int]:
    return EnterpriseMembership.objects.filter(user=user).values_list("enterprise_id", flat=True)


def _institution_ids(user: User) -> QuerySet[InstitutionMembership, int]:
    return InstitutionMembership.objects.filter(user=user).values_list("institution_id", flat=True)


# A draft is the enterprise's own until it is submitted, also when it is
# withdrawn before that: banks and regulators never see it. Submitting stamps
# submitted_at, so "submitted at some point" is that stamp being set.
SUBMITTED = Q(submitted_at__isnull=False)


def _for_lists(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related("enterprise__province", "product__institution")


# What a list row shows of an application, read as plain values: building
# model objects and nested serializers costs more than the SQL.
APPLICATION_LIST_COLUMNS = (
    "id",
    "status",
    "enterprise_id",
    "enterprise__name_zh",
    "enterprise__name_en",
    "enterprise__province_id",
    "product__code",
    "product__name_zh",
    "product__name_en",
    "product__institution_id",
    "product__institution__name_zh",
    "product__institution__name_en",
    "amount_requested",
    "term_months",
    "amount_approved",
    "submitted_at",
    "decided_at",
    "created_at",
)


def application_rows(
    *, applications: QuerySet[Application]
) -> QuerySet[Application, dict[str, Any]]:
    """The applications as dicts of APPLICATION_LIST_COLUMNS, in the queryset's order."""
    rows: QuerySet[Application, dict[str, Any]] = applications.values(*APPLICATION_LIST_COLUMNS)
    return rows


# List counts are cached under this version (core.cache); the services move it
# on after every commit that creates or moves an application, so a count is
# exact once the write is committed. Rows are always read fresh. A count whose
# filters reach outside the applications (an enterprise's name, the reader's
# memberships) may lag a change there by LIST_COUNT_SECONDS at most.
APPLICATIONS_VERSION_KEY = "financing:applications-version"
LIST_COUNT_SECONDS = 30


def application_count(*, applications: QuerySet[Application], key: str | None = None) -> int:
    """How many applications the queryset holds, cached (see core.cache.cached_count)
    under `key` or a digest of its SQL: walking a bank's queue index to count it
    costs more than the page itself at tens of thousands of rows."""
    return cached_count(
        applications.select_related(None),
        version_key=APPLICATIONS_VERSION_KEY,
        timeout=LIST_COUNT_SECONDS,
        key=key,
    )


class ApplicationRows:
    """A list of applications as a paginator pages it: counted on the
    applications themselves (a count over the rows' joins would visit every
    joined row) and sliced as dicts of APPLICATION_LIST_COLUMNS."""

    def __init__(self, applications: QuerySet[Application]) -> None:
        self._applications = applications

    @property
    def applications(self) -> QuerySet[Application]:
        return self._applications

    def count(self) -> int:
        return application_count(applications=self.applications)

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return list(application_rows(applications=self.applications)[index])


# One page of a queue, as application_rows reads it from application_queue.
# Each institution's newest applications come from its own walk of the queue
# index, merged: with an IN list of two or more institutions the database
# would read and sort every application of theirs instead. The institution
# comes through the product, as in the ORM's rows.
QUEUE_NEWEST_SQL = """(
    SELECT id, created_at FROM financing_application
    WHERE submitted_at IS NOT NULL AND institution_id = %s
    ORDER BY created_at DESC, id DESC LIMIT %s
)"""
QUEUE_PAGE_SQL = """
WITH page AS (
    SELECT id, created_at FROM (
    {newest}
    ) AS newest
    ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s
)
SELECT a.id, a.status,
       a.enterprise_id, e.name_zh, e.name_en, e.province_id,
       p.code, p.name_zh, p.name_en,
       p.institution_id, i.name_zh, i.name_en,
       a.amount_requested, a.term_months, a.amount_approved,
       a.submitted_at, a.decided_at, a.created_at
FROM page
JOIN financing_application a ON a.id = page.id
JOIN enterprises_enterprise e ON e.id = a.enterprise_id
JOIN products_product p ON p.id = a.product_id
JOIN products_institution i ON i.id = p.institution_id
ORDER BY a.created_at DESC, a.id DESC
"""


class QueueRows(ApplicationRows):
    """The whole queue of some institutions (no filters), newest first: the
    list banks open most. On PostgreSQL a page is one hand-written statement:
    building and compiling the ORM's query for it costs more CPU than running
    it (`make bench-api`). Elsewhere, and for any filter, the ORM reads it."""

    def __init__(self, institution_ids: Iterable[int]) -> None:
        self.institution_ids = sorted(set(institution_ids))

    @cached_property
    def applications(self) -> QuerySet[Application]:
        # Built only when asked for: a page read by the statement needs none.
        return Application.objects.filter(SUBMITTED, institution_id__in=self.institution_ids)

    def count(self) -> int:
        key = "queue:" + ",".join(map(str, self.institution_ids))
        return application_count(applications=self.applications, key=key)

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        if connection.vendor != "postgresql" or not self.institution_ids:
            return super().__getitem__(index)
        start = index.start or 0
        newest = "\n    UNION ALL ".join([QUEUE_NEWEST_SQL] * len(self.institution_ids))
        params: list[int] = []
        for institution_id in self.institution_ids:
            params += [institution_id, index.stop]  # no page can reach further down
        with connection.cursor() as cursor:
            cursor.execute(
                QUEUE_PAGE_SQL.format(newest=newest), [*params, index.stop - start, start]
            )
            return [dict(zip(APPLICATION_LIST_COLUMNS, row, strict=True)) for row in cursor]


def _filtered(
    queryset: QuerySet[Application], filters: Mapping[str, Any] | None
) -> QuerySet[Application]:
    """Apply the app's FilterSet; values that don't parse are left out (the
    page shows the filter form's messages, the API answers 400 before this)."""
    if not filters:
        return queryset
    filtered: QuerySet[Application] = ApplicationFilter(data=filters, queryset=queryset).qs
    return filtered


def applications_for_enterprise(
    *, user: User | AnonymousUser, filters: Mapping[str, Any] | None = None
) -> QuerySet[Application]:
    """The applications of the enterprises the user acts for."""
    if not user.is_authenticated:
        return Application.objects.none()
    queryset = Application.objects.filter(enterprise_id__in=_enterprise_ids(user))
    return _filtered(_for_lists(queryset), filters)


def application_queue(
    *, user: User | AnonymousUser, filters: Mapping[str, Any] | None = None
) -> QuerySet[Application]:
    """The submitted applications to the products of the user's institutions."""
    if not user.is_authenticated:
        return Application.objects.none()
    queryset = Application.objects.filter(
        # The ids as values, not a subquery: with one institution the database
        # walks the queue index newest first and stops after a page.
        SUBMITTED,
        institution_id__in=sorted(institution_ids_for(user=user)),
    )
    return _filtered(_for_lists(queryset), filters)


def applications_in_jurisdiction(
    *, user: User | AnonymousUser, filters: Mapping[str, Any] | None = None
) -> QuerySet[Application]:
    """For regulators: the submitted applications of enterprises in their provinces."""
    jurisdiction = regulator_jurisdiction(user=user)
    if jurisdiction is None:
        return Application.objects.none()
    queryset = Application.objects.filter(SUBMITTED)
    if not jurisdiction.national:
        queryset = queryset.filter(enterprise__province_id__in=jurisdiction.provinces)
    return _filtered(_for_lists(queryset), filters)


SIDES = ("enterprise", "institution", "regulator")


def user_sides(*, user: User | AnonymousUser) -> list[str]:
    """The sides the user may list applications from, in the order they are
    offered when none is asked for."""
    if not user.is_authenticated:
        return []
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            is_enterprise=Exists(EnterpriseMembership.objects.filter(user=OuterRef("pk"))),
            is_institution=Exists(InstitutionMembership.objects.filter(user=OuterRef("pk"))),
            is_regulator=Exists(OfficeMembership.objects.filter(user=OuterRef("pk"))),
        )
        .values_list("is_enterprise", "is_institution", "is_regulator")
        .first()
    )
    return [side for side, member in zip(SIDES, row or (), strict=False) if member]


def _chosen_side(user: User | AnonymousUser, side: str | None) -> str | None:
    if side is None:
        sides = user_sides(user=user)
        return sides[0] if sides else None
    return side if side in SIDES else None


def applications_for(
    *, user: User | AnonymousUser, side: str | None = None, filters: Mapping[str, Any] | None = None
) -> QuerySet[Application]:
    """The user's applications from one side: the side asked for, or else the
    first the user acts for (enterprise, institution, regulator). Each side's
    selector finds nothing for those who do not act for it."""
    chosen = _chosen_side(user, side)
    if chosen is None:
        return Application.objects.none()
    if chosen == "enterprise":
        return applications_for_enterprise(user=user, filters=filters)
    if chosen == "institution":
        return application_queue(user=user, filters=filters)
    return applications_in_jurisdiction(user=user, filters=filters)


def application_list_rows(
    *, user: User | AnonymousUser, side: str | None = None
) -> ApplicationRows:
    """The rows of `applications_for` without filters, for a list to page
    through; an institution's queue is read as QueueRows."""
    chosen = _chosen_side(user, side) if user.is_authenticated else None
    if chosen == "institution":
        return QueueRows(institution_ids_for(user=user))
    return ApplicationRows(applications_for(user=user, side=chosen))


def _visible_to(user: User | AnonymousUser) -> QuerySet[Application]:
    if not user.is_authenticated:
        return Application.objects.none()
    visible = Q(enterprise_id__in=_enterprise_ids(user))
    visible |= SUBMITTED & Q(institution_id__in=_institution_ids(user))
    jurisdiction = regulator_jurisdiction(user=user)
    if jurisdiction is not None:
        if jurisdiction.national:
            visible |= SUBMITTED
        else:
            visible |= SUBMITTED & Q(enterprise__province_id__in=jurisdiction.provinces)
    return Application.objects.filter(visible)


def application_detail(*, pk: int, user: User | AnonymousUser) -> Application:
    """One application with everything its page shows, or Http404 when the
    user may not see it (their existence is not told to outsiders)."""
    application = (
        _visible_to(user)
        .select_related(
            "enterprise__province",
            "enterprise__industry",
            "enterprise__park",
            "product__institution",
            "source_registration__event",
            "created_by",
            "contract",
        )
        .prefetch_related(
            Prefetch("pledges", queryset=Pledge.objects.select_related("asset__kind")),
            Prefetch("history", queryset=ApplicationStatusChange.objects.select_related("actor")),
        )
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404("No such application.")
    return application


def application_sides(*, application: Application, user: User | AnonymousUser) -> set[str]:
    """The sides of this application the user acts for: its enterprise, the
    institution behind its product, both or neither."""
    if not user.is_authenticated:
        return set()
    sides = set()
    if EnterpriseMembership.objects.filter(
        user=user, enterprise_id=application.enterprise_id
    ).exists():
        sides.add(Actor.ENTERPRISE.value)
    if InstitutionMembership.objects.filter(
        user=user, institution_id=application.product.institution_id
    ).exists():
        sides.add(Actor.INSTITUTION.value)
    return sides


def contract_sides(*, contract: Contract, user: User | AnonymousUser) -> set[str]:
    """Who may void a contract signed at an event: the event's organisers and
    the officers of the institution that signed it."""
    if not user.is_authenticated or contract.event_id is None:
        return set()
    sides = set()
    if contract.event is not None and can_organise(user=user, event=contract.event):
        sides.add(ORGANISER)
    if InstitutionMembership.objects.filter(
        user=user, institution_id=contract.institution_id
    ).exists():
        sides.add(Actor.INSTITUTION.value)
    return sides


def _ratio_of(value: Decimal, ratio: Decimal) -> Decimal:
    return (value * ratio / HUNDRED).quantize(CENT, rounding=ROUND_DOWN)


def pledge_capacity(*, application: Application) -> Decimal:
    """Σ appraised value of the standing pledges × the product's maximum pledge
    ratio. The value is the one recorded when pledged (the asset's latest
    appraisal if none was)."""
    cache = getattr(application, "_prefetched_objects_cache", {})
    if "pledges" in cache:
        total = sum(
            (
                pledge.value_at_pledge
                if pledge.value_at_pledge is not None
                else (pledge.asset.appraised_value or Decimal("0"))
                for pledge in cache["pledges"]
                if pledge.status in STANDING_PLEDGES
            ),
            Decimal("0"),
        )
    else:
        total = application.pledges.filter(status__in=STANDING_PLEDGES).aggregate(
            total=Sum(Coalesce("value_at_pledge", "asset__appraised_value"))
        )["total"] or Decimal("0")
    return _ratio_of(total, application.product.max_pledge_ratio)


def eligible_assets(*, enterprise_id: int, product: Product) -> QuerySet[EligibleAsset]:
    """The enterprise's assets it may pledge to the product: valid, appraised,
    of a kind the product accepts, and not standing in an active pledge. Each
    with `lends_up_to`, its appraised value × the product's pledge ratio."""
    active = Pledge.objects.filter(asset=OuterRef("pk"), status=Pledge.Status.ACTIVE)
    lends_up_to = ExpressionWrapper(
        F("appraised_value") * Value(product.max_pledge_ratio) / Value(HUNDRED),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )
    return (
        IPAsset.objects.filter(
            enterprise_id=enterprise_id,
            legal_status=IPAsset.LegalStatus.VALID,
            appraised_value__gt=0,
            kind__in=product.accepted_ip_kinds.values("pk"),
        )
        .exclude(Exists(active))
        .annotate(lends_up_to=lends_up_to)
        .select_related("kind")
        .order_by("-appraised_value", "number")
    )


# --- the enterprise behind an application, as its bank reads it --------------

# How an application submitted elsewhere ended, or where it stands: the only
# thing a bank learns of the enterprise's dealings with other institutions.
OUTCOMES: dict[str, tuple[str, ...]] = {
    "in_progress": (_S.SUBMITTED, _S.UNDER_REVIEW, _S.INFO_REQUESTED),
    "approved": (_S.APPROVED,),
    "contracted": (_S.CONTRACT_SIGNED, _S.PLEDGE_REGISTERED, _S.DISBURSED, _S.CLOSED),
    "rejected": (_S.REJECTED,),
    "withdrawn": (_S.WITHDRAWN,),
}


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has fewer)."""
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))


@dataclass(frozen=True)
class PledgedAsset:
    pledge: Pledge
    asset: IPAsset
    expires_within_term: bool  # the right ends before a loan of the term asked would


@dataclass(frozen=True)
class Elsewhere:
    """The enterprise's submitted applications to other institutions, counted
    by outcome, and its loan contracts with them in total: no institution, no
    product, no single amount."""

    in_progress: int
    approved: int
    contracted: int
    rejected: int
    withdrawn: int
    contracts: int
    contracted_amount: Decimal

    @property
    def applications(self) -> int:
        return self.in_progress + self.approved + self.contracted + self.rejected + self.withdrawn


@dataclass(frozen=True)
class CompanyFile:
    """What the institution reviewing an application reads of the enterprise:
    its registration, the pledged assets' latest appraisals and expiry, its
    other applications and contracts with this institution in full, and only
    counts of its dealings with the rest of the portal."""

    enterprise: Enterprise
    assets: list[PledgedAsset]
    applications: list[Application]  # to the same institution, this one left out
    contracts: list[Contract]  # with the same institution
    elsewhere: Elsewhere


def company_file(*, application: Application, today: dt.date) -> CompanyFile:
    """For an application `application_detail` read (its enterprise, pledges
    and assets already at hand): four more queries, however long the story."""
    enterprise = application.enterprise
    institution_id = application.product.institution_id
    loan_end = months_after(today, application.term_months)
    assets = [
        PledgedAsset(
            pledge=pledge,
            asset=pledge.asset,
            expires_within_term=(
                pledge.asset.expires_on is not None and pledge.asset.expires_on < loan_end
            ),
        )
        for pledge in application.pledges.all()
    ]
    theirs = Application.objects.filter(SUBMITTED, enterprise_id=enterprise.pk)
    applications = list(
        theirs.filter(institution_id=institution_id)
        .exclude(pk=application.pk)
        .select_related("product", "contract")
        .order_by("-submitted_at", "-pk")
    )
    contracts = list(
        Contract.objects.filter(enterprise_id=enterprise.pk, institution_id=institution_id)
        .select_related("product")
        .order_by("-signed_on", "-pk")
    )
    counts = theirs.exclude(institution_id=institution_id).aggregate(
        **{name: Count("pk", filter=Q(status__in=statuses)) for name, statuses in OUTCOMES.items()}
    )
    signed = (
        Contract.objects.filter(
            enterprise_id=enterprise.pk,
            kind=Contract.Kind.LOAN,
            status=Contract.Status.SIGNED,
        )
        .exclude(institution_id=institution_id)
        .aggregate(contracts=Count("pk"), contracted_amount=Sum("amount"))
    )
    return CompanyFile(
        enterprise=enterprise,
        assets=assets,
        applications=applications,
        contracts=contracts,
        elsewhere=Elsewhere(
            **counts,
            contracts=signed["contracts"],
            contracted_amount=signed["contracted_amount"] or Decimal("0"),
        ),
    )


# --- the documents sent with an application


def _document_readers(user: User | AnonymousUser) -> Q:
    """The applications whose documents the user may read: its enterprise's
    members, and the officers of its institution once it is submitted.
    Regulators read the application, not the files."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(application__enterprise_id__in=_enterprise_ids(user)) | (
        Q(application__submitted_at__isnull=False)
        & Q(application__institution_id__in=_institution_ids(user))
    )


def application_documents(
    *, application: Application, user: User | AnonymousUser
) -> list[ApplicationDocument]:
    """The documents of the application the user may read, oldest first:
    none for a reader who acts for neither side."""
    if not user.is_authenticated:
        return []
    return list(
        ApplicationDocument.objects.filter(_document_readers(user), application=application)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "pk")
    )


def application_document(
    *, application_pk: int, pk: int, user: User | AnonymousUser
) -> ApplicationDocument:
    """One document for its download, or Http404 for anyone but the
    application's enterprise and institution (its existence is not told)."""
    document = (
        ApplicationDocument.objects.filter(
            _document_readers(user), application_id=application_pk, pk=pk
        )
        .only("pk", "application_id", "file", "original_name", "size", "content_type")
        .first()
    )
    if document is None:
        raise Http404("No such document.")
    return document
