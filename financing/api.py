"""The application workflow's API: a list, a create, a detail and one explicit
POST endpoint per move. The views parse input and call one selector or
service; the services decide."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import (
    ErrorSerializer,
    NamedChoiceField,
    StatusChangeSerializer,
    asks_for_filters,
    id_field,
    move_endpoints,
    writers,
)
from core.auth import signed_in
from core.files import DOWNLOAD_RESPONSES
from core.limits import TEXT_MAX_LENGTH
from core.models import prefers_chinese
from enterprises.selectors import enterprises_for
from events.models import Registration
from financing.documents import download
from financing.filters import ApplicationFilter
from financing.models import (
    Application,
    ApplicationDocument,
    ApplicationStatusChange,
    Contract,
    Pledge,
    RepaymentMethod,
)
from financing.selectors import (
    SIDES,
    ApplicationRows,
    application_detail,
    application_document,
    application_documents,
    application_list_rows,
    applications_for,
    pledge_capacity,
)
from financing.services import application_create
from financing.workflows import APPLICATION
from products.api import timestamps
from products.models import Product


class MoneyDigits(TypedDict):
    max_digits: int
    decimal_places: int


# Amounts of yuan, to the fen.
MONEY: MoneyDigits = {"max_digits": 16, "decimal_places": 2}


# --- output


class EnterpriseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    province = serializers.CharField(source="province_id")


class ProductRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class InstitutionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ApplicationListSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseRefSerializer()
    product = ProductRefSerializer()
    institution = InstitutionRefSerializer(source="product.institution")
    status = NamedChoiceField(component="ApplicationStatusEnum", choices=Application.Status.choices)
    status_display = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "status",
            "status_display",
            "enterprise",
            "product",
            "institution",
            "amount_requested",
            "term_months",
            "amount_approved",
            "submitted_at",
            "decided_at",
            "created_at",
        ]

    def get_status_display(self, application: Application) -> str:
        # A plain look-up: a callable `source` costs an inspect.signature per row.
        return str(Application.Status(application.status).label)


# The list answers the same JSON as ApplicationListSerializer(many=True), built
# from plain rows: nested serializers cost several times the SQL per page.


def _money(value: Decimal | None) -> str | None:
    # The columns hold two decimals: as the serializer's DecimalField writes them.
    return None if value is None else f"{value:.2f}"


def _name(zh: str, en: str, chinese: bool) -> str:
    # As core.models.localized: the reader's language, else the other one.
    return (zh or en) if chinese else (en or zh)


@functools.cache
def _status_labels(language: str | None) -> dict[str, str]:
    with translation.override(language):
        return {value: str(label) for value, label in Application.Status.choices}


def application_items(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows of `application_rows` as the list shows them."""
    chinese = prefers_chinese()
    labels = _status_labels(translation.get_language())
    stamp = timestamps()
    return [
        {
            "id": row["id"],
            "status": row["status"],
            "status_display": labels[row["status"]],
            "enterprise": {
                "id": row["enterprise_id"],
                "name": _name(row["enterprise__name_zh"], row["enterprise__name_en"], chinese),
                "province": row["enterprise__province_id"],
            },
            "product": {
                "code": row["product__code"],
                "name": _name(row["product__name_zh"], row["product__name_en"], chinese),
            },
            "institution": {
                "id": row["product__institution_id"],
                "name": _name(
                    row["product__institution__name_zh"],
                    row["product__institution__name_en"],
                    chinese,
                ),
            },
            "amount_requested": _money(row["amount_requested"]),
            "term_months": row["term_months"],
            "amount_approved": _money(row["amount_approved"]),
            "submitted_at": stamp(row["submitted_at"]),
            "decided_at": stamp(row["decided_at"]),
            "created_at": stamp(row["created_at"]),
        }
        for row in rows
    ]


class AssetRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(source="kind_id")
    number = serializers.CharField()
    title = serializers.CharField()


class PledgeSerializer(serializers.ModelSerializer):
    asset = AssetRefSerializer()
    status = NamedChoiceField(component="PledgeStatusEnum", choices=Pledge.Status.choices)

    class Meta:
        model = Pledge
        fields = ["id", "asset", "status", "value_at_pledge", "activated_at", "released_at"]


