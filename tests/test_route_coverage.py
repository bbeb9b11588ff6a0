"""Every URL of the portal has rows in a permission table."""

from __future__ import annotations

import importlib
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

TESTS = Path(__file__).parent
# Django's own admin has its own permission system and tests.
EXEMPT_NAMESPACES = {"admin"}


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


def tabled_routes() -> set[str]:
    names: set[str] = set()
    for path in TESTS.rglob("test_permissions*.py"):
        module_name = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        module = importlib.import_module(module_name)
        names |= {route.url_name for route in module.ROUTES}
    return names


def test_every_url_has_rows_in_a_permission_table():
    missing = named_patterns(get_resolver()) - tabled_routes()
    assert missing == set(), f"add permission rows for: {sorted(missing)}"


def test_the_tables_name_no_url_that_does_not_exist():
    stale = tabled_routes() - named_patterns(get_resolver())
    assert stale == set()
