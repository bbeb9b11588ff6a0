"""Downloads at the same moment are each counted once per visitor per day, and
the collection's counter ends equal to its rows. Needs real concurrency, so
PostgreSQL and committed data (tests/conftest.py reloads the demo campaign
after the flush)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from knowledge.models import Collection, CollectionDownload
from knowledge.services import collection_download_record
from tests.financing.test_concurrency import at_once

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]
DAY = dt.date(2021, 3, 1)


@pytest.fixture
def collection() -> Collection:
    return Collection.objects.create(title_zh="并发下载", published_on=DAY)


def test_one_visitor_downloading_many_times_at_once_counts_once(collection):
    outcomes = at_once(
        *[
            lambda: collection_download_record(collection=collection, visitor="anon:same", day=DAY)
            for _ in range(8)
        ]
    )

    assert sorted(outcomes, key=str) == [False] * 7 + [True], outcomes
    collection.refresh_from_db()
    assert collection.download_count == 1
    assert CollectionDownload.objects.filter(collection=collection).count() == 1


def test_many_visitors_at_once_each_count_and_the_counter_equals_the_rows(collection):
    outcomes = at_once(
        *[
            lambda n=n: collection_download_record(
                collection=collection, visitor=f"anon:{n}", day=DAY
            )
            for n in range(8)
        ]
    )

    assert outcomes == [True] * 8, outcomes
    collection.refresh_from_db()
    assert CollectionDownload.objects.filter(collection=collection).count() == 8
    assert collection.download_count == 8
