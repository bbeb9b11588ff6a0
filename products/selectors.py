"""Reads for institutions and products."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
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
    return Institution.objects.select_related("province").order_by("name_zh", "pk")


def _with_related(queryset: QuerySet[Product]) -> QuerySet[Product]:
    return queryset.select_related("institution__province").prefetch_related(
        "accepted_ip_kinds", "provinces_served", "target_industries"
    )


def published_products() -> QuerySet[Product]:
    """Every published product with what a listing shows of it."""
    return _with_related(Product.objects.filter(status=Product.Status.PUBLISHED))


def product_catalogue_filter(*, filters: Mapping[str, Any] | None) -> ProductFilter:
    """The catalogue's FilterSet, bound to the query: its form and errors for
    the page, its `qs` for the list (invalid values are left out)."""
    return ProductFilter(data=filters or {}, queryset=published_products())


def product_catalogue(*, filters: Mapping[str, Any] | None) -> QuerySet[Product]:
    """Published products, filtered and ordered as asked."""
    return product_catalogue_filter(filters=filters).qs


def products_visible_to(*, user: User | AnonymousUser) -> QuerySet[Product]:
    """Published products, and any product of the institutions the user acts for."""
    visible = Q(status=Product.Status.PUBLISHED)
    if user.is_authenticated:
        visible |= Q(institution__in=institutions_for(user=user).values("pk"))
    return _with_related(Product.objects.filter(visible))


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
