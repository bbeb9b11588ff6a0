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
    IPAppraisal,
    IPAsset,
    PledgeStatus,
)

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
    return Exists(
        IPAsset.objects.filter(pk=OuterRef("pk"), pledges__status=PledgeStatus.ACTIVE)
    )


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
