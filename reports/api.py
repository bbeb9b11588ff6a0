"""Jobs in the API: start an import or a report (202 with the job), poll the
job's status, download its result. Users only ever see their own jobs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsRegulator, RegulatorRequest
from core.api import NamedChoiceField
from core.auth import signed_in
from core.files import DOWNLOAD_RESPONSES, serve_file
from core.models import Province
from core.spreadsheets import validate_upload
from events.models import Campaign, Event
from reports.models import Job
from reports.selectors import job_for, jobs_for, report_scope
from reports.services import job_create
from reports.spreadsheets import SHEETS, template_download


class JobSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(component="JobKind", choices=Job.Kind.choices)
    status = NamedChoiceField(component="JobStatus", choices=Job.Status.choices)
    status_url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "message",
            "upload_name",
            "created_at",
            "started_at",
            "finished_at",
            "status_url",
            "download_url",
        ]
        read_only_fields = fields

    def get_status_url(self, job: Job) -> str:
        return reverse("api-job", args=[job.pk])

    def get_download_url(self, job: Job) -> str | None:
        if job.status != Job.Status.DONE or not job.result:
            return None
        return reverse("api-job-download", args=[job.pk])


class CellErrorSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField()
    column = serializers.CharField()
    cell = serializers.CharField()
    message = serializers.CharField()


class JobDetailSerializer(JobSerializer):
    summary = serializers.DictField()

    class Meta(JobSerializer.Meta):
        fields = [*JobSerializer.Meta.fields, "errors", "summary"]
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field]:
        # Given here: a serializer's own `errors` attribute is its validation errors.
        return {**super().get_fields(), "errors": CellErrorSerializer(many=True)}


class JobListView(generics.ListAPIView):
    """The user's own jobs, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = JobSerializer

    def get_queryset(self) -> QuerySet[Job]:
        if getattr(self, "swagger_fake_view", False):
            return Job.objects.none()
        return jobs_for(user=signed_in(self.request.user))


class JobDetailView(APIView):
    """A job's status, progress and, when an import was refused, every error
    by sheet, row and column."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=JobDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(JobDetailSerializer(job_for(user=signed_in(request.user), pk=pk)).data)


class JobDownloadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=DOWNLOAD_RESPONSES)
    def get(self, request: Request, pk: int) -> HttpResponseBase:
        job = job_for(user=signed_in(request.user), pk=pk)
        if job.status != Job.Status.DONE or not job.result:
            raise Http404
        return serve_file(job.result, filename=job.result_name)


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(validators=[validate_upload])
    sheet = serializers.ChoiceField(
        choices=[(name, name) for name in SHEETS],
        required=False,
        allow_blank=True,
        help_text=_("Which sheet a CSV file holds; workbooks name their sheets."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        name = attrs["file"].name.lower()
        if not name.endswith(".xlsx") and not attrs.get("sheet"):
            raise serializers.ValidationError({"sheet": _("Say which sheet this CSV file holds.")})
        return attrs


class ImportView(APIView):
    """Upload a workbook or a CSV file; answers 202 with the job to poll."""

    permission_classes = [IsRegulator]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": ImportSerializer}, responses={202: JobSerializer}
    )
    def post(self, request: Request) -> Response:
        body = ImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = job_create(
            owner=signed_in(request.user),
            kind=Job.Kind.IMPORT,
            params={"sheet": body.validated_data.get("sheet", ""), "language": get_language()},
            upload=body.validated_data["file"],
        )
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportTemplateView(APIView):
    """The import template: `events`, `registrations` or `contracts` as .xlsx
    or .csv, or `workbook.xlsx` with all three sheets. Headings follow the
    request's language (Accept-Language: zh-hans for Chinese)."""

    permission_classes = [IsRegulator]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, name: str, fmt: str) -> HttpResponse:
        chinese = (get_language() or "").startswith("zh")
        try:
            data, content_type, filename = template_download(name, fmt, chinese=chinese)
        except LookupError:
            raise Http404 from None
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ReportRequestSerializer(serializers.Serializer):
    campaign = serializers.SlugRelatedField(
        slug_field="slug", queryset=Campaign.objects.all(), required=False
    )
    province = serializers.PrimaryKeyRelatedField(queryset=Province.objects.all(), required=False)
    event = serializers.SlugRelatedField(
        slug_field="slug", queryset=Event.objects.all(), required=False
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("campaign")) == bool(attrs.get("event")):
            raise serializers.ValidationError(
                {"campaign": _("Give a campaign or an event, not both.")}
            )
        return attrs


class ReportView(APIView):
    """Ask for the PDF report of a campaign (optionally one host province) or
    of one event; answers 202 with the job to poll."""

    permission_classes = [IsRegulator]

    @extend_schema(request=ReportRequestSerializer, responses={202: JobSerializer})
    def post(self, request: RegulatorRequest) -> Response:
        body = ReportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data.get("event"):
            params = {"event": data["event"].slug}
        else:
            params = {"campaign": data["campaign"].slug}
            if data.get("province"):
                params["province"] = data["province"].pk
        report_scope(params=params, jurisdiction=request.jurisdiction)
        job = job_create(
            owner=signed_in(request.user),
            kind=Job.Kind.REPORT,
            params={**params, "language": get_language()},
        )
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
