from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import RegulatorOffice, User
from core.exceptions import Conflict
from events.models import Campaign, Event
from knowledge.models import (
    Collection,
    CollectionDownload,
    Level,
    MediaReport,
    Policy,
    TrainingSession,
    TypicalCase,
)
from knowledge.services import (
    collection_download_record,
    download_visitor,
    knowledge_create,
    knowledge_delete,
    knowledge_update,
)
from parks.models import Park
from tests.knowledge.conftest import GUANGDONG, ZHEJIANG
from tests.rows import first

pytestmark = pytest.mark.django_db


@pytest.fixture
def zhejiang_regulator() -> User:
    return User.objects.get(email="zhejiang.regulator@example.com")


@pytest.fixture
def national_regulator() -> User:
    return User.objects.get(email="regulator@example.com")


def case_fields(province: str, **extra):
    return {
        "title_zh": "专利质押助企业扩产",
        "province": province,
        "published_on": dt.date(2021, 1, 5),
        "amount": Decimal("3000000"),
        **extra,
    }


def test_a_provincial_regulator_adds_a_case_in_its_province(zhejiang_regulator):
    case = knowledge_create(
        model=TypicalCase,
        actor=zhejiang_regulator,
        ip_kinds=["invention_patent"],
        **case_fields(ZHEJIANG),
    )

    saved = TypicalCase.objects.get(pk=case.pk)
    assert saved.province_id == ZHEJIANG
    assert list(saved.ip_kinds.values_list("code", flat=True)) == ["invention_patent"]


def test_a_provincial_regulator_cannot_add_a_case_elsewhere(zhejiang_regulator):
    before = TypicalCase.objects.count()
    with pytest.raises(PermissionDenied):
        knowledge_create(model=TypicalCase, actor=zhejiang_regulator, **case_fields(GUANGDONG))
    assert TypicalCase.objects.count() == before


def test_the_national_regulator_adds_anywhere(national_regulator):
    case = knowledge_create(model=TypicalCase, actor=national_regulator, **case_fields(GUANGDONG))
    assert TypicalCase.objects.filter(pk=case.pk, province=GUANGDONG).exists()


@pytest.mark.parametrize("email", ["enterprise@example.com", "bank@example.com"])
def test_only_regulators_add_items(email):
    with pytest.raises(PermissionDenied):
        knowledge_create(
            model=TypicalCase, actor=User.objects.get(email=email), **case_fields(ZHEJIANG)
        )


def test_no_one_moves_an_item_out_of_their_reach(zhejiang_regulator):
    case = first(TypicalCase.objects.filter(province=ZHEJIANG))
    with pytest.raises(PermissionDenied):
        knowledge_update(item=case, actor=zhejiang_regulator, province=GUANGDONG)
    case.refresh_from_db()
    assert case.province_id == ZHEJIANG


def test_an_unknown_ip_kind_is_a_field_error_and_nothing_is_saved(zhejiang_regulator):
    before = TypicalCase.objects.count()
    with pytest.raises(ValidationError) as error:
        knowledge_create(
            model=TypicalCase,
            actor=zhejiang_regulator,
            ip_kinds=["nonsense"],
            **case_fields(ZHEJIANG),
        )
    assert "ip_kinds" in error.value.message_dict
    assert TypicalCase.objects.count() == before


@pytest.mark.parametrize(
    ("level", "province", "field"),
    [(Level.NATIONAL, ZHEJIANG, "province"), (Level.PROVINCIAL, None, "province")],
)
def test_a_policy_names_a_region_unless_it_is_national(national_regulator, level, province, field):
    with pytest.raises(ValidationError) as error:
        knowledge_create(
            model=Policy,
            actor=national_regulator,
            title_zh="政策",
            issuer_zh="发文机关",
            level=level,
            province=province,
            issued_on=dt.date(2021, 2, 1),
        )
    assert field in error.value.message_dict


def test_a_training_session_is_held_in_a_park_of_its_province(zhejiang_regulator):
    guangdong_park = first(Park.objects.filter(province=GUANGDONG))
    with pytest.raises(ValidationError) as error:
        knowledge_create(
            model=TrainingSession,
            actor=zhejiang_regulator,
            title_zh="培训",
            province=ZHEJIANG,
            park=guangdong_park,
            held_on=dt.date(2021, 1, 8),
        )
    assert "park" in error.value.message_dict


def test_a_media_report_takes_its_events_campaign(zhejiang_regulator):
    event = first(Event.objects.filter(host_province=ZHEJIANG, campaign__isnull=False))
    report = knowledge_create(
        model=MediaReport,
        actor=zhejiang_regulator,
        title="浙江站活动报道",
        outlet_zh="浙江日报",
        published_on=dt.date(2020, 11, 20),
        event=event,
    )
    assert MediaReport.objects.get(pk=report.pk).campaign_id == event.campaign_id


def test_a_provincial_regulator_reports_only_on_its_provinces_events(zhejiang_regulator):
    for event in (None, first(Event.objects.filter(host_province=GUANGDONG))):
        with pytest.raises(PermissionDenied):
            knowledge_create(
                model=MediaReport,
                actor=zhejiang_regulator,
                title="报道",
                outlet_zh="南方日报",
                published_on=dt.date(2020, 12, 1),
                event=event,
            )


def test_the_same_headline_from_the_same_outlet_is_refused(national_regulator):
    existing = first(MediaReport.objects.all())
    with pytest.raises(ValidationError):
        knowledge_create(
            model=MediaReport,
            actor=national_regulator,
            title=existing.title,
            outlet_zh=existing.outlet_zh,
            published_on=dt.date(2020, 12, 1),
        )


def test_a_file_of_another_type_is_refused(national_regulator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as error:
        knowledge_create(
            model=Policy,
            actor=national_regulator,
            title_zh="政策",
            issuer_zh="国家知识产权局",
            level=Level.NATIONAL,
            issued_on=dt.date(2021, 2, 1),
            file=SimpleUploadedFile("run.exe", b"MZ"),
        )
    assert "file" in error.value.message_dict
    assert not list(tmp_path.rglob("*"))


def test_a_replaced_file_leaves_storage_after_the_commit(
    national_regulator, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    policy = first(Policy.objects.filter(level=Level.NATIONAL))
    policy.file.save("old.pdf", ContentFile(b"%PDF old"), save=True)
    old = tmp_path / policy.file.name

    with django_capture_on_commit_callbacks(execute=True):
        knowledge_update(
            item=policy, actor=national_regulator, file=SimpleUploadedFile("new.pdf", b"%PDF new")
        )

    policy.refresh_from_db()
    assert not old.exists()
    assert (tmp_path / policy.file.name).read_bytes() == b"%PDF new"


def test_a_downloaded_collection_is_not_deleted(zhejiang_regulator):
    collection = first(Collection.objects.filter(province=ZHEJIANG, downloads__isnull=False))
    with pytest.raises(Conflict):
        knowledge_delete(item=collection, actor=zhejiang_regulator)
    assert Collection.objects.filter(pk=collection.pk).exists()


def test_a_collection_never_downloaded_is_deleted(zhejiang_regulator):
    office = RegulatorOffice.objects.get(code="zhejiang-ip-office")
    collection = Collection.objects.create(
        title_zh="新汇编", province_id=ZHEJIANG, publisher=office, published_on=dt.date(2021, 3, 1)
    )
    knowledge_delete(item=collection, actor=zhejiang_regulator)
    assert not Collection.objects.filter(pk=collection.pk).exists()


# ---------------------------------------------------------------- downloads


@pytest.fixture
def collection() -> Collection:
    return Collection.objects.create(
        title_zh="下载测试",
        campaign=first(Campaign.objects.all()),
        published_on=dt.date(2021, 3, 1),
    )


def test_a_download_counts_once_per_visitor_per_day(collection):
    day = dt.date(2021, 3, 1)
    outcomes = [
        collection_download_record(collection=collection, visitor="anon:a", day=day),
        collection_download_record(collection=collection, visitor="anon:a", day=day),
        collection_download_record(collection=collection, visitor="anon:b", day=day),
        collection_download_record(
            collection=collection, visitor="anon:a", day=day + dt.timedelta(days=1)
        ),
    ]

    assert outcomes == [True, False, True, True]
    collection.refresh_from_db()
    assert collection.download_count == 3
    assert CollectionDownload.objects.filter(collection=collection).count() == 3


def test_the_counter_matches_the_rows_even_when_it_was_off(collection):
    Collection.objects.filter(pk=collection.pk).update(download_count=40)
    CollectionDownload.objects.create(collection=collection, visitor="x", day=dt.date(2021, 3, 1))

    collection_download_record(collection=collection, visitor="y", day=dt.date(2021, 3, 1))

    collection.refresh_from_db()
    assert collection.download_count == 2


def test_a_signed_in_visitor_is_their_account(zhejiang_regulator):
    visitor = download_visitor(user=zhejiang_regulator, address="10.0.0.1")
    assert visitor == f"user:{zhejiang_regulator.pk}"


def test_an_anonymous_visitor_is_a_hash_of_their_network_never_the_address():
    anonymous = AnonymousUser()
    first = download_visitor(user=anonymous, address="203.0.113.7")
    again = download_visitor(user=anonymous, address="203.0.113.7")
    other_address = download_visitor(user=anonymous, address="203.0.113.8")
    same_v6_64 = {
        download_visitor(user=anonymous, address=f"2001:db8:1:2::{n:x}") for n in range(1, 50)
    }
    other_v6_64 = download_visitor(user=anonymous, address="2001:db8:1:3::1")

    assert first == again
    assert first != other_address
    assert len(same_v6_64) == 1
    assert other_v6_64 not in same_v6_64
    assert "203.0.113" not in first
    max_length = CollectionDownload._meta.get_field("visitor").max_length
    assert max_length is not None
    assert len(first) <= max_length


def test_the_seeded_figures_hold(django_assert_max_num_queries):
    guangdong = Collection.objects.get(province=GUANGDONG)
    assert guangdong.downloads.filter(day=guangdong.published_on).count() == 677
    assert TrainingSession.objects.filter(province=ZHEJIANG).count() > 30
    assert MediaReport.objects.count() > 100
