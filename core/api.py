"""API conventions every app shares: pagination and one error body shape."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from django import forms
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import URLPattern, path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.csrf import csrf_exempt
from django_filters import FilterSet
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import Conflict
from core.limits import FILE_TOO_LARGE, FILE_TYPE_REFUSED, ID_MAX, NOTE_MAX_LENGTH
from core.models import WebAddressField
from core.parsers import RequestTooLarge
from core.workflow import Action, Workflow


def asks_for_filters(request: Request, filterset_class: type[FilterSet]) -> bool:
    """Whether the query names any of the FilterSet's filters. Without one a
    list has nothing to check or apply: building the filter form would cost
    a third of the page."""
    return bool(request.query_params.keys() & filterset_class.base_filters.keys())


class Pagination(PageNumberPagination):
    """Pages of 25 by default, at most 200. A page or page size that is not a
    positive whole number is bad input (400); a page past the last is 404."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        errors = {
            name: [_("Enter a whole number of 1 or more.")]
            for name in (self.page_query_param, self.page_size_query_param)
            if name in request.query_params and not _positive_int(request.query_params[name])
        }
        if errors:
            raise exceptions.ValidationError(errors)
        return super().paginate_queryset(queryset, request, view)


def _positive_int(text: str) -> bool:
    return text.isascii() and text.isdigit() and int(text) > 0


