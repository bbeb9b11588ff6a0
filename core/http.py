"""The HTTP methods a page answers.

Every function view of the portal says which methods it answers with
`@methods(...)`: any other method is answered 405 with an `Allow` header
naming the ones it takes (Django's `require_http_methods`), before anything
else about the request is looked at. A page that answers GET answers HEAD
too, as Django's class-based views do. The methods are kept on the view as
`http_methods`, where the permission tables' coverage test reads them
(tests/test_route_coverage.py): every (URL, method) a view answers has rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.http.response import HttpResponseBase
from django.views.decorators.http import require_http_methods

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

KNOWN = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def methods(*names: str) -> Callable[[View], View]:
    """`@methods("GET", "POST")`: the view answers these methods only."""
    declared = [name.upper() for name in names]
    unknown = set(declared) - KNOWN
    if not declared or unknown:
        raise ValueError(f"methods() takes HTTP methods, got {names!r}")
    if "GET" in declared and "HEAD" not in declared:
        declared.append("HEAD")
    accepted = frozenset(declared)

    def decorator(view: View) -> View:
        wrapped: Any = require_http_methods(declared)(view)
        wrapped.http_methods = accepted
        return cast(View, wrapped)

    return decorator
