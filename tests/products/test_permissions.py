"""Permission table for products: the public catalogue and the institution's
workspace, pages and API. "Own" is the demo bank's (`world.product`, published,
and `world.draft_product`); "other" is `world.other_product`, published by the
other institution."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import QuerySet

from products.models import Product
from tests.permissions import Move, Route, World, case_id, cases, check, everyone, signed_in

PRODUCT_NAME = "Permission Test Loan PERM-LOAN-5V"
RENAMED = "Renamed PERM-RENAMED-8P"
S = Product.Status


def named(name: str = PRODUCT_NAME) -> QuerySet[Product]:
    return Product.objects.filter(name_en=name)


def product_form(w: World | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "name_zh": "权限测试贷",
        "name_en": PRODUCT_NAME,
        "kind": "patent_pledge_loan",
        "amount_min": "1000000",
        "amount_max": "5000000",
        "rate_min": "4.00",
        "rate_max": "6.00",
        "term_min_months": "6",
        "term_max_months": "24",
        "max_pledge_ratio": "50",
        "accepted_ip_kinds": ["invention_patent"],
        "provinces_served": ["330000"],
        **extra,
    }


def page(code: str, action: str) -> str:
    return f"/products/manage/{code}/{action}/"


# Pages: visitors are sent to sign in; people who act for no institution are
# refused the workspace; an institution's officers never find another's product there.
WORKSPACE = signed_in(403, institution=200, other_institution=200)
OWN = {"institution": 302, "other_institution": 404}  # a POST that redirects back
OTHERS = {"institution": 404, "other_institution": 302}

PAGES = [
    Route("products:catalogue", "GET", lambda w: "/products/", everyone(200)),
    Route(
        "products:catalogue",
        "GET",
        lambda w: "/products/?province=330000&ip_kind=trademark&amount=2000000&ordering=rate_min",
        everyone(200),
        label="filtered",
    ),
    Route("products:detail", "GET", lambda w: f"/products/{w.product.code}/", everyone(200)),
    Route(
        "products:detail",
        "GET",
        lambda w: f"/products/{w.draft_product.code}/",
        everyone(404, institution=200),
        label="own draft",
    ),
    Route(
        "products:detail",
        "GET",
        lambda w: f"/products/{w.other_product.code}/",
        everyone(200),
        label="other institution's",
    ),
    Route(
        "products:compare",
        "GET",
        lambda w: f"/products/compare/?p={w.product.code}&p={w.other_product.code}",
        everyone(200),
    ),
    Route(
        "products:manage",
        "GET",
        lambda w: "/products/manage/",
        WORKSPACE,
        # Each institution's workspace holds its own products, drafts included.
        shows=lambda w: {
            page(w.draft_product.code, "edit"): frozenset({"institution"}),
            page(w.other_product.code, "withdraw"): frozenset({"other_institution"}),
        },
    ),
    Route("products:create", "GET", lambda w: "/products/manage/new/", WORKSPACE),
    Route(
        "products:create",
        "POST",
        lambda w: "/products/manage/new/",
        # The other bank may not pick the demo bank: the form comes back with an error.
        signed_in(403, institution=302, other_institution=200),
        data=lambda w: product_form(w, institution=w.institution.pk),
        label="for own institution",
        refused=frozenset({"other_institution"}),
        done=lambda w: named().filter(institution=w.institution),
        says="saved",
    ),
    Route(
        "products:edit",
        "GET",
        lambda w: page(w.draft_product.code, "edit"),
        signed_in(403, institution=200, other_institution=404),
        label="own draft",
    ),
    Route(
        "products:edit",
        "GET",
        lambda w: page(w.other_product.code, "edit"),
        signed_in(403, institution=404, other_institution=200),
        label="other institution's",
    ),
    Route(
        "products:edit",
        "POST",
        lambda w: page(w.draft_product.code, "edit"),
        signed_in(403, **OWN),
        data=product_form,
        label="own draft",
        done=lambda w: named().filter(pk=w.draft_product.pk),
    ),
    Route(
        "products:publish",
        "POST",
        lambda w: page(w.draft_product.code, "publish"),
        signed_in(403, **OWN),
        label="own draft",
        move=Move(lambda w: w.draft_product, S.DRAFT, S.PUBLISHED),
    ),
    Route(
        "products:publish",
        "POST",
        lambda w: page(w.other_product.code, "publish"),
        # Already published: a message on the workspace, nothing changes.
        signed_in(403, **OTHERS),
        label="other institution's",
        refused=frozenset({"other_institution"}),
        move=Move(lambda w: w.other_product, S.PUBLISHED, S.PUBLISHED),
    ),
    Route(
        "products:publish",
        "GET",
        lambda w: page(w.draft_product.code, "publish"),
        signed_in(403, institution=405, other_institution=405),
    ),
    Route(
        "products:withdraw",
        "POST",
        lambda w: page(w.product.code, "withdraw"),
        signed_in(403, **OWN),
        data=lambda w: {"note": "Repricing"},
        label="own",
        move=Move(lambda w: w.product, S.PUBLISHED, S.WITHDRAWN),
    ),
    Route(
        "products:withdraw",
        "POST",
        lambda w: page(w.other_product.code, "withdraw"),
        signed_in(403, **OTHERS),
        label="other institution's",
        move=Move(lambda w: w.other_product, S.PUBLISHED, S.WITHDRAWN),
    ),
    Route(
        "products:catalogue",
        "POST",
        lambda w: "/products/",
        everyone(405),
        data=lambda w: {"q": "loan"},
        label="a page that takes no form",
    ),
]


def api_body(institution_id: int) -> dict[str, Any]:
    return {
        **product_form(),
        "institution": institution_id,
        "term_min_months": 6,
        "term_max_months": 24,
    }


def api(pk: int, action: str = "") -> str:
    return f"/api/v1/products/{pk}/{action + '/' if action else ''}"


def api_status(status: int, **overrides: int) -> dict[str, int]:
    """The API answers visitors 401 when they must sign in."""
    return everyone(status, visitor=401, **overrides)


API = [
    Route("api-institutions", "GET", lambda w: "/api/v1/institutions/", everyone(200)),
    Route("api-products", "GET", lambda w: "/api/v1/products/", everyone(200)),
    Route(
        "api-products",
        "GET",
        lambda w: f"/api/v1/products/?institution={w.institution.pk}&province=330000",
        everyone(200),
        label="filtered",
    ),
    Route(
        "api-products",
        "POST",
        lambda w: "/api/v1/products/",
        api_status(403, institution=201),
        data=lambda w: api_body(w.institution.pk),
        json=True,
        label="for own institution",
        done=lambda w: named().filter(institution=w.institution),
    ),
    Route(
        "api-products",
        "POST",
        lambda w: "/api/v1/products/",
        api_status(403, other_institution=201),
        data=lambda w: api_body(w.other_institution.pk),
        json=True,
        label="for other institution",
        done=lambda w: named().filter(institution=w.other_institution),
    ),
    Route("api-product", "GET", lambda w: api(w.product.pk), everyone(200)),
    Route(
        "api-product",
        "GET",
        lambda w: api(w.draft_product.pk),
        everyone(404, institution=200),
        label="own draft",
    ),
    Route(
        "api-product",
        "GET",
        lambda w: api(w.other_product.pk),
        everyone(200),
        label="other institution's",
    ),
    Route(
        "api-product",
        "PATCH",
        lambda w: api(w.draft_product.pk),
        api_status(404, institution=200),
        data=lambda w: {"name_en": RENAMED},
        json=True,
        label="own draft",
        done=lambda w: named(RENAMED),
    ),
    Route(
        "api-product",
        "PATCH",
        lambda w: api(w.product.pk),
        # Published: it must be withdrawn first.
        api_status(403, institution=409),
        data=lambda w: {"name_en": RENAMED},
        json=True,
        label="own published",
        done=lambda w: named(RENAMED),
    ),
    Route(
        "api-product",
        "PATCH",
        lambda w: api(w.other_product.pk),
        api_status(403, other_institution=409),
        data=lambda w: {"name_en": RENAMED},
        json=True,
        label="other institution's",
        done=lambda w: named(RENAMED),
    ),
    Route(
        "api-product-publish",
        "POST",
        lambda w: api(w.draft_product.pk, "publish"),
        api_status(404, institution=200),
        label="own draft",
        move=Move(lambda w: w.draft_product, S.DRAFT, S.PUBLISHED),
    ),
    Route(
        "api-product-publish",
        "POST",
        lambda w: api(w.product.pk, "publish"),
        api_status(403, institution=409),
        label="own published",
    ),
    Route(
        "api-product-publish",
        "POST",
        lambda w: api(w.other_product.pk, "publish"),
        api_status(403, other_institution=409),
        label="other institution's",
    ),
    Route(
        "api-product-withdraw",
        "POST",
        lambda w: api(w.product.pk, "withdraw"),
        api_status(403, institution=200),
        label="own published",
        move=Move(lambda w: w.product, S.PUBLISHED, S.WITHDRAWN),
    ),
    Route(
        "api-product-withdraw",
        "POST",
        lambda w: api(w.draft_product.pk, "withdraw"),
        api_status(404, institution=409),
        label="own draft",
    ),
    Route(
        "api-product-withdraw",
        "POST",
        lambda w: api(w.other_product.pk, "withdraw"),
        api_status(403, other_institution=200),
        label="other institution's",
        move=Move(lambda w: w.other_product, S.PUBLISHED, S.WITHDRAWN),
    ),
    Route(
        "api-product-history",
        "GET",
        lambda w: api(w.product.pk, "history"),
        api_status(403, institution=200),
        label="own published",
    ),
    Route(
        "api-product-history",
        "GET",
        lambda w: api(w.draft_product.pk, "history"),
        api_status(404, institution=200),
        label="own draft",
    ),
    Route(
        "api-product-history",
        "GET",
        lambda w: api(w.other_product.pk, "history"),
        api_status(403, other_institution=200),
        label="other institution's",
    ),
]

ROUTES = PAGES + API


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), cases(ROUTES), ids=case_id)
def test_permission(world, route, role):
    check(world, route, role)