@csrf_exempt  # a POST to no endpoint is a 404 too, not a CSRF page
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any address under /api/ that names no endpoint: the API's 404, not a page."""
    return JsonResponse(
        {"detail": _("No endpoint at this address."), "code": "not_found"}, status=404
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer every error as {"detail", "code"} plus, for bad input, "fields"
    with the messages of each field. Model validation errors raised by
    services become 400s with field messages, never 500s."""
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc), "code": exc.code}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        exc = RequestTooLarge()
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
    if isinstance(exc, UploadRefused):
        response.data = {"detail": str(exc.detail), "code": exc.code, "fields": exc.fields}
        return response
    if isinstance(exc, exceptions.ValidationError):
        fields = field_messages(response.data)
        response.data = {"detail": _("Invalid input."), "code": "invalid", "fields": fields}
        return response
    codes = exc.get_codes()
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    response.data = {"detail": str(detail), "code": codes if isinstance(codes, str) else "error"}
    return response


def field_messages(errors: Any) -> dict[str, list[str]]:
    """DRF's messages of bad input as the error schema says: under each field
    the client sent, a list of strings. A message about an item of a list
    (DRF nests those by position) stays under its field and names the item,
    so a client shows it beside the field it came from."""
    if not isinstance(errors, Mapping):
        errors = {"non_field_errors": errors}
    return {str(name): _messages(value) for name, value in errors.items()}


def _messages(errors: Any) -> list[str]:
    if isinstance(errors, Mapping):
        entries: Iterable[tuple[Any, Any]] = errors.items()
    elif isinstance(errors, list) and any(isinstance(item, Mapping | list) for item in errors):
        entries = enumerate(errors)  # a list of objects: one entry per item
    else:
        return [str(message) for message in (errors if isinstance(errors, list) else [errors])]
    messages = []
    for key, value in entries:
        for message in _messages(value):
            if str(key).isdigit():
                number = int(key) + 1
                messages.append(
                    _("Item %(number)s: %(message)s") % {"number": number, "message": message}
                )
            else:  # a field of a nested object
                messages.append(f"{key}: {message}")
    return messages


FIELDS_HELP = (
    "The messages of each field of bad input, under the field's name. A "
    "message about an item of a list names the item: `Item 2: …`. Messages "
    "about the input as a whole are under `non_field_errors`."
)

# The body of every error: what went wrong, a stable code, and for bad input
# the messages of each field ("fields" would shadow a serializer's own
# attribute of that name, hence the inline declaration).
ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text=FIELDS_HELP,
        ),
    },
)

ERROR_RESPONSES: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409), ErrorSerializer)

# What any operation may answer, in the error shape, whatever its view says:
# bad input or paging, a missing or bad token, a refusal, nothing there, an
# Accept header the API cannot meet, too many requests, the database busy.
_ANY_OPERATION = {
    "400": "Invalid input: the body, the query or the paging.",
    "401": "Not signed in, or the token is not valid.",
    "403": "Signed in, but not allowed.",
    "404": "Nothing at this address that the reader may see.",
    "406": "The Accept header asks for something other than JSON.",
    "429": "Too many requests: try again after Retry-After seconds.",
    "503": "The database is busy: try again after Retry-After seconds.",
}
# What an operation that changes something may answer besides: the
# services refuse a change that the object's state does not allow.
_WRITES = {
    "409": "The object's state does not allow this change (`code` says why).",
}
# And what an operation that takes a body may answer besides.
_WITH_BODY = {
    "413": "The request body is too large.",
    "415": "The body's Content-Type is not one the operation reads.",
}


def document_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS): every
    operation documents each error status it can answer, with the error
    schema, so a client generated from the schema meets no answer it was not
    told about. What a view declares itself (its own 400, 409…) is kept."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    if "Error" not in schemas:
        schemas["Error"] = {
            "type": "object",
            "properties": {
                "detail": {"type": "string"},
                "code": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": FIELDS_HELP,
                },
            },
            "required": ["detail", "code"],
        }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete", "head", "options"):
                continue
            responses = operation.setdefault("responses", {})
            statuses = dict(_ANY_OPERATION)
            if "requestBody" in operation or method in ("post", "put", "patch"):
                statuses.update(_WITH_BODY)
            if method in ("post", "put", "patch", "delete") and operation.get("security") != [{}]:
                statuses.update(_WRITES)
            if not any(operation.get("security", [{"default": []}])):
                # It reads no credentials (the token sign-in): none to refuse.
                del statuses["401"]
            for code, description in statuses.items():
                responses.setdefault(code, {"content": error, "description": description})
    return result


# --- lists that an APIView answers a page at a time


class PagedView(APIView):
    """An APIView whose GET answers its rows a page at a time, in the body of
    the generic list views (count, next, previous, results): declaring the
    pagination class here is what makes the schema document that body and
    the `page` and `page_size` parameters rather than a bare array."""

    pagination_class: type[Pagination] = Pagination

    def page_of(self, rows: Any, serialize: Callable[[list[Any]], Any]) -> Response:
        """One page of `rows` (a queryset or a list), each serialized by
        `serialize(page)`; bad paging is a 400, a page past the last a 404."""
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, self.request, view=self)
        return paginator.get_paginated_response(serialize(list(page or [])))


# --- fields of what clients send: ids and notes within their limits (core.limits)


def id_field(**kwargs: Any) -> serializers.IntegerField:
    """A row's id as a client sends it: a whole number a primary key can hold."""
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


def id_list_field(**kwargs: Any) -> serializers.ListField:
    """A list of row ids; at most 1,000 of them."""
    kwargs.setdefault("max_length", 1_000)
    return serializers.ListField(child=id_field(), **kwargs)


def note_field(**kwargs: Any) -> serializers.CharField:
    kwargs.setdefault("max_length", NOTE_MAX_LENGTH)
    return serializers.CharField(**kwargs)


# --- who may write, checked before the body is read


def writers(predicate: Callable[[Any], bool], message: str | Any) -> type[BasePermission]:
    """A permission for an endpoint that anyone (or any signed-in user) may
    read but only some may write to: `predicate(user)` says who may. DRF checks
    it before the view reads the body, so someone who may not write learns
    nothing from what they sent (403 rather than 400 with field messages); a
    visitor is asked to sign in (401)."""

    class Writers(BasePermission):
        def has_permission(self, request: Any, view: Any) -> bool:
            if request.method in SAFE_METHODS:
                return True
            user = request.user
            if not (user and user.is_authenticated):
                return False
            if predicate(user):
                return True
            self.message = str(message)
            return False

    return Writers


# --- links: a model's empty web address is null on the wire, never ""


class LinkField(serializers.URLField):
    """A web address that may be missing: null when there is none (a client
    reading the schema's "uri" must not meet ""), and null or "" sent in
    clears it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["allow_null"] = True
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        empty, value = super().validate_empty_values(data)
        return (True, "") if empty and value is None else (empty, value)

    def to_representation(self, value: Any) -> Any:  # str, or None for no link
        return str(value) if value else None


# Every serializer made from a model shows its web addresses this way.
serializers.ModelSerializer.serializer_field_mapping[WebAddressField] = LinkField


# Subclassed once per history model, with a Meta that names it.
class StatusChangeSerializer(serializers.ModelSerializer):
    """One step of the record's status history: from which status to which,
    who made it, when and with what note."""

    actor: serializers.StringRelatedField[Any] = serializers.StringRelatedField()

    class Meta:
        fields = ["from_status", "to_status", "actor", "note", "created_at"]


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


# --- a workflow's moves as endpoints: one POST per action


def _bound(value: Any) -> int | None:
    """A form field's limit as the schema states it (a callable limit has none)."""
    return value if isinstance(value, int) else None


@extend_schema_field(OpenApiTypes.BINARY)
class _Upload(serializers.FileField):
    """A file sent in a multipart body: the schema says binary, whatever the
    schema's other content types."""


def _serializer_field(field: forms.Field) -> serializers.Field:
    common: dict[str, Any] = {"required": field.required, "help_text": field.help_text or None}
    if isinstance(field, forms.FileField):
        if getattr(field.widget, "allow_multiple_selected", False):
            return serializers.ListField(child=_Upload(), **common)
        return _Upload(**common)
    if isinstance(field, forms.ModelMultipleChoiceField):
        return id_list_field(**common)
    if isinstance(field, forms.ModelChoiceField):
        return id_field(**common)
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            min_value=_bound(field.min_value),
            max_value=_bound(field.max_value),
            **common,
        )
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(
            min_value=_bound(field.min_value), max_value=_bound(field.max_value), **common
        )
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(**common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**common)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(choices=list(cast(Iterable[Any], field.choices)), **common)
    return serializers.CharField(
        max_length=getattr(field, "max_length", None), allow_blank=not field.required, **common
    )


