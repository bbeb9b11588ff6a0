"""The enterprise profile and IP portfolio API.

Members of an enterprise read and write it; regulators whose jurisdiction
covers its province read it; everyone else gets 404, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser, FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.api import NamedChoiceField
from core.auth import signed_in
from core.models import IPKind, prefers_chinese
from core.spreadsheets import CONTENT_TYPES, validate_upload
from enterprises.filters import IPAssetFilter
from enterprises.imports import ImportRejected, read_asset_file, template_csv, template_xlsx
from enterprises.models import Enterprise, IPAppraisal, IPAsset
from enterprises.selectors import (
    appraisals_for,
    enterprise_profile,
    ip_asset_for,
    ip_assets_for,
)
from enterprises.services import (
    ENTERPRISE_EDITABLE_FIELDS,
    enterprise_update,
    ip_asset_appraise,
    ip_asset_create,
    ip_asset_delete,
    ip_asset_update,
    ip_assets_import,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from enterprises.selectors import ReadableAsset, ReadableEnterprise

KIND_HELP = "The kind of IP: " + ", ".join(IPKind.Code.values) + "."


def _require_member(obj: ReadableEnterprise | ReadableAsset) -> None:
    # Regulators reach the object (they may read it) but never write it.
    if not obj.user_is_member:
        raise PermissionDenied(_("Only members of this enterprise may change it."))


# --------------------------------------------------------------------------- serializers


class EnterpriseSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    can_edit = serializers.BooleanField(source="user_is_member", read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            *ENTERPRISE_EDITABLE_FIELDS,
            "verification_status",
            "updated_at",
            "can_edit",
        ]
        read_only_fields = fields


class EnterpriseUpdateSerializer(serializers.ModelSerializer):
    """Parses a PATCH: types and choices only; the rules are the service's."""

    credit_code = serializers.CharField(
        required=False, help_text="Cannot be changed; sending the current code is accepted."
    )

    class Meta:
        model = Enterprise
        fields = ["credit_code", *ENTERPRISE_EDITABLE_FIELDS]


class IPAssetSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(
        component="IPKindEnum", choices=IPKind.Code.choices, source="kind_id", help_text=KIND_HELP
    )
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    is_pledged = serializers.BooleanField(
        read_only=True, help_text="The asset stands in an active (registered) pledge."
    )

    class Meta:
        model = IPAsset
        fields = [
            "id",
            "enterprise",
            "kind",
            "kind_name",
            "number",
            "title",
            "filed_on",
            "granted_on",
            "expires_on",
            "legal_status",
            "appraised_value",
            "appraiser",
            "appraised_on",
            "is_pledged",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class IPAssetUpdateSerializer(serializers.Serializer):
    kind = NamedChoiceField(
        component="IPKindEnum", choices=IPKind.Code.choices, read_only=False, help_text=KIND_HELP
    )
    number = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=255)
    filed_on = serializers.DateField(required=False, allow_null=True)
    granted_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    legal_status = serializers.ChoiceField(choices=IPAsset.LegalStatus.choices, required=False)


class IPAssetCreateSerializer(IPAssetUpdateSerializer):
    appraised_value = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )
    appraiser = serializers.CharField(max_length=200, required=False, allow_blank=True)
    appraised_on = serializers.DateField(required=False, allow_null=True)


class IPAppraisalSerializer(serializers.ModelSerializer):
    recorded_by: serializers.StringRelatedField[User] = serializers.StringRelatedField(
        read_only=True
    )

    class Meta:
        model = IPAppraisal
        fields = ["id", "value", "appraiser", "appraised_on", "recorded_by", "created_at"]
        read_only_fields = fields


class IPAppraisalCreateSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    appraiser = serializers.CharField(max_length=200)
    appraised_on = serializers.DateField()


class AssetImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        validators=[validate_upload],
        help_text="CSV (UTF-8 or GBK) or XLSX with a header row; at most 5 MB and 5,000 rows.",
    )


class AssetImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField())


class ImportRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="As the spreadsheet shows it: the header is row 1.")
    column = serializers.CharField(help_text='A field name ("number"); empty for the whole row.')
    message = serializers.CharField()


class ImportFileErrorsSerializer(serializers.Serializer):
    file = serializers.ListField(child=serializers.CharField())


# Built from a mapping: a serializer class cannot declare a field called "fields".
AssetImportRejectedSerializer = inline_serializer(
    "AssetImportRejected",
    fields={
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
        "fields": ImportFileErrorsSerializer(),
        "rows": ImportRowErrorSerializer(many=True),
    },
)


# --------------------------------------------------------------------------- the profile


class EnterpriseDetailApi(APIView):
    """An enterprise's profile."""

    @extend_schema(responses=EnterpriseSerializer)
    def get(self, request: Request, pk: int) -> Response:
        enterprise = enterprise_profile(enterprise_id=pk, user=request.user)
        return Response(EnterpriseSerializer(enterprise).data)

    @extend_schema(request=EnterpriseUpdateSerializer, responses=EnterpriseSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        enterprise = enterprise_profile(enterprise_id=pk, user=request.user)
        _require_member(enterprise)
        data = EnterpriseUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        enterprise_update(
            enterprise=enterprise, actor=signed_in(request.user), **data.validated_data
        )
        enterprise = enterprise_profile(enterprise_id=pk, user=request.user)
        return Response(EnterpriseSerializer(enterprise).data)


# --------------------------------------------------------------------------- assets


class EnterpriseAssetsApi(ListAPIView):
    """The enterprise's IP portfolio (filtered, paginated), and adding to it."""

    serializer_class = IPAssetSerializer
    filterset_class = IPAssetFilter

    def get_queryset(self) -> QuerySet[IPAsset]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return IPAsset.objects.none()
        enterprise = enterprise_profile(enterprise_id=self.kwargs["pk"], user=self.request.user)
        # The filter backend applies IPAssetFilter, answering 400 to bad values.
        return ip_assets_for(enterprise=enterprise)

    @extend_schema(request=IPAssetCreateSerializer, responses={201: IPAssetSerializer})
    def post(self, request: Request, pk: int) -> Response:
        enterprise = enterprise_profile(enterprise_id=pk, user=request.user)
        _require_member(enterprise)
        data = IPAssetCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = {k: v for k, v in data.validated_data.items() if v is not None}
        asset = ip_asset_create(enterprise=enterprise, actor=signed_in(request.user), **values)
        asset = ip_asset_for(asset_id=asset.pk, user=request.user)
        return Response(IPAssetSerializer(asset).data, status=status.HTTP_201_CREATED)


class AssetDetailApi(APIView):
    """One IP asset. Its kind and number cannot change, nor can it be deleted,
    while it stands in a proposed or active pledge (409)."""

    @extend_schema(responses=IPAssetSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(IPAssetSerializer(ip_asset_for(asset_id=pk, user=request.user)).data)

    @extend_schema(request=IPAssetUpdateSerializer(partial=True), responses=IPAssetSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        asset = ip_asset_for(asset_id=pk, user=request.user)
        _require_member(asset)
        data = IPAssetUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        ip_asset_update(asset=asset, actor=signed_in(request.user), **data.validated_data)
        return Response(IPAssetSerializer(ip_asset_for(asset_id=pk, user=request.user)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        asset = ip_asset_for(asset_id=pk, user=request.user)
        _require_member(asset)
        ip_asset_delete(asset=asset, actor=signed_in(request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssetAppraisalsApi(ListAPIView):
    """An asset's appraisal history, newest first, and recording a new one.
    The asset's latest appraisal follows only an appraisal newer than it."""

    serializer_class = IPAppraisalSerializer
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[IPAppraisal]:
        if getattr(self, "swagger_fake_view", False):
            return IPAppraisal.objects.none()
        return appraisals_for(
            asset=ip_asset_for(asset_id=self.kwargs["pk"], user=self.request.user)
        )

    @extend_schema(request=IPAppraisalCreateSerializer, responses={201: IPAppraisalSerializer})
    def post(self, request: Request, pk: int) -> Response:
        asset = ip_asset_for(asset_id=pk, user=request.user)
        _require_member(asset)
        data = IPAppraisalCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appraisal = ip_asset_appraise(
            asset=asset, actor=signed_in(request.user), **data.validated_data
        )
        return Response(IPAppraisalSerializer(appraisal).data, status=status.HTTP_201_CREATED)


class AssetImportApi(APIView):
    """Import an IP list from a CSV or XLSX file: every row or none."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": AssetImportSerializer},
        responses={
            201: AssetImportResultSerializer,
            400: OpenApiResponse(
                AssetImportRejectedSerializer,
                description=(
                    "Nothing was imported. `fields.file` says why; `rows` lists every bad "
                    "row with its row number (the header is row 1), column and reason."
                ),
                examples=[
                    OpenApiExample(
                        "Two bad rows",
                        value={
                            "detail": "Nothing was imported.",
                            "code": "import_rejected",
                            "fields": {"file": ["2 rows have errors; nothing was imported."]},
                            "rows": [
                                {
                                    "row": 3,
                                    "column": "number",
                                    "message": "The check digit after the dot does not match.",
                                },
                                {"row": 5, "column": "kind", "message": "The kind is missing."},
                            ],
                        },
                    )
                ],
            ),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        enterprise = enterprise_profile(enterprise_id=pk, user=request.user)
        _require_member(enterprise)
        data = AssetImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        try:
            rows = read_asset_file(upload, size=upload.size)
            assets = ip_assets_import(
                enterprise=enterprise, actor=signed_in(request.user), rows=rows
            )
        except ImportRejected as rejected:
            return Response(rejected.as_dict(), status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {"created": len(assets), "ids": [asset.pk for asset in assets]},
            status=status.HTTP_201_CREATED,
        )


# --------------------------------------------------------------------------- the template


class _AnyAccept(BaseContentNegotiation):
    """A download answers the same bytes whatever the client accepts."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    description='Headings in Chinese ("zh-hans") or English ("en"); by default the '
    "request's language. Either imports.",
)


class _AssetImportTemplateApi(APIView):
    """The import template: the header row the importer reads, in the
    language of the request (English and Chinese headings both import)."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _AnyAccept
    fmt = "csv"

    def _download(self, request: Request) -> HttpResponse:
        lang = request.query_params.get("lang")
        chinese = lang.lower().startswith("zh") if lang else prefers_chinese()
        if self.fmt == "xlsx":
            content = template_xlsx(chinese=chinese)
        else:
            content = template_csv(chinese=chinese)
        response = HttpResponse(content, content_type=CONTENT_TYPES[self.fmt])
        response["Content-Disposition"] = f'attachment; filename="ip-assets-template.{self.fmt}"'
        return response


class AssetImportTemplateCsvApi(_AssetImportTemplateApi):
    fmt = "csv"

    @extend_schema(
        operation_id="assets_import_template_csv",
        parameters=[LANG_PARAMETER],
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
        description="The import template as CSV (UTF-8 with a BOM, as Excel likes it).",
    )
    def get(self, request: Request) -> HttpResponse:
        return self._download(request)


class AssetImportTemplateXlsxApi(_AssetImportTemplateApi):
    fmt = "xlsx"

    @extend_schema(
        operation_id="assets_import_template_xlsx",
        parameters=[LANG_PARAMETER],
        responses={(200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY},
        description="The import template as an Excel workbook, with the accepted values.",
    )
    def get(self, request: Request) -> HttpResponse:
        return self._download(request)
