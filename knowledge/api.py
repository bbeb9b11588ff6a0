"""The knowledge API: every kind is public to read, with the pages' filters;
regulators create, change and delete the items of their jurisdiction."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import RegulatorOffice
from accounts.selectors import regulator_jurisdiction
from core.api import NamedChoiceField, writers
from core.auth import signed_in
from core.limits import TEXT_MAX_LENGTH
from core.models import Province
from events.models import Campaign, Event
from knowledge import filters, selectors, services
from knowledge.kinds import KINDS
from knowledge.models import (
    Collection,
    CooperationAgreement,
    Level,
    MediaReport,
    Policy,
    TrainingSession,
    TypicalCase,
)
from parks.models import Park
from products.api import InstitutionBriefSerializer, ProvinceSerializer
from products.models import Institution

TITLED = ["title_zh", "title_en", "summary_zh", "summary_en"]

# ---------------------------------------------------------------- output


class KnowledgeOfficeSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegulatorOffice
        fields = ["id", "code", "name_zh", "name_en"]


class KnowledgeCampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["slug", "name_zh", "name_en"]


class KnowledgeParkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Park
        fields = ["slug", "name_zh", "name_en"]


class KnowledgeEventSerializer(serializers.ModelSerializer):
    host_province = serializers.CharField(source="host_province_id", read_only=True)

    class Meta:
        model = Event
        fields = ["slug", "title_zh", "title_en", "host_province"]


def _absolute(request: Request | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class PolicySerializer(serializers.ModelSerializer):
    level = NamedChoiceField(component="PolicyLevelEnum", choices=Level.choices)
    province = ProvinceSerializer(read_only=True, allow_null=True)
    file_url = serializers.SerializerMethodField(
        help_text=_("Where to download the policy's document; null when it has none.")
    )

    class Meta:
        model = Policy
        fields = [
            "id",
            *TITLED,
            "issuer_zh",
            "issuer_en",
            "level",
            "province",
            "issued_on",
            "document_number",
            "url",
            "file_url",
            "created_at",
        ]
        read_only_fields = fields

    def get_file_url(self, policy: Policy) -> str | None:
        if not policy.file:
            return None
        path = reverse("knowledge:policy-file", kwargs={"pk": policy.pk})
        return _absolute(self.context.get("request"), path)


class TypicalCaseSerializer(serializers.ModelSerializer):
    province = ProvinceSerializer(read_only=True)
    ip_kinds = serializers.SerializerMethodField(help_text=_("IP kind codes."))

    class Meta:
        model = TypicalCase
        fields = [
            "id",
            *TITLED,
            "province",
            "enterprise_name",
            "institution_name",
            "amount",
            "ip_kinds",
            "published_on",
            "created_at",
        ]
        read_only_fields = fields

    def get_ip_kinds(self, case: TypicalCase) -> list[str]:
        # Plain codes: a slug field would name IP kinds' choices a second time
        # in the schema. Read from the prefetched rows, no query per case.
        return [kind.code for kind in case.ip_kinds.all()]


class CollectionSerializer(serializers.ModelSerializer):
    publisher = KnowledgeOfficeSerializer(read_only=True, allow_null=True)
    province = ProvinceSerializer(read_only=True, allow_null=True)
    campaign = KnowledgeCampaignSerializer(read_only=True, allow_null=True)
    downloads = serializers.IntegerField(
        source="download_count",
        read_only=True,
        help_text=_("Counted downloads, once per visitor per day."),
    )
    first_day_downloads = serializers.IntegerField(
        read_only=True, help_text=_("Counted downloads on the day it was published.")
    )
    has_file = serializers.SerializerMethodField(
        help_text=_("False: the download is a workbook listing the contents.")
    )
    download_url = serializers.SerializerMethodField(
        help_text=_("Following this link counts a download.")
    )
    policies: serializers.PrimaryKeyRelatedField[Policy] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    cases: serializers.PrimaryKeyRelatedField[TypicalCase] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Collection
        fields = [
            "id",
            *TITLED,
            "publisher",
            "province",
            "campaign",
            "published_on",
            "is_printed",
            "downloads",
            "first_day_downloads",
            "has_file",
            "download_url",
            "policies",
            "cases",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_file(self, collection: Collection) -> bool:
        return bool(collection.file)

    def get_download_url(self, collection: Collection) -> str:
        path = reverse("knowledge:download", kwargs={"pk": collection.pk})
        return _absolute(self.context.get("request"), path)


class TrainingSessionSerializer(serializers.ModelSerializer):
    province = ProvinceSerializer(read_only=True)
    park = KnowledgeParkSerializer(read_only=True, allow_null=True)
    campaign = KnowledgeCampaignSerializer(read_only=True, allow_null=True)
    organiser = KnowledgeOfficeSerializer(read_only=True, allow_null=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            *TITLED,
            "province",
            "city_zh",
            "city_en",
            "park",
            "campaign",
            "organiser",
            "held_on",
            "participants",
            "created_at",
        ]
        read_only_fields = fields


class MediaReportSerializer(serializers.ModelSerializer):
    campaign = KnowledgeCampaignSerializer(read_only=True, allow_null=True)
    event = KnowledgeEventSerializer(read_only=True, allow_null=True)

    class Meta:
        model = MediaReport
        fields = [
            "id",
            "title",
            "outlet_zh",
            "outlet_en",
            "url",
            "published_on",
            "campaign",
            "event",
            "created_at",
        ]
        read_only_fields = fields


class CooperationAgreementSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(
        component="CooperationAgreementKindEnum", choices=CooperationAgreement.Kind.choices
    )
    office = KnowledgeOfficeSerializer(read_only=True)
    campaign = KnowledgeCampaignSerializer(read_only=True, allow_null=True)
    institutions = InstitutionBriefSerializer(many=True, read_only=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = CooperationAgreement
        fields = [
            "id",
            *TITLED,
            "kind",
            "office",
            "signed_on",
            "campaign",
            "member_count",
            "institutions",
            "created_at",
        ]
        read_only_fields = fields


# ---------------------------------------------------------------- input
# Types only: the services check the rules and the jurisdiction.


class TitledInput(serializers.Serializer):
    title_zh = serializers.CharField(max_length=255)
    title_en = serializers.CharField(max_length=255, required=False, allow_blank=True)
    summary_zh = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)
    summary_en = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)


def _province_field(**kwargs: Any) -> serializers.PrimaryKeyRelatedField:
    kwargs.setdefault("help_text", _("GB/T 2260 code."))
    return serializers.PrimaryKeyRelatedField(queryset=Province.objects.all(), **kwargs)


def _campaign_field() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="slug", queryset=Campaign.objects.all(), required=False, allow_null=True
    )


def _office_field(**kwargs: Any) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(queryset=RegulatorOffice.objects.all(), **kwargs)


class PolicyInputSerializer(TitledInput):
    issuer_zh = serializers.CharField(max_length=255)
    issuer_en = serializers.CharField(max_length=255, required=False, allow_blank=True)
    level = NamedChoiceField(component="PolicyLevelEnum", choices=Level.choices, read_only=False)
    province = _province_field(
        required=False, allow_null=True, help_text=_("GB/T 2260 code; null for national policies.")
    )
    issued_on = serializers.DateField()
    document_number = serializers.CharField(max_length=80, required=False, allow_blank=True)
    url = serializers.URLField(required=False, allow_blank=True)


class TypicalCaseInputSerializer(TitledInput):
    province = _province_field()
    enterprise_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    institution_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )
    # Codes, checked by the service: a related field here would name IP kinds'
    # choices a second time in the schema.
    ip_kinds = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        help_text=_("IP kind codes, e.g. invention_patent."),
    )
    published_on = serializers.DateField()


class CollectionInputSerializer(TitledInput):
    publisher = _office_field(required=False, allow_null=True)
    province = _province_field(required=False, allow_null=True)
    campaign = _campaign_field()
    published_on = serializers.DateField()
    is_printed = serializers.BooleanField(required=False)
    policies = serializers.PrimaryKeyRelatedField(
        queryset=Policy.objects.all(), many=True, required=False
    )
    cases = serializers.PrimaryKeyRelatedField(
        queryset=TypicalCase.objects.all(), many=True, required=False
    )


class TrainingSessionInputSerializer(TitledInput):
    province = _province_field()
    city_zh = serializers.CharField(max_length=60, required=False, allow_blank=True)
    city_en = serializers.CharField(max_length=60, required=False, allow_blank=True)
    park = serializers.SlugRelatedField(
        slug_field="slug", queryset=Park.objects.all(), required=False, allow_null=True
    )
    campaign = _campaign_field()
    organiser = _office_field(required=False, allow_null=True)
    held_on = serializers.DateField()
    participants = serializers.IntegerField(min_value=0, max_value=2147483647, required=False)


class MediaReportInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    outlet_zh = serializers.CharField(max_length=120)
    outlet_en = serializers.CharField(max_length=120, required=False, allow_blank=True)
    url = serializers.URLField(required=False, allow_blank=True)
    published_on = serializers.DateField()
    campaign = _campaign_field()
    event = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Event.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Provincial regulators report on their province's events."),
    )


class CooperationAgreementInputSerializer(TitledInput):
    kind = NamedChoiceField(
        component="CooperationAgreementKindEnum",
        choices=CooperationAgreement.Kind.choices,
        read_only=False,
    )
    office = _office_field()
    signed_on = serializers.DateField()
    campaign = _campaign_field()
    institutions = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.all(), many=True, required=False
    )


# ---------------------------------------------------------------- views


class KnowledgeListApi(ListAPIView):
    """A kind's public list, filtered; regulators add items in their jurisdiction."""

    permission_classes = [
        writers(
            lambda user: regulator_jurisdiction(user=user) is not None,
            _("Only regulators manage the knowledge base."),
        )
    ]
    kind: ClassVar[str]
    input_class: ClassVar[type[serializers.Serializer]]

    def get_queryset(self) -> QuerySet[Model]:
        return selectors.PUBLIC[self.kind]()

    def post(self, request: Request) -> Response:
        services.knowledge_check_actor(actor=request.user)  # who asks, before what they sent
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.knowledge_create(
            model=KINDS[self.kind].model, actor=signed_in(request.user), **data.validated_data
        )
        item = selectors.knowledge_item(kind=KINDS[self.kind], pk=item.pk)
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)


