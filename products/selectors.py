"""Reads for institutions and products.

The public catalogue (its lists, a product's page, the comparison and the
institutions) reads the read replica when the request allows it
(core.db.reading); what institutions manage reads "default"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, overload

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from core.cache import cache_version, cached_count
from core.db import reading
from products.filters import ProductFilter
from products.models import Institution, Product, ProductStatusChange

MAX_COMPARED = 4


def institutions_for(*, user: User | AnonymousUser) -> QuerySet[Institution]:
    """The institutions the user acts for."""
    if not user.is_authenticated:
        return Institution.objects.none()
    return Institution.objects.filter(memberships__user=user)


def institution_ids_for(*, user: User | AnonymousUser) -> set[int]:
    return set(institutions_for(user=user).values_list("pk", flat=True))


def institution_list() -> QuerySet[Institution]:
    return Institution.objects.using(reading()).select_related("province").order_by("name_zh", "pk")


def _with_related(queryset: QuerySet[Product]) -> QuerySet[Product]:
    return queryset.select_related("institution__province").prefetch_related(
        "accepted_ip_kinds", "provinces_served", "target_industries"
    )


def published_products() -> QuerySet[Product]:
    """Every published product with what a listing shows of it."""
    return _with_related(Product.objects.using(reading()).filter(status=Product.Status.PUBLISHED))


# What a catalogue row shows of a product and its institution, read as plain
# values: building model objects and serializing them costs more than the SQL.
CATALOGUE_COLUMNS = (
    "id",
    "code",
    "name_zh",
    "name_en",
    "kind",
    "institution_id",
    "institution__code",
    "institution__name_zh",
    "institution__name_en",
    "amount_min",
    "amount_max",
    "rate_min",
    "rate_max",
    "term_min_months",
    "term_max_months",
    "max_pledge_ratio",
    "summary_zh",
    "summary_en",
    "requirements",
    "status",
    "published_at",
    "updated_at",
)


def catalogue_rows(*, products: QuerySet[Product]) -> QuerySet[Product, dict[str, Any]]:
    """The products as dicts of CATALOGUE_COLUMNS, in the queryset's order.
    Slice it (a page), then hand the rows to `with_related_codes`."""
    rows: QuerySet[Product, dict[str, Any]] = products.prefetch_related(None).values(
        *CATALOGUE_COLUMNS
    )
    return rows


def with_related_codes(rows: list[dict[str, Any]], *, alias: str) -> list[dict[str, Any]]:
    """Adds to each row its accepted IP kind codes, its provinces served as
    (code, name_zh, name_en) and its target industry codes, in the order of
    the reference data: three queries for the whole page, on the database
    the rows were read from."""
    by_id = {row["id"]: row for row in rows}
    for row in rows:
        row["accepted_ip_kinds"], row["provinces_served"], row["target_industries"] = [], [], []
    if not by_id:
        return rows
    kinds = Product.accepted_ip_kinds.through.objects.using(alias).filter(product_id__in=by_id)
    for product_id, code in kinds.order_by("ipkind__sort", "ipkind_id").values_list(
        "product_id", "ipkind_id"
    ):
        by_id[product_id]["accepted_ip_kinds"].append(code)
    provinces = Product.provinces_served.through.objects.using(alias).filter(product_id__in=by_id)
    for product_id, *province in provinces.order_by("province_id").values_list(
        "product_id", "province_id", "province__name_zh", "province__name_en"
    ):
        by_id[product_id]["provinces_served"].append(tuple(province))
    industries = Product.target_industries.through.objects.using(alias).filter(product_id__in=by_id)
    for product_id, code in industries.order_by("industry__sort", "industry_id").values_list(
        "product_id", "industry_id"
    ):
        by_id[product_id]["target_industries"].append(code)
    return rows


# The catalogue's pages are cached under this version (core.cache); the
# services move it on after every commit that changes what the catalogue shows.
CATALOGUE_VERSION_KEY = "products:catalogue-version"
# Public catalogue pages and counts are cached this long under that version:
# a change shows on the next request wherever the cache is shared (Redis);
# per-process caches (locmem, the default) of other processes catch up within
# this time.
CATALOGUE_CACHE_SECONDS = 30


def catalogue_version() -> int:
    return cache_version(CATALOGUE_VERSION_KEY)


class CatalogueRows(Sequence[dict[str, Any]]):
    """Catalogue rows as a paginator pages them: counted under the catalogue's
    version (exact: it moves on with every change the catalogue shows), each
    page read by `catalogue_rows` and `with_related_codes`."""

    def __init__(self, products: QuerySet[Product]) -> None:
        self.products = products

    def __len__(self) -> int:
        return cached_count(
            self.products.select_related(None).prefetch_related(None),
            version_key=CATALOGUE_VERSION_KEY,
            timeout=CATALOGUE_CACHE_SECONDS,
        )

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        rows = list(catalogue_rows(products=self.products)[index])
        return with_related_codes(rows, alias=self.products.db)


def product_catalogue_filter(*, filters: Mapping[str, Any] | None) -> ProductFilter:
    """The catalogue's FilterSet, bound to the query: its form and errors for
    the page, its `qs` for the list (invalid values are left out)."""
    return ProductFilter(data=filters or {}, queryset=published_products())


def product_catalogue(*, filters: Mapping[str, Any] | None) -> QuerySet[Product]:
    """Published products, filtered and ordered as asked."""
    filtered: QuerySet[Product] = product_catalogue_filter(filters=filters).qs
    return filtered


def products_visible_to(*, user: User | AnonymousUser) -> QuerySet[Product]:
    """Published products, and any product of the institutions the user acts for."""
    visible = Q(status=Product.Status.PUBLISHED)
    if user.is_authenticated:
        visible |= Q(institution__in=institutions_for(user=user).values("pk"))
    return _with_related(Product.objects.using(reading()).filter(visible))


def _one(queryset: QuerySet[Product], **lookup: Any) -> Product:
    product = queryset.filter(**lookup).first()
    if product is None:
        raise Http404(_("No such product."))
    return product


def product_detail(*, code: str, user: User | AnonymousUser) -> Product:
    """A published product for anyone; a draft or withdrawn one only for the
    members of its institution. Http404 otherwise, so drafts stay unseen."""
    return _one(products_visible_to(user=user), code=code)


def product_by_id(*, pk: int, user: User | AnonymousUser) -> Product:
    """As `product_detail`, by primary key (the API's identifier)."""
    return _one(products_visible_to(user=user), pk=pk)


def products_for_institution(*, institution: Institution) -> QuerySet[Product]:
    """All the institution's products, whatever their status, latest changed first."""
    return _with_related(institution.products.all()).order_by("-updated_at", "code")


def products_managed_by(*, user: User | AnonymousUser) -> QuerySet[Product]:
    """All products of every institution the user acts for."""
    return _with_related(
        Product.objects.filter(institution__in=institutions_for(user=user).values("pk"))
    ).order_by("-updated_at", "code")


def product_options_for(*, user: User | AnonymousUser) -> QuerySet[Product]:
    """The products of the user's institutions by name, whatever their status,
    for a filter's choices: code and names only."""
    return (
        Product.objects.filter(institution__in=institutions_for(user=user).values("pk"))
        .only("code", "name_zh", "name_en")
        .order_by("name_zh", "code")
    )


def product_open_for_applications(*, code: str) -> Product:
    """A published product with its institution, or Http404."""
    product = (
        Product.objects.filter(code=code, status=Product.Status.PUBLISHED)
        .select_related("institution")
        .first()
    )
    if product is None:
        raise Http404(_("No such product is open for applications."))
    return product


def managed_product(*, code: str, user: User | AnonymousUser) -> Product:
    """One of the user's institutions' products; Http404 for anyone else's."""
    return _one(products_managed_by(user=user), code=code)


def product_history(
    *, product: Product, user: User | AnonymousUser
) -> QuerySet[ProductStatusChange]:
    """The product's status changes, for the members of its institution only."""
    if product.institution_id not in institution_ids_for(user=user):
        raise PermissionDenied(_("Only the product's institution may read its history."))
    return product.history.select_related("actor").order_by("created_at", "pk")


def products_to_compare(*, codes: Iterable[str]) -> list[Product]:
    """Up to four published products, in the order asked for; unknown or
    unpublished codes are left out. ValidationError for more than four."""
    wanted = list(dict.fromkeys(code for code in codes if code))
    if len(wanted) > MAX_COMPARED:
        raise ValidationError(
            _("Compare at most %(max)d products at a time."),
            code="too_many",
            params={"max": MAX_COMPARED},
        )
    found = {product.code: product for product in published_products().filter(code__in=wanted)}
    return [found[code] for code in wanted if code in found]
