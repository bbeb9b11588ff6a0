from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo campaign's rollups, built once, as `make run` leaves them."""
    with django_db_blocker.unblock():
        call_command("rebuild_rollups", verbosity=0)
