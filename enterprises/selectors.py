"""Reads for enterprises: who may see which enterprise, and its IP portfolio.

Whether an asset is pledged is answered by its pledges: the financing app's
rows, reached through the relation `IPAsset.pledges` with this app's
`PledgeStatus`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from accounts.models import User
from accounts.selectors import regulator_jurisdiction
from core.models import IPKind
from enterprises.filters import IPAssetFilter
from enterprises.models import (
    Enterprise,
    EnterpriseMembership,
    EnterpriseVerificationChange,
    IPAppraisal,
    IPAsset,
    JoinRequest,
    PledgeStatus,
)
from parks.models import ParkMembership

if TYPE_CHECKING:
    from typing import TypeAlias, TypedDict

    from django_stubs_ext import WithAnnotations

    class Pledged(TypedDict):
        is_pledged: bool  # the asset stands in an active pledge

    class Membered(TypedDict):
        user_is_member: bool  # the reading user acts for the enterprise: may write

    class PledgedMembered(Pledged, Membered):
        pass

    # The rows the selectors answer, with the annotations they add.
    PledgedAsset: TypeAlias = WithAnnotations[IPAsset, Pledged]
    ReadableEnterprise: TypeAlias = WithAnnotations[Enterprise, Membered]
    ReadableAsset: TypeAlias = WithAnnotations[IPAsset, PledgedMembered]

ZERO = Decimal("0.00")


def enterprises_for(*, user: User | AnonymousUser) -> QuerySet[Enterprise]:
    """The enterprises the user acts for."""
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(memberships__user=user)


def is_enterprise_member(*, enterprise: Enterprise, user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return EnterpriseMembership.objects.filter(enterprise=enterprise, user=user).exists()


def actively_pledged() -> Exists:
    """Whether the outer query's asset stands in an active pledge."""
    return Exists(IPAsset.objects.filter(pk=OuterRef("pk"), pledges__status=PledgeStatus.ACTIVE))


def _is_member(user: User | AnonymousUser, *, enterprise: str) -> Exists:
    """Whether `user` acts for the enterprise the outer query's `enterprise` field names."""
    member = user if isinstance(user, User) else None
    return Exists(EnterpriseMembership.objects.filter(enterprise=OuterRef(enterprise), user=member))


def _readable(*, province_id: str, is_member: bool, user: User | AnonymousUser) -> bool:
    """Members read and write; regulators read within their jurisdiction."""
    if is_member:
        return True
    jurisdiction = regulator_jurisdiction(user=user)
    return jurisdiction is not None and jurisdiction.covers(province_id)


def enterprise_profile(*, enterprise_id: int, user: User | AnonymousUser) -> ReadableEnterprise:
    """The enterprise, for its members and for regulators whose jurisdiction
    covers its province; Http404 for everyone else, so nobody learns which ids
    exist. `user_is_member` tells the caller whether the user may write."""
    enterprise = (
        Enterprise.objects.select_related("province", "park", "industry")
        .annotate(user_is_member=_is_member(user, enterprise="pk"))
        .filter(pk=enterprise_id)
        .first()
    )
    if enterprise is None or not _readable(
        province_id=enterprise.province_id, is_member=enterprise.user_is_member, user=user
    ):
        raise Http404
    return enterprise


def _assets() -> QuerySet[PledgedAsset]:
    return IPAsset.objects.select_related("kind").annotate(is_pledged=actively_pledged())


def ip_assets_for(
    *, enterprise: Enterprise, filters: Mapping[str, Any] | None = None
) -> QuerySet[PledgedAsset]:
    """The enterprise's IP assets, each with `is_pledged` (it stands in an
    active pledge), filtered by `IPAssetFilter`. Values the filter form
    rejects are left out, as django-filter does; a page shows the form's
    errors, the API's filter backend answers 400."""
    assets = _assets().filter(enterprise=enterprise).order_by("kind__sort", "number")
    if filters is None:
        return assets
    filtered: QuerySet[PledgedAsset] = IPAssetFilter(filters, queryset=assets).qs
    return filtered


def ip_asset_for(*, asset_id: int, user: User | AnonymousUser) -> ReadableAsset:
    """One asset, with `is_pledged` and `user_is_member`, for the same
    readers as its enterprise's profile; Http404 for everyone else."""
    asset = (
        _assets()
        .select_related("enterprise")
        .annotate(user_is_member=_is_member(user, enterprise="enterprise_id"))
        .filter(pk=asset_id)
        .first()
    )
    if asset is None or not _readable(
        province_id=asset.enterprise.province_id, is_member=asset.user_is_member, user=user
    ):
        raise Http404
    return asset


def member_ip_asset(*, asset_id: int, user: User | AnonymousUser) -> PledgedAsset:
    """One asset of an enterprise the user acts for (the workspace pages);
    Http404 for any other asset."""
    asset = (
        _assets()
        .select_related("enterprise")
        .filter(pk=asset_id, enterprise__in=enterprises_for(user=user))
        .first()
    )
    if asset is None:
        raise Http404
    return asset


def appraisals_for(*, asset: IPAsset) -> QuerySet[IPAppraisal]:
    """The asset's appraisals, newest first."""
    return IPAppraisal.objects.filter(asset=asset).select_related("recorded_by")


@dataclass(frozen=True)
class KindCount:
    kind: IPKind
    count: int


@dataclass(frozen=True)
class PortfolioSummary:
    total: int
    pledged: int
    appraised: int
    appraised_value: Decimal
    by_kind: list[KindCount]


def portfolio_summary(*, enterprise: Enterprise) -> PortfolioSummary:
    """Counts and the total of the latest appraisals, in two queries however
    large the portfolio."""
    kinds = list(IPKind.objects.all())
    per_kind = {kind.code: Count("pk", filter=Q(kind_id=kind.code)) for kind in kinds}
    totals = (
        _assets()
        .filter(enterprise=enterprise)
        .aggregate(
            total=Count("pk"),
            pledged=Count("pk", filter=Q(is_pledged=True)),
            appraised=Count("appraised_value"),
            appraised_value=Sum("appraised_value"),
            **per_kind,
        )
    )
    return PortfolioSummary(
        total=totals["total"],
        pledged=totals["pledged"],
        appraised=totals["appraised"],
        appraised_value=totals["appraised_value"] or ZERO,
        by_kind=[KindCount(kind=kind, count=totals[kind.code]) for kind in kinds],
    )


# --------------------------------------------------------------------------- joining


