"""The products API: the public catalogue and institutions, and an
institution's own products with one POST endpoint per move of their workflow
(built from `products.workflows.PRODUCT`)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import (
    NamedChoiceField,
    StatusChangeSerializer,
    asks_for_filters,
    move_endpoints,
    writers,
)
from core.auth import signed_in
from core.limits import TEXT_MAX_LENGTH
from core.models import Industry, IPKind, Province
from products.filters import ProductFilter, catalogue_order
from products.models import Institution, InstitutionMembership, Product, ProductStatusChange
from products.selectors import (
    CATALOGUE_CACHE_SECONDS,
    CatalogueRows,
    catalogue_version,
    institution_list,
    product_by_id,
    product_history,
    published_products,
)
from products.services import product_create, product_update
from products.workflows import PRODUCT

# ---------------------------------------------------------------- output


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name_zh", "name_en"]


class InstitutionSerializer(serializers.ModelSerializer):
    province = ProvinceSerializer(read_only=True)

    class Meta:
        model = Institution
        fields = ["id", "code", "name_zh", "name_en", "kind", "province"]


class InstitutionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "code", "name_zh", "name_en"]


class ProductSerializer(serializers.ModelSerializer):
    institution = InstitutionBriefSerializer(read_only=True)
    accepted_ip_kinds: serializers.SlugRelatedField[IPKind] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    provinces_served = ProvinceSerializer(many=True, read_only=True)
    nationwide = serializers.SerializerMethodField(
        help_text=_("True when the product names no province: it serves all of them.")
    )
    target_industries: serializers.SlugRelatedField[Industry] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "code",
            "name_zh",
            "name_en",
            "kind",
            "institution",
            "accepted_ip_kinds",
            "amount_min",
            "amount_max",
            "rate_min",
            "rate_max",
            "term_min_months",
            "term_max_months",
            "max_pledge_ratio",
            "provinces_served",
            "nationwide",
            "target_industries",
            "summary_zh",
            "summary_en",
            "requirements",
            "status",
            "published_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_nationwide(self, product: Product) -> bool:
        # Read from the prefetched rows: no query per product.
        return not product.provinces_served.all()


# The catalogue's list answers the same JSON as ProductSerializer(many=True),
# built from plain rows: the nested serializers cost several times the SQL.
_MONEY = serializers.DecimalField(max_digits=16, decimal_places=2)
_PERCENT = serializers.DecimalField(max_digits=5, decimal_places=2)


def timestamps() -> Callable[[datetime | None], str | None]:
    """How DRF's DateTimeField writes a moment (ISO 8601 in the current time
    zone, "Z" for UTC), with the zone looked up once instead of per value."""
    zone = timezone.get_current_timezone()

    def stamp(value: datetime | None) -> str | None:
        if not value:
            return None
        text = value.astimezone(zone).isoformat()
        return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text

    return stamp


def catalogue_item(
    row: dict[str, Any], stamp: Callable[[datetime | None], str | None]
) -> dict[str, Any]:
    """One row of `catalogue_rows` + `with_related_codes` as the catalogue shows it."""
    money, percent = _MONEY.to_representation, _PERCENT.to_representation
    provinces = row["provinces_served"]
    return {
        "id": row["id"],
        "code": row["code"],
        "name_zh": row["name_zh"],
        "name_en": row["name_en"],
        "kind": row["kind"],
        "institution": {
            "id": row["institution_id"],
            "code": row["institution__code"],
            "name_zh": row["institution__name_zh"],
            "name_en": row["institution__name_en"],
        },
        "accepted_ip_kinds": row["accepted_ip_kinds"],
        "amount_min": money(row["amount_min"]),
        "amount_max": money(row["amount_max"]),
        "rate_min": percent(row["rate_min"]),
        "rate_max": percent(row["rate_max"]),
        "term_min_months": row["term_min_months"],
        "term_max_months": row["term_max_months"],
        "max_pledge_ratio": percent(row["max_pledge_ratio"]),
        "provinces_served": [
            {"code": code, "name_zh": name_zh, "name_en": name_en}
            for code, name_zh, name_en in provinces
        ],
        "nationwide": not provinces,
        "target_industries": row["target_industries"],
        "summary_zh": row["summary_zh"],
        "summary_en": row["summary_en"],
        "requirements": row["requirements"],
        "status": row["status"],
        "published_at": stamp(row["published_at"]),
        "updated_at": stamp(row["updated_at"]),
    }


def _catalogue_page_key(request: Request) -> str:
    """The page's cache key: the catalogue's version, the language, and the
    address with its query parameters sorted (the links in the page are absolute)."""
    query = urlencode(sorted((k, v) for k, values in request.GET.lists() for v in values))
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"products:catalogue:{catalogue_version()}:{get_language()}:{digest}"


class ProductStatusChangeSerializer(StatusChangeSerializer):
    class Meta(StatusChangeSerializer.Meta):
        model = ProductStatusChange


# ---------------------------------------------------------------- input


class ProductUpdateSerializer(serializers.Serializer):
    """The fields an institution sets. Types only: the service checks the rules."""

    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = NamedChoiceField(
        component="ProductKindEnum", choices=Product.Kind.choices, read_only=False
    )
    amount_min = serializers.DecimalField(max_digits=16, decimal_places=2)
    amount_max = serializers.DecimalField(max_digits=16, decimal_places=2)
    rate_min = serializers.DecimalField(max_digits=5, decimal_places=2)
    rate_max = serializers.DecimalField(max_digits=5, decimal_places=2)
    term_min_months = serializers.IntegerField(min_value=0, max_value=32767)
    term_max_months = serializers.IntegerField(min_value=0, max_value=32767)
    max_pledge_ratio = serializers.DecimalField(max_digits=5, decimal_places=2)
    accepted_ip_kinds = serializers.PrimaryKeyRelatedField(
        queryset=IPKind.objects.all(), many=True, help_text=_("IP kind codes.")
    )
    provinces_served = serializers.PrimaryKeyRelatedField(
        queryset=Province.objects.all(),
        many=True,
        required=False,
        help_text=_("GB/T 2260 codes; leave empty for nationwide."),
    )
    target_industries = serializers.PrimaryKeyRelatedField(
        queryset=Industry.objects.all(), many=True, required=False
    )
    summary_zh = serializers.CharField(max_length=300, required=False, allow_blank=True)
    summary_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    requirements = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True
    )


class ProductCreateSerializer(ProductUpdateSerializer):
    institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.all(),
        help_text=_("One of the institutions you act for."),
    )
    code = serializers.SlugField(
        max_length=80, required=False, help_text=_("Made from the English name when left out.")
    )


# ---------------------------------------------------------------- views


class InstitutionListApi(ListAPIView):
    """Banks and other institutions (public)."""

    permission_classes = [AllowAny]
    serializer_class = InstitutionSerializer
    filterset_fields = ["kind", "province"]

    def get_queryset(self) -> QuerySet[Institution]:
        return institution_list()


class ProductListApi(ListAPIView):
    """The public catalogue of published products; institutions' members
    create drafts here."""

    permission_classes = [
        writers(
            lambda user: InstitutionMembership.objects.filter(user=user).exists(),
            _("Only members of the institution may do this."),
        )
    ]
    serializer_class = ProductSerializer
    filterset_class = ProductFilter

    def get_queryset(self) -> QuerySet[Product]:
        return published_products()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = _catalogue_page_key(request)
        data = cache.get(key)
        if data is None:
            products = self.get_queryset()
            if asks_for_filters(request, ProductFilter):
                products = self.filter_queryset(products)
            else:
                products = catalogue_order(products)
            page = self.paginate_queryset(CatalogueRows(products))
            stamp = timestamps()
            items = [catalogue_item(row, stamp) for row in page or ()]
            data = self.get_paginated_response(items).data
            cache.set(key, data, CATALOGUE_CACHE_SECONDS)
        return Response(data)

    @extend_schema(request=ProductCreateSerializer, responses={201: ProductSerializer})
    def post(self, request: Request) -> Response:
        data = ProductCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields: dict[str, Any] = dict(data.validated_data)
        institution = fields.pop("institution")
        product = product_create(institution=institution, actor=signed_in(request.user), **fields)
        return Response(ProductSerializer(product).data, status=status.HTTP_201_CREATED)


class ProductApi(APIView):
    """A product: published ones for anyone, drafts and withdrawn ones for
    their institution. Changes only while not published."""

    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(responses=ProductSerializer)
    def get(self, request: Request, pk: int) -> Response:
        product = product_by_id(pk=pk, user=request.user)
        return Response(ProductSerializer(product).data)

    @extend_schema(request=ProductUpdateSerializer, responses=ProductSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        product = product_by_id(pk=pk, user=request.user)
        data = ProductUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        product = product_update(
            product=product, actor=signed_in(request.user), **data.validated_data
        )
        return Response(ProductSerializer(_reread(product, request)).data)


# --- one endpoint per move, built from the workflow's declaration (products.workflows)


def _visible_product(request: Request, pk: int) -> Product:
    return product_by_id(pk=pk, user=request.user)


def _moved(request: Request, product: Product) -> Response:
    return Response(ProductSerializer(_reread(product, request)).data)


move_urls = move_endpoints(
    PRODUCT,
    route="products/<int:pk>/",
    name="api-product",
    fetch=_visible_product,
    respond=_moved,
    response=ProductSerializer,
)


class ProductHistoryApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ProductStatusChangeSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        product = product_by_id(pk=pk, user=request.user)
        history = product_history(product=product, user=request.user)
        return Response(ProductStatusChangeSerializer(history, many=True).data)


def _reread(product: Product, request: Request) -> Product:
    """The product as saved, with its related rows loaded."""
    return product_by_id(pk=product.pk, user=request.user)
