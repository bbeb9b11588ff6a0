"""Rows into the arrays `matching.engine` works on, and the caches that keep
the catalogue and the discoverable enterprises between requests.

A cache is kept per process and checked on every use against a version read
from the database in one cheap aggregate (row counts and the latest changes),
so a product published or withdrawn, or an asset appraised or pledged, shows
at once. Published products cannot be edited in place (they are withdrawn
first), so their terms only change with their status."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypeVar, cast

import numpy as np
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet, Sum

from core.models import Province
from enterprises.models import Enterprise, IPAsset, PledgeStatus
from enterprises.selectors import actively_pledged
from matching.engine import KINDS, NONE, EnterpriseArrays, ProductArrays
from products.models import Product

KIND_INDEX = {code: n for n, code in enumerate(KINDS)}
_lock = threading.Lock()
# key → (version, value); each key always holds the same kind of value.
_cached: dict[str, tuple[object, Any]] = {}
T = TypeVar("T")


def cents(amount: Decimal | None) -> int:
    return NONE if amount is None else int(amount * 100)


def hundredths(value: Decimal | None) -> int:
    return NONE if value is None else int(value * 100)


def yuan_of(value: int) -> Decimal:
    return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))


def province_index() -> dict[str, int]:
    """GB/T 2260 code → bit position. The 34 provinces are reference data."""

    def build() -> dict[str, int]:
        codes = sorted(Province.objects.values_list("code", flat=True))
        return {code: n for n, code in enumerate(codes)}

    return remember("provinces", version=None, build=build)


def remember(key: str, *, version: object, build: Callable[[], T]) -> T:
    seen = _cached.get(key)
    if seen is not None and seen[0] == version and (version is not None or seen[1]):
        return cast(T, seen[1])
    value = build()
    with _lock:
        _cached[key] = (version, value)
    return value


def forget() -> None:
    """Drop the caches (tests that rebuild the database)."""
    with _lock:
        _cached.clear()


# --- products ---------------------------------------------------------------


def product_arrays(queryset: QuerySet[Product]) -> ProductArrays:
    rows = list(
        queryset.order_by("pk").values_list(
            "pk",
            "institution_id",
            "amount_min",
            "amount_max",
            "rate_min",
            "rate_max",
            "term_min_months",
            "term_max_months",
            "max_pledge_ratio",
        )
    )
    position = {row[0]: n for n, row in enumerate(rows)}
    accepted = np.zeros((len(rows), len(KINDS)), dtype=np.int64)
    served = np.zeros(len(rows), dtype=np.int64)
    nationwide = np.ones(len(rows), dtype=bool)
    provinces = province_index()
    ids = [row[0] for row in rows]
    kinds = Product.accepted_ip_kinds.through.objects
    for product_id, kind_id in kinds.filter(product_id__in=queryset.values("pk")).values_list(
        "product_id", "ipkind_id"
    ):
        if product_id in position:
            accepted[position[product_id], KIND_INDEX[kind_id]] = 1
    served_in = Product.provinces_served.through.objects
    for product_id, province_id in served_in.filter(
        product_id__in=queryset.values("pk")
    ).values_list("product_id", "province_id"):
        if product_id in position:
            n = position[product_id]
            nationwide[n] = False
            served[n] |= 1 << provinces[province_id]
    column = lambda i, convert=int: np.array(  # noqa: E731
        [convert(row[i]) for row in rows], dtype=np.int64
    )
    return ProductArrays(
        ids=np.array(ids, dtype=np.int64),
        institution_ids=column(1),
        amount_min=column(2, cents),
        amount_max=column(3, cents),
        rate_min=column(4, hundredths),
        rate_max=column(5, hundredths),
        term_min=column(6),
        term_max=column(7),
        ratio=column(8, hundredths),
        nationwide=nationwide,
        served=served,
        accepted=accepted,
    )


def _published() -> QuerySet[Product]:
    return Product.objects.filter(status=Product.Status.PUBLISHED)


def catalogue() -> ProductArrays:
    """Every published product, from the cache while nothing was published or withdrawn."""
    version = _published().aggregate(
        n=Count("pk"), changed=Max("updated_at"), published=Max("published_at")
    )
    return remember(
        "catalogue",
        version=(connection.alias, tuple(version.values())),
        build=lambda: product_arrays(_published()),
    )


# --- enterprises ------------------------------------------------------------


def unpledged_assets() -> QuerySet[IPAsset]:
    """Assets an enterprise may still pledge: valid, not in an active pledge."""
    return IPAsset.objects.filter(legal_status=IPAsset.LegalStatus.VALID).exclude(
        actively_pledged()
    )


def enterprise_arrays(
    rows: Iterable[tuple[int, str, Decimal | None, int | None]],
    *,
    assets: QuerySet[IPAsset] | None = None,
) -> EnterpriseArrays:
    """`rows` are (enterprise id, province code, need amount, need term);
    `assets` the assets to count (default: those of these enterprises)."""
    rows = list(rows)
    provinces = province_index()
    position = {row[0]: n for n, row in enumerate(rows)}
    values = np.zeros((len(rows), len(KINDS)), dtype=np.int64)
    counts = np.zeros((len(rows), len(KINDS)), dtype=np.int64)
    if assets is None:
        assets = unpledged_assets().filter(enterprise_id__in=list(position))
    per_kind = (
        assets.order_by()
        .values_list("enterprise_id", "kind_id")
        .annotate(n=Count("pk"), value=Sum("appraised_value"))
    )
    for enterprise_id, kind_id, n, value in per_kind:
        if enterprise_id in position:
            counts[position[enterprise_id], KIND_INDEX[kind_id]] = n
            values[position[enterprise_id], KIND_INDEX[kind_id]] = cents(value or Decimal(0))
    return EnterpriseArrays(
        ids=np.array([row[0] for row in rows], dtype=np.int64),
        province=np.array([provinces[row[1]] for row in rows], dtype=np.int64),
        need_amount=np.array([cents(row[2]) for row in rows], dtype=np.int64),
        need_term=np.array([NONE if row[3] is None else row[3] for row in rows], dtype=np.int64),
        values=values,
        counts=counts,
    )


def enterprise_profile(
    *, enterprise: Enterprise, amount: Decimal | None, term: int | None
) -> EnterpriseArrays:
    """One enterprise, with the need it asks about, read fresh."""
    return enterprise_arrays([(enterprise.pk, enterprise.province_id, amount, term)])


def _discoverable() -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(discoverable=True, need_amount__isnull=False)


def discoverable_enterprises() -> EnterpriseArrays:
    """Every enterprise open to leads that stated a need, from the cache while
    no enterprise, asset or pledge changed."""
    enterprises = _discoverable().aggregate(n=Count("pk"), changed=Max("updated_at"))
    assets = IPAsset.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    pledges = IPAsset.objects.filter(pledges__isnull=False).aggregate(
        active=Count("pledges", filter=Q(pledges__status=PledgeStatus.ACTIVE)),
        activated=Max("pledges__activated_at"),
        released=Max("pledges__released_at"),
    )
    version = (
        connection.alias,
        tuple(enterprises.values()),
        tuple(assets.values()),
        tuple(pledges.values()),
    )

    def build() -> EnterpriseArrays:
        rows = (
            _discoverable()
            .order_by("pk")
            .values_list("pk", "province_id", "need_amount", "need_term_months")
        )
        return enterprise_arrays(
            rows, assets=unpledged_assets().filter(enterprise__in=_discoverable())
        )

    return remember("discoverable", version=version, build=build)
