"""The API's body parsers: DRF's own, held to the cap Django holds form
posts to (DATA_UPLOAD_MAX_MEMORY_SIZE, 413 above it), and answering 400 for
JSON nested too deep to read. Settings name them, so this module imports no
DRF views (that would be circular)."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def _read_capped(stream: Any) -> bytes:
    """The body, refused past DATA_UPLOAD_MAX_MEMORY_SIZE (the cap Django
    holds form posts to; the API's parsers read the stream themselves)."""
    cap: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    raw = stream.read() if cap is None else stream.read(cap + 1)
    if cap is not None and len(raw) > cap:
        raise RequestTooLarge()
    return bytes(raw)


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        raw = _read_capped(stream) if stream is not None else b""
        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from None


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        raw = _read_capped(stream) if stream is not None else b""
        return super().parse(io.BytesIO(raw), media_type, parser_context)
