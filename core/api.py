"""API conventions every app shares: pagination and one error body shape."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters import FilterSet
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import Conflict


def asks_for_filters(request: Request, filterset_class: type[FilterSet]) -> bool:
    """Whether the query names any of the FilterSet's filters. Without one a
    list has nothing to check or apply: building the filter form would cost
    a third of the page."""
    return bool(request.query_params.keys() & filterset_class.base_filters.keys())


class Pagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer every error as {"detail", "code"} plus, for bad input, "fields"
    with the messages of each field. Model validation errors raised by
    services become 400s with field messages, never 500s."""
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc), "code": exc.code}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        messages = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args[:1])
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        data = response.data
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {"detail": _("Invalid input."), "code": "invalid", "fields": fields}
        return response
    codes = exc.get_codes()
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    response.data = {"detail": str(detail), "code": codes if isinstance(codes, str) else "error"}
    return response


class NamedChoiceField(serializers.ChoiceField):
    """A read-only choice documented as an enum component of its own name:
    many models here have a `status` or a `kind`, each with other choices, and
    the schema generator would otherwise have to guess names for them."""

    def __init__(self, *, component: str, **kwargs: Any) -> None:
        self.component = component
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        field = self.target
        component = ResolvedComponent(
            name=field.component,
            type=ResolvedComponent.SCHEMA,
            object=field.component,
            schema={"type": "string", "enum": list(field.choices)},
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref
