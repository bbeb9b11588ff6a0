from __future__ import annotations

import pytest
from django.http import Http404

from accounts.models import User
from core.models import IPKind
from knowledge.kinds import KINDS
from knowledge.models import Collection, CollectionDownload, MediaReport, TypicalCase
from knowledge.selectors import (
    collection_download_figures,
    knowledge_list,
    managed_item,
    managed_list,
)
from tests.knowledge.conftest import GUANGDONG, ZHEJIANG
from tests.rows import first

pytestmark = pytest.mark.django_db


def test_the_first_day_count_is_the_rows_of_the_day_of_publication():
    for collection in knowledge_list(kind=KINDS["collections"], filters={}):
        rows = CollectionDownload.objects.filter(
            collection=collection, day=collection.published_on
        ).count()
        assert collection.first_day_downloads == rows


def test_the_download_figures_of_guangdong_count_677_on_the_first_day():
    collection = Collection.objects.get(province=GUANGDONG)
    figures = collection_download_figures(collection=collection)

    assert figures.first_day == 677
    assert figures.by_day[0] == (collection.published_on, 677)
    assert figures.total == collection.downloads.count()


def test_a_case_of_two_ip_kinds_is_listed_once_under_either():
    case = first(TypicalCase.objects.filter(province=ZHEJIANG))
    case.ip_kinds.set(IPKind.objects.filter(code__in=["invention_patent", "utility_model"]))
    for kind in ("invention_patent", "utility_model"):
        found = list(knowledge_list(kind=KINDS["cases"], filters={"ip_kind": kind}))
        assert found.count(case) == 1


def test_most_institutions_first_puts_chongqings_alliance_ahead():
    agreements = list(
        knowledge_list(kind=KINDS["agreements"], filters={"ordering": "-member_count"})
    )
    counts = [a.member_count for a in agreements]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == 18


def test_a_provincial_regulator_manages_its_provinces_items_only():
    zhejiang = User.objects.get(email="zhejiang.regulator@example.com")
    reports = managed_list(kind=KINDS["media"], user=zhejiang)

    assert reports.exists()
    assert set(reports.values_list("event__host_province", flat=True)) == {ZHEJIANG}
    guangdong_case = first(TypicalCase.objects.filter(province=GUANGDONG))
    with pytest.raises(Http404):
        managed_item(kind=KINDS["cases"], user=zhejiang, pk=guangdong_case.pk)


def test_the_national_regulator_manages_every_report_even_those_on_no_event():
    national = User.objects.get(email="regulator@example.com")
    assert managed_list(kind=KINDS["media"], user=national).count() == MediaReport.objects.count()
    assert MediaReport.objects.filter(event__isnull=True).exists()


def test_anyone_else_manages_nothing():
    bank = User.objects.get(email="bank@example.com")
    assert not managed_list(kind=KINDS["policies"], user=bank).exists()