def is_enterprise_admin(*, enterprise: Enterprise, user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return EnterpriseMembership.objects.filter(
        enterprise=enterprise, user=user, role=EnterpriseMembership.Role.ADMIN
    ).exists()


def enterprise_by_credit_code(*, credit_code: str) -> Enterprise | None:
    return (
        Enterprise.objects.select_related("province", "park")
        .annotate(member_count=Count("memberships"))
        .filter(credit_code=credit_code.strip().upper())
        .first()
    )


def enterprise_admins(*, enterprise: Enterprise) -> QuerySet[User]:
    return User.objects.filter(
        enterprise_memberships__enterprise=enterprise,
        enterprise_memberships__role=EnterpriseMembership.Role.ADMIN,
    )


def _join_requests() -> QuerySet[JoinRequest]:
    return JoinRequest.objects.select_related("enterprise", "user")


def join_requests_to_decide(*, user: User | AnonymousUser) -> QuerySet[JoinRequest]:
    """The pending requests to join the enterprises the user administers."""
    if not user.is_authenticated:
        return JoinRequest.objects.none()
    return _join_requests().filter(
        status=JoinRequest.Status.PENDING,
        enterprise__memberships__user=user,
        enterprise__memberships__role=EnterpriseMembership.Role.ADMIN,
    )


def join_requests_of(*, user: User | AnonymousUser) -> QuerySet[JoinRequest]:
    """The user's own requests, newest first."""
    if not user.is_authenticated:
        return JoinRequest.objects.none()
    return _join_requests().filter(user=user)


def join_requests_visible(*, user: User | AnonymousUser) -> QuerySet[JoinRequest]:
    """Every request the user may read: their own and those to the
    enterprises they administer, whatever their status."""
    if not user.is_authenticated:
        return JoinRequest.objects.none()
    administered = EnterpriseMembership.objects.filter(
        user=user, role=EnterpriseMembership.Role.ADMIN
    ).values("enterprise_id")
    return _join_requests().filter(Q(user=user) | Q(enterprise_id__in=administered))


def join_request_for(*, pk: int, user: User | AnonymousUser) -> JoinRequest:
    """One request, for its author and the enterprise's admins; Http404 otherwise."""
    join_request = join_requests_visible(user=user).filter(pk=pk).first()
    if join_request is None:
        raise Http404
    return join_request


def join_request_sides(*, join_request: JoinRequest, user: User | AnonymousUser) -> set[str]:
    sides = set()
    if user.is_authenticated and join_request.user_id == user.pk:
        sides.add("requester")
    if is_enterprise_admin(enterprise=join_request.enterprise, user=user):
        sides.add("admin")
    return sides


# --------------------------------------------------------------------------- verification

UNVERIFIED = (Enterprise.Verification.AWAITING, Enterprise.Verification.RESUBMITTED)


def _managed_park_ids(user: User | AnonymousUser) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(ParkMembership.objects.filter(user=user).values_list("park_id", flat=True))


def _verifiable(user: User | AnonymousUser) -> Q | None:
    """Which enterprises the user may verify: those in a park they manage and,
    for a regulator, those in its jurisdiction. None when the user verifies none."""
    parks = _managed_park_ids(user)
    jurisdiction = regulator_jurisdiction(user=user)
    if not parks and jurisdiction is None:
        return None
    where = Q(park_id__in=parks) if parks else Q(pk__in=[])
    if jurisdiction is not None:
        where |= Q() if jurisdiction.national else Q(province_id__in=jurisdiction.provinces)
    return where


def is_verifier(*, user: User | AnonymousUser) -> bool:
    """A park manager or a regulator: someone with a verification queue."""
    return _verifiable(user) is not None


def can_verify(*, enterprise: Enterprise, user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if enterprise.park_id is not None and enterprise.park_id in _managed_park_ids(user):
        return True
    jurisdiction = regulator_jurisdiction(user=user)
    return jurisdiction is not None and jurisdiction.covers(enterprise.province_id)


def verification_sides(*, enterprise: Enterprise, user: User | AnonymousUser) -> set[str]:
    sides = set()
    if can_verify(enterprise=enterprise, user=user):
        sides.add("verifier")
    if is_enterprise_admin(enterprise=enterprise, user=user):
        sides.add("enterprise")
    elif user.is_authenticated and not enterprise.memberships.exists():
        sides.add("claimant")
    return sides


def verification_queue(*, user: User | AnonymousUser) -> QuerySet[Enterprise]:
    """The enterprises waiting for the user to verify them, oldest first."""
    where = _verifiable(user)
    if where is None:
        return Enterprise.objects.none()
    return (
        Enterprise.objects.select_related("province", "park", "industry")
        .filter(where, verification_status__in=UNVERIFIED)
        .order_by("updated_at", "pk")
    )


def enterprise_under_verification(*, pk: int, user: User | AnonymousUser) -> Enterprise:
    """An enterprise as its verifiers and its members see it on the
    verification page (with its licence); Http404 for everyone else."""
    enterprise = (
        Enterprise.objects.select_related("province", "park", "industry").filter(pk=pk).first()
    )
    if enterprise is None or not (
        can_verify(enterprise=enterprise, user=user)
        or is_enterprise_member(enterprise=enterprise, user=user)
    ):
        raise Http404
    return enterprise


def verification_history(*, enterprise: Enterprise) -> QuerySet[EnterpriseVerificationChange]:
    return EnterpriseVerificationChange.objects.filter(enterprise=enterprise).select_related(
        "actor"
    )
