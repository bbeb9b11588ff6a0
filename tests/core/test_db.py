"""Which database a selector reads (core.db.reading): the replica only in a
request that has written nothing, and only when one is configured."""

from __future__ import annotations

from django.test import Client

from accounts.models import User
from core.db import reading, request_reads
from tests.replica import BOTH, tables_used

pytestmark = BOTH


def test_a_safe_request_reads_the_replica_until_it_writes(replica):
    with request_reads(method="GET"):
        assert reading() == "replica"
        User.objects.filter(pk=0).update(is_active=False)
        assert reading() == "default"


def test_a_request_that_may_write_never_reads_the_replica(replica):
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        with request_reads(method=method):
            assert reading() == "default"


def test_tasks_and_commands_read_default(replica):
    assert reading() == "default"


def test_without_the_setting_nothing_reads_the_replica():
    client = Client()
    client.force_login(User.objects.get(email="regulator@example.com"))

    with tables_used() as used:
        dashboard = client.get("/dashboard/")
        catalogue = client.get("/products/")
        with request_reads(method="GET"):
            alias = reading()

    assert dashboard.status_code == 200 and catalogue.status_code == 200
    assert alias == "default"
    assert used.replica == set()
    assert {"dashboards_cell", "products_product"} <= used.default