class KnowledgeItemApi(APIView):
    """One item for anyone; its jurisdiction's regulators change or delete it."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    kind: ClassVar[str]
    serializer_class: ClassVar[type[serializers.Serializer]]
    input_class: ClassVar[type[serializers.Serializer]]

    def _item(self, pk: int) -> Any:
        return selectors.knowledge_item(kind=KINDS[self.kind], pk=pk)

    def _out(self, item: Any) -> Response:
        return Response(self.serializer_class(item, context={"request": self.request}).data)

    def get(self, request: Request, pk: int) -> Response:
        return self._out(self._item(pk))

    def patch(self, request: Request, pk: int) -> Response:
        item = self._item(pk)
        services.knowledge_check_actor(actor=request.user, item=item)
        data = self.input_class(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.knowledge_update(item=item, actor=signed_in(request.user), **data.validated_data)
        return self._out(self._item(pk))

    def delete(self, request: Request, pk: int) -> Response:
        services.knowledge_delete(item=self._item(pk), actor=signed_in(request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _list_schema(out: type, into: type) -> Any:
    return extend_schema_view(post=extend_schema(request=into, responses={201: out}))


def _item_schema(out: type, into: type) -> Any:
    return extend_schema_view(
        get=extend_schema(responses=out),
        patch=extend_schema(request=into, responses=out),
        delete=extend_schema(responses={204: None}),
    )


@_list_schema(PolicySerializer, PolicyInputSerializer)
class PolicyListApi(KnowledgeListApi):
    """Policies on IP pledge financing (public)."""

    kind = "policies"
    serializer_class = PolicySerializer
    input_class = PolicyInputSerializer
    filterset_class = filters.PolicyFilter


@_item_schema(PolicySerializer, PolicyInputSerializer)
class PolicyApi(KnowledgeItemApi):
    kind = "policies"
    serializer_class = PolicySerializer
    input_class = PolicyInputSerializer


@_list_schema(TypicalCaseSerializer, TypicalCaseInputSerializer)
class TypicalCaseListApi(KnowledgeListApi):
    """Typical cases of IP pledge financing (public)."""

    kind = "cases"
    serializer_class = TypicalCaseSerializer
    input_class = TypicalCaseInputSerializer
    filterset_class = filters.TypicalCaseFilter


@_item_schema(TypicalCaseSerializer, TypicalCaseInputSerializer)
class TypicalCaseApi(KnowledgeItemApi):
    kind = "cases"
    serializer_class = TypicalCaseSerializer
    input_class = TypicalCaseInputSerializer


@_list_schema(CollectionSerializer, CollectionInputSerializer)
class CollectionListApi(KnowledgeListApi):
    """Downloadable collections with their counted downloads (public)."""

    kind = "collections"
    serializer_class = CollectionSerializer
    input_class = CollectionInputSerializer
    filterset_class = filters.CollectionFilter


@_item_schema(CollectionSerializer, CollectionInputSerializer)
class CollectionApi(KnowledgeItemApi):
    """A collection; one that has been downloaded cannot be deleted (409)."""

    kind = "collections"
    serializer_class = CollectionSerializer
    input_class = CollectionInputSerializer


@_list_schema(TrainingSessionSerializer, TrainingSessionInputSerializer)
class TrainingSessionListApi(KnowledgeListApi):
    """Training sessions held in the parks (public)."""

    kind = "trainings"
    serializer_class = TrainingSessionSerializer
    input_class = TrainingSessionInputSerializer
    filterset_class = filters.TrainingSessionFilter


@_item_schema(TrainingSessionSerializer, TrainingSessionInputSerializer)
class TrainingSessionApi(KnowledgeItemApi):
    kind = "trainings"
    serializer_class = TrainingSessionSerializer
    input_class = TrainingSessionInputSerializer


@_list_schema(MediaReportSerializer, MediaReportInputSerializer)
class MediaReportListApi(KnowledgeListApi):
    """Media reports on the campaign and its events (public)."""

    kind = "media"
    serializer_class = MediaReportSerializer
    input_class = MediaReportInputSerializer
    filterset_class = filters.MediaReportFilter


@_item_schema(MediaReportSerializer, MediaReportInputSerializer)
class MediaReportApi(KnowledgeItemApi):
    kind = "media"
    serializer_class = MediaReportSerializer
    input_class = MediaReportInputSerializer


@_list_schema(CooperationAgreementSerializer, CooperationAgreementInputSerializer)
class CooperationAgreementListApi(KnowledgeListApi):
    """Offices' cooperation agreements and alliances with their member institutions (public)."""

    kind = "agreements"
    serializer_class = CooperationAgreementSerializer
    input_class = CooperationAgreementInputSerializer
    filterset_class = filters.CooperationAgreementFilter


@_item_schema(CooperationAgreementSerializer, CooperationAgreementInputSerializer)
class CooperationAgreementApi(KnowledgeItemApi):
    kind = "agreements"
    serializer_class = CooperationAgreementSerializer
    input_class = CooperationAgreementInputSerializer
