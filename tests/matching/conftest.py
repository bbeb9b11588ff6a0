from __future__ import annotations

import pytest

from matching.profiles import forget


@pytest.fixture(autouse=True)
def _fresh_matching_caches():
    """The catalogue cache is per process; each test starts from its own rows."""
    forget()
    yield
    forget()
