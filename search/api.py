"""GET /api/v1/search/?q=…: the search box's results, a page at a time."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import NamedChoiceField, PagedView
from search.models import Kind
from search.selectors import QUERY_MAX_LENGTH, RankedResults, Result


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=QUERY_MAX_LENGTH,
        help_text=_(
            "What to look for. Chinese needs no spaces: the query is cut into words "
            "and every word must be found."
        ),
    )
    kind = NamedChoiceField(
        component="SearchKindEnum",
        choices=Kind.choices,
        required=False,
        read_only=False,
        help_text=_("Only results of this kind."),
    )


class SearchResultSerializer(serializers.Serializer):
    kind = NamedChoiceField(component="SearchKindEnum", choices=Kind.choices)
    title = serializers.CharField(
        source="plain_title", help_text=_("In the language of the request.")
    )
    summary = serializers.CharField(
        source="plain_summary", help_text=_("A few lines of its description; may be empty.")
    )
    url = serializers.CharField(help_text=_("The page the result opens, on this site."))


class SearchApi(PagedView):
    """Products, events, institutions and knowledge items, and the
    enterprises you may open, that hold every word of `q`; the best first.
    A visitor finds only what is public."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[SearchQuerySerializer], responses=SearchResultSerializer(many=True))
    def get(self, request: Request) -> Response:
        asked = SearchQuerySerializer(data=request.query_params)
        asked.is_valid(raise_exception=True)
        data: dict[str, Any] = asked.validated_data
        ranked = RankedResults(query=data["q"], user=request.user, kind=data.get("kind"))

        def serialize(page: list[Result]) -> Any:
            return SearchResultSerializer(page, many=True).data

        return self.page_of(ranked, serialize)
