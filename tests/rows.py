"""Reading the rows a test builds on."""

from __future__ import annotations

from typing import TypeVar

import pytest
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def first(rows: QuerySet[M]) -> M:
    """The row `rows.first()` picks, which the test needs to exist (in the demo
    campaign, usually): the test fails saying so when there is none."""
    row = rows.first()
    if row is None:
        pytest.fail(f"No {rows.model.__name__} row to test with.")
    return row
