"""Every URL of the portal has rows in a permission table."""

from __future__ import annotations

import importlib
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

TESTS = Path(__file__).parent
# Django's own admin has its own permission system and tests.
EXEMPT_NAMESPACES = {"admin"}
# The portal's own code: its class-based views are covered method by method.
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


def class_view_methods(resolver: URLResolver, namespace: str = "") -> set[tuple[str, str]]:
    """(URL name, method) for every class-based view (DRF's included): the
    methods it answers, whatever a form or a page offers. A function view's
    methods cannot be read; its name is covered above."""
    pairs: set[tuple[str, str]] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            pairs |= class_view_methods(pattern, inner)
            continue
        callback = pattern.callback
        actions = getattr(callback, "actions", None)  # a DRF viewset's routes
        view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if actions:
            methods = {m.upper() for m in actions}
        elif view_class is not None:
            methods = {
                m.upper()
                for m in view_class.http_method_names
                if m not in ("head", "options") and hasattr(view_class, m)
            }
        else:
            continue
        if view_class is not None and view_class.__module__.split(".")[0] not in PORTAL_PACKAGES:
            continue  # a library's own view (sign-in, second factor): its name is covered
        pairs |= {(f"{namespace}{pattern.name}", method) for method in methods}
    return pairs


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


def test_every_method_a_class_view_answers_has_rows():
    """Coverage by (route, method): a list endpoint that also takes POST
    needs a row for the POST."""
    missing = class_view_methods(get_resolver()) - tabled_rows()
    assert missing == set(), f"add permission rows for: {sorted(missing)}"
