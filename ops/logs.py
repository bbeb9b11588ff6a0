"""Log lines that say which request they belong to (README, Metrics and logs).

RequestIdMiddleware gives every request an id: the proxy's X-Request-ID when
it looks like one, else a new one; it is sent back as X-Request-ID. The id
(and, once the user is known, their id) sit in context variables for as long
as the request runs, so every line logged meanwhile carries them; the
request's own line (logger "ipfin.requests") adds the path, the status and the
duration. A task published during the request carries the id in its message
headers, and the worker puts it back while the task runs: the worker's lines
for that task carry the same request_id.

With LOG_FORMAT=json, JsonFormatter writes each record as one JSON object.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.functional import LazyObject, empty
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
# The request's user as Django holds it (lazily): read only once something
# else has loaded it, so logging never costs a query.
current_user: ContextVar[Any] = ContextVar("current_user", default=None)

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
# What a proxy's id looks like (nginx's $request_id is 32 hex digits, others
# send UUIDs): anything else, or nothing, and the portal makes its own.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")

requests_log = logging.getLogger("ipfin.requests")


def new_request_id() -> str:
    return uuid.uuid4().hex


def incoming_request_id(request: HttpRequest) -> str:
    given = request.headers.get(HEADER, "")
    return given if SANE_ID.fullmatch(given) else new_request_id()


class RequestIdMiddleware:
    """First in MIDDLEWARE: every answer, the probes' too, carries the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        rid = incoming_request_id(request)
        # Kept until the response is closed (request_finished, below): Django
        # logs an error answer ("django.request") after the middleware returns.
        request_id.set(rid)
        current_user.set(None)
        response = self.get_response(request)
        response[HEADER] = rid
        self._log(request, response, started)
        return response

    def process_view(self, request: HttpRequest, *args: Any) -> None:
        # The session's user is known from here on (AuthenticationMiddleware).
        current_user.set(getattr(request, "user", None))

    def _log(self, request: HttpRequest, response: HttpResponseBase, started: float) -> None:
        # The API's authentication replaces it with the token's user.
        current_user.set(getattr(request, "user", None))
        requests_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )


@receiver(request_finished)
def _forget_request(**kwargs: Any) -> None:
    request_id.set(None)
    current_user.set(None)


def user_id() -> int | None:
    """The current request's user id, if the request has loaded its user."""
    user = current_user.get()
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            return None
        user = user._wrapped
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return int(user.pk)


class JsonFormatter(BaseJsonFormatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message,
    request_id and user_id, and what the call added (path, status,
    duration_ms…); an exception's traceback as exc_info."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", ["levelname", "name", "message"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        log_data.setdefault("request_id", request_id.get())
        log_data.setdefault("user_id", user_id())


# --- Celery: the id travels in the task's message headers.


@before_task_publish.connect
def _send_request_id(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    rid = request_id.get()
    if rid and headers is not None:
        headers.setdefault(TASK_HEADER, rid)


_task_tokens: dict[str, Token[str | None]] = {}


@task_prerun.connect
def _restore_request_id(task_id: str = "", task: Any = None, **kwargs: Any) -> None:
    # A task run in-process (eager) is already inside its request's context.
    rid = getattr(getattr(task, "request", None), TASK_HEADER, None) or request_id.get()
    _task_tokens[task_id] = request_id.set(rid)


@task_postrun.connect
def _forget_request_id(task_id: str = "", **kwargs: Any) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        request_id.reset(token)