class HistorySerializer(StatusChangeSerializer):
    class Meta(StatusChangeSerializer.Meta):
        model = ApplicationStatusChange


class ContractSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(component="ContractKindEnum", choices=Contract.Kind.choices)
    repayment_method = NamedChoiceField(
        component="RepaymentMethodEnum", choices=[("", ""), *RepaymentMethod.choices]
    )

    class Meta:
        model = Contract
        fields = [
            "reference",
            "kind",
            "amount",
            "interest_rate",
            "term_months",
            "repayment_method",
            "signed_on",
            "pledge_registration_number",
            "pledge_registered_on",
            "disbursed_amount",
            "disbursed_on",
        ]


class DocumentSerializer(serializers.ModelSerializer):
    """A file sent with the application, as its enterprise and its
    institution see it; `download` streams it (the same permission)."""

    name = serializers.CharField(source="original_name")
    uploaded_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationDocument
        fields = ["id", "name", "size", "content_type", "uploaded_by", "uploaded_at", "download"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, document: ApplicationDocument) -> str:
        path = reverse("api-application-document", args=[document.application_id, document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ApplicationDetailSerializer(ApplicationListSerializer):
    """One application with its pledges, history and contract, the terms
    approved (null before a decision, or for one made before they were
    recorded), the documents the reader may download and what the reader may
    do now (`allowed_actions` names the endpoints)."""

    pledges = PledgeSerializer(many=True)
    history = HistorySerializer(many=True)
    contract = ContractSerializer(allow_null=True)
    repayment_method_approved = NamedChoiceField(
        component="RepaymentMethodEnum", choices=[("", ""), *RepaymentMethod.choices]
    )
    documents = serializers.SerializerMethodField()
    pledge_capacity = serializers.SerializerMethodField()
    above_pledge_capacity = serializers.SerializerMethodField(
        help_text=_(
            "Whether the amount requested is above the pledge capacity: allowed, "
            "but the bank is unlikely to lend more than the capacity."
        )
    )
    allowed_actions = serializers.SerializerMethodField()

    class Meta(ApplicationListSerializer.Meta):
        fields = [
            *ApplicationListSerializer.Meta.fields,
            "interest_rate_approved",
            "term_months_approved",
            "repayment_method_approved",
            "purpose",
            "rejection_reason",
            "pledge_capacity",
            "above_pledge_capacity",
            "pledges",
            "history",
            "contract",
            "documents",
            "allowed_actions",
        ]

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, application: Application) -> Any:
        return DocumentSerializer(self.context["documents"], many=True, context=self.context).data

    @extend_schema_field(serializers.DecimalField(**MONEY))
    def get_pledge_capacity(self, application: Application) -> str:
        return f"{self.context['pledge_capacity']:.2f}"

    @extend_schema_field(serializers.BooleanField())
    def get_above_pledge_capacity(self, application: Application) -> bool:
        capacity: Decimal = self.context["pledge_capacity"]
        return application.amount_requested > capacity

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, application: Application) -> list[str]:
        allowed: list[str] = self.context["allowed_actions"]
        return allowed


def detail_response(
    request: Request, pk: int, *, status_code: int = status.HTTP_200_OK
) -> Response:
    application = application_detail(pk=pk, user=request.user)
    context = {
        "request": request,
        "allowed_actions": APPLICATION.allowed(application, request.user),
        "pledge_capacity": pledge_capacity(application=application),
        "documents": application_documents(application=application, user=request.user),
    }
    return Response(
        ApplicationDetailSerializer(application, context=context).data, status=status_code
    )


# --- the list and the create


@extend_schema_field(OpenApiTypes.INT)
class OwnRegistrationField(serializers.PrimaryKeyRelatedField):
    """An event registration of one of the user's enterprises: others' ids
    read as unknown."""

    def get_queryset(self) -> QuerySet[Registration]:
        user = self.context["request"].user
        return Registration.objects.filter(enterprise__memberships__user=user)