@functools.cache
def serializer_for_form(form_class: type[forms.Form]) -> type[serializers.Serializer]:
    """The form's fields as a serializer, for the schema only: the API reads a
    move's input with the very form its page uses."""
    fields = {name: _serializer_field(field) for name, field in form_class.base_fields.items()}
    # Named by app and form: two apps may each have a NoteForm.
    app = form_class.__module__.split(".")[0].title()
    return type(f"{app}{form_class.__name__}Input", (serializers.Serializer,), fields)


class UploadRefused(exceptions.APIException):
    """An uploaded file refused as too large (413) or of a type the endpoint
    does not take (415), in the error shape with the messages of each field."""

    def __init__(self, *, status_code: int, code: str, detail: str, fields: Any) -> None:
        super().__init__(detail, code)
        self.status_code = status_code
        self.code = code
        self.fields = fields


# A form's codes for a refused file, and the API's answer to each, the
# larger problem first.
_UPLOAD_REFUSALS = (
    (
        FILE_TOO_LARGE,
        status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        "too_large",
        _lazy("A file is too large."),
    ),
    (
        FILE_TYPE_REFUSED,
        status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        _lazy("A file is not of a type this endpoint takes."),
    ),
)


def read_form(form_class: type[forms.Form], data: Any, **kwargs: Any) -> dict[str, Any]:
    """Validate an API body with a page's form (`files=` the uploads of a
    multipart body): 400 with field messages; 413 or 415 for a file the form
    refuses as too large or of a type it does not take."""
    if not isinstance(data, Mapping):
        raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    form = form_class(data=data, **kwargs)
    if not form.is_valid():
        found = form.errors.get_json_data()
        fields = {name: [error["message"] for error in errors] for name, errors in found.items()}
        codes = {error["code"] for errors in found.values() for error in errors}
        for code, status_code, api_code, detail in _UPLOAD_REFUSALS:
            if code in codes:
                raise UploadRefused(
                    status_code=status_code, code=api_code, detail=str(detail), fields=fields
                )
        raise exceptions.ValidationError(fields)
    return dict(form.cleaned_data)


def move_endpoints(
    workflow: Workflow[Any],
    *,
    route: str,
    name: str,
    fetch: Callable[..., Any],
    respond: Callable[[Request, Any], Response],
    response: type[serializers.Serializer],
) -> list[URLPattern]:
    """One explicit POST endpoint per action of the workflow, at
    `<route><action>/` named `<name>-<action>`: who asks is checked first
    (403), then the input with the action's form (400), then the move (409
    when the status does not allow it). `fetch(request, **url_kwargs)` finds
    the object among those the reader may see (404 otherwise). The moves only
    the portal makes (`by=SYSTEM`) have no endpoint."""
    patterns = []
    for action in workflow.user_actions().values():
        with translation.override("en"):
            sides = ", ".join(sorted(action.by))
            summary = f"{action.label} ({sides})"
        request_body = serializer_for_form(action.form) if action.form else None
        view: type[_MoveView] = extend_schema_view(
            post=extend_schema(
                summary=summary,
                request=request_body,
                responses={200: response, **ERROR_RESPONSES},
                operation_id=f"{workflow.name}_{action.name.replace('-', '_')}",
            )
        )(
            type(
                f"{workflow.name.title()}{action.name.title().replace('-', '')}View",
                (_MoveView,),
                {
                    "workflow": workflow,
                    "move": action,
                    "fetch": staticmethod(fetch),
                    "respond": staticmethod(respond),
                },
            )
        )
        patterns.append(
            path(f"{route}{action.name}/", view.as_view(), name=f"{name}-{action.name}")
        )
    return patterns


class _MoveView(APIView):
    workflow: Workflow[Any]
    move: Action
    fetch: Callable[..., Any]
    respond: Callable[[Request, Any], Response]

    def post(self, request: Request, **kwargs: Any) -> Response:
        obj = self.fetch(request, **kwargs)
        self.workflow.check_side(obj, request.user, self.move.name)
        values = (
            read_form(self.move.form, request.data, files=request.FILES) if self.move.form else {}
        )
        self.workflow.service(self.move.name)(
            **{self.workflow.subject: obj, "actor": request.user, **values}
        )
        return self.respond(request, obj)
