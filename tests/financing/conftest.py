from __future__ import annotations

import pytest

from tests.financing.workflow import Parties, make_parties


@pytest.fixture
def parties() -> Parties:
    """An enterprise and a bank with members, assets and a published product."""
    return make_parties()