class ApplicationCreateSerializer(serializers.Serializer):
    enterprise = id_field(
        required=False, help_text=_("Needed only when you act for several enterprises.")
    )
    product = serializers.SlugRelatedField(
        slug_field="code", queryset=Product.objects.filter(status=Product.Status.PUBLISHED)
    )
    amount_requested = serializers.DecimalField(**MONEY, min_value=0)
    term_months = serializers.IntegerField(min_value=1, max_value=600)
    asset_ids = serializers.ListField(child=id_field(), allow_empty=False)
    purpose = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    source_registration = OwnRegistrationField(required=False, allow_null=True, default=None)
    submit = serializers.BooleanField(
        required=False, default=False, help_text=_("Submit at once instead of keeping a draft.")
    )


class SideSerializer(serializers.Serializer):
    side = serializers.ChoiceField(choices=SIDES, required=False)


@extend_schema_view(
    get=extend_schema(
        summary="The user's applications",
        parameters=[
            OpenApiParameter(
                "side",
                OpenApiTypes.STR,
                enum=SIDES,
                description=str(
                    _(
                        "Whose applications: your enterprises', your institutions' queue "
                        "or, for regulators, those in your jurisdiction. Defaults to the "
                        "first of these you act for."
                    )
                ),
            )
        ],
    ),
    post=extend_schema(
        summary="Apply: create a draft (or submit at once)",
        request=ApplicationCreateSerializer,
        responses={201: ApplicationDetailSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
    ),
)
class ApplicationListView(generics.ListAPIView):
    serializer_class = ApplicationListSerializer
    filterset_class = ApplicationFilter
    permission_classes = [
        IsAuthenticated,
        writers(
            lambda user: enterprises_for(user=user).exists(),
            _("Only the members of an enterprise may apply."),
        ),
    ]

    def side(self) -> str | None:
        params = SideSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        side: str | None = params.validated_data.get("side")
        return side

    def get_queryset(self) -> QuerySet[Application]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Application.objects.none()
        return applications_for(user=self.request.user, side=self.side())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if asks_for_filters(request, ApplicationFilter):
            rows = ApplicationRows(self.filter_queryset(self.get_queryset()))
        else:
            rows = application_list_rows(user=request.user, side=self.side())
        # The paginator needs only count() and slices, which the rows give.
        page: list[dict[str, Any]] | None = self.paginate_queryset(rows)  # type: ignore[arg-type]
        return self.get_paginated_response(application_items(page or ()))

    def post(self, request: Request) -> Response:
        data = ApplicationCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        enterprises = enterprises_for(user=request.user)
        if "enterprise" in values:
            enterprises = enterprises.filter(pk=values.pop("enterprise"))
        candidates = list(enterprises[:2])
        if not candidates:
            raise PermissionDenied(_("Only the members of an enterprise may apply."))
        if len(candidates) > 1:
            raise serializers.ValidationError(
                {"enterprise": [_("You act for several enterprises: name one.")]}
            )
        application = application_create(
            enterprise=candidates[0], actor=signed_in(request.user), **values
        )
        return detail_response(request, application.pk, status_code=status.HTTP_201_CREATED)


class ApplicationDetailView(APIView):
    @extend_schema(responses={200: ApplicationDetailSerializer, 404: ErrorSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return detail_response(request, pk)


class ApplicationDocumentView(APIView):
    """A document sent with the application, as an attachment under its
    original name: for the application's enterprise and institution only."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Download a document sent with the application",
        responses={**DOWNLOAD_RESPONSES, 404: ErrorSerializer},
    )
    def get(self, request: Request, pk: int, document: int) -> HttpResponseBase:
        return download(application_document(application_pk=pk, pk=document, user=request.user))


# --- one endpoint per move, built from the workflow's declaration (financing.workflows)


def _visible_application(request: Request, pk: int) -> Application:
    return application_detail(pk=pk, user=request.user)


def _moved(request: Request, application: Application) -> Response:
    return detail_response(request, application.pk)


move_urls = move_endpoints(
    APPLICATION,
    route="applications/<int:pk>/",
    name="api-application",
    fetch=_visible_application,
    respond=_moved,
    response=ApplicationDetailSerializer,
)
