"""Every URL of the portal has rows in a permission table."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls import path as url_path
from django.urls.resolvers import RegexPattern

TESTS = Path(__file__).parent
# Django's own admin has its own permission system and tests.
EXEMPT_NAMESPACES = {"admin"}
# The portal's own code: its views are covered method by method.
PORTAL_PACKAGES = {app.split(".")[0] for app in settings.PORTAL_APPS} | {"ipfin"}


def named_patterns(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            names |= named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"unnamed URL pattern {pattern.pattern}: name it"
            names.add(f"{namespace}{pattern.name}")
    return names


# Function views of the portal that answer whatever method they are sent, and why.
ANY_METHOD = {
    # Any address under /api/ that names no endpoint: 404 to every method,
    # since no method makes it an endpoint.
    "api-not-found": "the API's 404 for addresses that name no endpoint",
}
# Methods every view answers without a row: HEAD is GET without the body,
# OPTIONS describes the view.
IMPLIED = {"HEAD", "OPTIONS"}


def portal_patterns(
    resolver: URLResolver, namespace: str = ""
) -> list[tuple[str, Callable[..., Any]]]:
    """(URL name, view) of every pattern outside the exempt namespaces."""
    found: list[tuple[str, Callable[..., Any]]] = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += portal_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            found.append((f"{namespace}{pattern.name}", pattern.callback))
    return found


def is_portal_code(obj: object) -> bool:
    return obj.__module__.split(".")[0] in PORTAL_PACKAGES


def view_methods(resolver: URLResolver) -> set[tuple[str, str]]:
    """(URL name, method) for every view of the portal: the methods it
    answers, whatever a form or a page offers. A class-based view's (DRF's
    included) are read from its handlers or its viewset's actions; a
    function view's from `@methods` (core.http). A library's own view
    (sign-in, second factor, a static file) is left to its name's rows."""
    pairs: set[tuple[str, str]] = set()
    for name, callback in portal_patterns(resolver):
        actions = getattr(callback, "actions", None)  # a DRF viewset's routes
        view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if actions:
            methods = {m.upper() for m in actions}
        elif view_class is not None:
            methods = {
                m.upper()
                for m in view_class.http_method_names
                if m.upper() not in IMPLIED and hasattr(view_class, m)
            }
        else:
            methods = set(getattr(callback, "http_methods", ())) - IMPLIED
        if not is_portal_code(view_class or callback):
            continue
        pairs |= {(name, method) for method in methods}
    return pairs


def undeclared_function_views(resolver: URLResolver) -> set[str]:
    """URL names of the portal's function views that do not say which
    methods they answer."""
    return {
        name
        for name, callback in portal_patterns(resolver)
        if getattr(callback, "cls", None) is None
        and getattr(callback, "view_class", None) is None
        and is_portal_code(callback)
        and not hasattr(callback, "http_methods")
        and name not in ANY_METHOD
    }


def tabled_rows() -> set[tuple[str, str]]:
    rows: set[tuple[str, str]] = set()
    for path in TESTS.rglob("test_permissions*.py"):
        module_name = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        module = importlib.import_module(module_name)
        rows |= {(route.url_name, route.method) for route in module.ROUTES}
    return rows


def tabled_routes() -> set[str]:
    return {name for name, _method in tabled_rows()}


def test_every_url_has_rows_in_a_permission_table():
    missing = named_patterns(get_resolver()) - tabled_routes()
    assert missing == set(), f"add permission rows for: {sorted(missing)}"


def test_the_tables_name_no_url_that_does_not_exist():
    stale = tabled_routes() - named_patterns(get_resolver())
    assert stale == set()


def test_every_method_a_view_answers_has_rows():
    """Coverage by (route, method): a list endpoint that also takes POST,
    a page that takes its own form, need a row for the POST."""
    missing = view_methods(get_resolver()) - tabled_rows()
    assert missing == set(), f"add permission rows for: {sorted(missing)}"


def test_every_portal_function_view_declares_its_methods():
    """Without `@methods` a function view answers every method, and the
    coverage above cannot see which: each one says what it takes."""
    undeclared = undeclared_function_views(get_resolver())
    assert undeclared == set(), f"declare @methods(...) (core.http) on: {sorted(undeclared)}"


def test_the_views_allowed_any_method_exist_and_declare_none():
    views = dict(portal_patterns(get_resolver()))
    for name in ANY_METHOD:
        assert name in views, f"{name} is allowed any method but is no URL"
        assert not hasattr(views[name], "http_methods"), f"{name} declares its methods now"


def test_the_coverage_reads_a_views_methods_and_finds_a_view_without_them():
    """The checks above on a URLconf of two portal views: one declares GET
    and POST, the other is the home page without its `@methods`."""
    from ipfin.views import home
    from knowledge.views import create

    urlconf = URLResolver(
        RegexPattern(r"^/"),
        [
            url_path("new/", create, name="new"),
            url_path("bare/", inspect.unwrap(home), name="bare"),
        ],
    )
    assert view_methods(urlconf) == {("new", "GET"), ("new", "POST")}
    assert undeclared_function_views(urlconf) == {"bare"}
