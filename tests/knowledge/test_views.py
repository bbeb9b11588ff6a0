from __future__ import annotations

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from accounts.models import User
from knowledge.models import (
    Collection,
    CollectionDownload,
    CooperationAgreement,
    MediaReport,
    Policy,
    TrainingSession,
)
from tests.factories import RegulatorOfficeFactory, UserFactory, member_of
from tests.knowledge.conftest import GUANGDONG, ZHEJIANG
from tests.rows import first

pytestmark = pytest.mark.django_db
KINDS = ("policies", "cases", "collections", "trainings", "media", "agreements")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def zhejiang() -> Client:
    client = Client()
    client.force_login(User.objects.get(email="zhejiang.regulator@example.com"))
    return client


# ---------------------------------------------------------------- the campaign's figures


def test_zhejiangs_training_sessions_are_listed_more_than_thirty():
    response = Client().get(f"/knowledge/trainings/?province={ZHEJIANG}")
    assert response.status_code == 200
    assert "32 items found" in text(response)


def test_guangdongs_collection_shows_677_downloads_on_its_first_day():
    collection = Collection.objects.get(province=GUANGDONG)
    page = text(Client().get(f"/knowledge/collections/{collection.pk}/"))
    first_day = re.search(r"On the first day</dt><dd>(\d+)</dd>", page)
    assert first_day and first_day.group(1) == "677"
    listing = text(Client().get("/knowledge/collections/?ordering=-download_count"))
    assert re.search(r'class="number">\d+</td><td class="number">677</td>', listing)


def test_the_media_reports_number_more_than_a_hundred():
    assert "106 items found" in text(Client().get("/knowledge/media/"))


def test_chongqings_office_is_in_agreement_with_13_banks():
    agreement = CooperationAgreement.objects.get(
        office__code="chongqing-ip-office", kind=CooperationAgreement.Kind.AGREEMENT
    )
    page = text(Client().get(f"/knowledge/agreements/{agreement.pk}/"))
    assert "13 member institutions" in page
    assert page.count("<li>") >= 13


def test_the_index_counts_each_kind():
    page = text(Client().get("/knowledge/"))
    # The permission table's world may add a session elsewhere: count the rows.
    trainings = TrainingSession.objects.count()
    assert trainings >= 32
    assert f'Training sessions</a></h2> <p class="count">{trainings}</p>' in page
    assert re.search(r"Media reports</a></h2> <p class=\"count\">106</p>", page)


# ---------------------------------------------------------------- lists


@pytest.mark.parametrize("kind", KINDS)
def test_each_list_takes_a_fixed_number_of_queries(kind, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        response = Client().get(f"/knowledge/{kind}/")
    assert response.status_code == 200


@pytest.mark.parametrize("kind", KINDS)
def test_each_list_reads_in_chinese(kind):
    response = Client().get(f"/zh-hans/knowledge/{kind}/")
    assert response.status_code == 200
    assert "搜索" in response.content.decode()


def test_the_level_filter_keeps_national_policies_only():
    page = text(Client().get("/knowledge/policies/?level=national"))
    national = Policy.objects.filter(level="national").count()
    assert f"{national} items found" in page
    for policy in Policy.objects.exclude(level="national"):
        assert policy.title_en not in page


def test_a_date_range_and_a_search_narrow_the_media_reports():
    report = first(MediaReport.objects.order_by("published_on"))
    day = report.published_on.isoformat()
    on_that_day = MediaReport.objects.filter(published_on=report.published_on)
    page = text(Client().get(f"/knowledge/media/?published_from={day}&published_to={day}"))
    assert f"{on_that_day.count()} item" in page
    searched = text(Client().get("/knowledge/media/", {"q": report.title}))
    assert report.title in searched


def test_a_bad_date_shows_the_message_and_the_unfiltered_list():
    response = Client().get("/knowledge/trainings/?held_from=yesterday")
    assert response.status_code == 200
    assert "Enter a valid date." in text(response)


def test_nothing_found_says_so():
    page = text(Client().get("/knowledge/cases/?q=no-such-case-anywhere"))
    assert "Nothing matches this search" in page


def test_an_unknown_item_is_404():
    assert Client().get("/knowledge/policies/999999/").status_code == 404


# ---------------------------------------------------------------- downloads


def test_a_visitor_downloading_twice_in_a_day_counts_once():
    collection = Collection.objects.get(province=GUANGDONG)
    before = CollectionDownload.objects.filter(collection=collection).count()
    client = Client(HTTP_USER_AGENT="Firefox", REMOTE_ADDR="203.0.113.5")

    first = client.get(f"/knowledge/collections/{collection.pk}/download/")
    client.get(f"/knowledge/collections/{collection.pk}/download/")

    assert first.status_code == 200
    collection.refresh_from_db()
    assert collection.download_count == before + 1
    assert CollectionDownload.objects.filter(collection=collection).count() == before + 1


def _downloads_counted(collection: Collection, *clients: Client) -> int:
    before = Collection.objects.get(pk=collection.pk).download_count
    for client in clients:
        assert client.get(f"/knowledge/collections/{collection.pk}/download/").status_code == 200
    return Collection.objects.get(pk=collection.pk).download_count - before


def test_one_client_changing_its_browser_name_counts_once():
    collection = Collection.objects.get(province=GUANGDONG)
    clients = [Client(HTTP_USER_AGENT=f"Browser/{n}", REMOTE_ADDR="203.0.113.9") for n in range(10)]
    assert _downloads_counted(collection, *clients) == 1


def test_one_ipv6_client_rotating_addresses_within_its_64_counts_once():
    collection = Collection.objects.get(province=GUANGDONG)
    clients = [Client(REMOTE_ADDR=f"2001:db8:aa:bb::{n:x}") for n in range(1, 10)]
    assert _downloads_counted(collection, *clients) == 1


def test_a_forged_forwarded_for_header_makes_no_new_visitor_without_a_trusted_proxy():
    collection = Collection.objects.get(province=GUANGDONG)
    clients = [
        Client(REMOTE_ADDR="203.0.113.10", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(5)
    ]
    assert _downloads_counted(collection, *clients) == 1


def test_behind_a_trusted_proxy_the_client_is_the_address_it_forwarded(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    collection = Collection.objects.get(province=GUANGDONG)
    # The proxy appends the address it saw; what the client wrote before it is not believed.
    same_client = [
        Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 192.0.2.20")
        for n in range(5)
    ]
    other_client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.21")
    assert _downloads_counted(collection, *same_client) == 1
    assert _downloads_counted(collection, other_client) == 1


def test_signing_in_makes_another_visitor(zhejiang):
    collection = Collection.objects.get(province=GUANGDONG)
    before = collection.download_count
    Client().get(f"/knowledge/collections/{collection.pk}/download/")
    zhejiang.get(f"/knowledge/collections/{collection.pk}/download/")
    collection.refresh_from_db()
    assert collection.download_count == before + 2


def test_a_collection_without_a_file_downloads_as_a_workbook_of_its_contents():
    collection = Collection.objects.get(province=GUANGDONG)
    response = Client().get(f"/knowledge/collections/{collection.pk}/download/")

    assert response["Content-Disposition"].startswith("attachment;")
    book = load_workbook(io.BytesIO(response.content))
    cases = [str(row[0]) for row in book["Typical cases"].iter_rows(min_row=2, values_only=True)]
    assert sorted(cases) == sorted(c.title_en for c in collection.cases.all())
    assert cases


def test_a_collection_with_a_file_serves_it(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    collection = Collection.objects.get(province=GUANGDONG)
    collection.file.save("bundle.pdf", ContentFile(b"%PDF bundle"), save=True)

    response = Client().get(f"/knowledge/collections/{collection.pk}/download/")

    assert response.getvalue() == b"%PDF bundle"
    assert "bundle" in response["Content-Disposition"]


def test_a_missing_file_is_404_and_not_counted(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    collection = Collection.objects.get(province=GUANGDONG)
    Collection.objects.filter(pk=collection.pk).update(file="collections/gone.pdf")
    before = collection.download_count

    response = Client().get(f"/knowledge/collections/{collection.pk}/download/")

    assert response.status_code == 404
    collection.refresh_from_db()
    assert collection.download_count == before


# ---------------------------------------------------------------- the regulators' workspace


def test_a_regulator_adds_a_training_session(zhejiang):
    response = zhejiang.post(
        "/knowledge/manage/trainings/new/",
        {
            "title_zh": "宁波专场培训",
            "title_en": "Ningbo training",
            "province": ZHEJIANG,
            "held_on": "2021-01-12",
            "participants": "120",
        },
    )
    assert response.status_code == 302
    session = TrainingSession.objects.get(title_en="Ningbo training")
    assert (session.province_id, session.participants) == (ZHEJIANG, 120)
    assert TrainingSession.objects.filter(province=ZHEJIANG).count() == 33


def test_bad_input_shows_the_form_again_and_saves_nothing(zhejiang):
    before = TrainingSession.objects.count()
    response = zhejiang.post(
        "/knowledge/manage/trainings/new/", {"province": ZHEJIANG, "held_on": "not a date"}
    )
    assert response.status_code == 200
    page = text(response)
    assert "This field is required." in page
    assert "Enter a valid date." in page
    assert TrainingSession.objects.count() == before


def test_a_rule_of_the_service_comes_back_on_its_field(zhejiang):
    response = zhejiang.post(
        "/knowledge/manage/policies/new/",
        {
            "title_zh": "省级政策",
            "issuer_zh": "浙江省",
            "level": "provincial",
            "issued_on": "2021-01-12",
        },
    )
    assert response.status_code == 200
    assert "Name the region of a provincial or municipal policy." in text(response)


def test_a_regulator_edits_an_item(zhejiang):
    session = first(TrainingSession.objects.filter(province=ZHEJIANG))
    response = zhejiang.post(
        f"/knowledge/manage/trainings/{session.pk}/edit/",
        {
            "title_zh": session.title_zh,
            "title_en": "Renamed training",
            "province": ZHEJIANG,
            "held_on": session.held_on.isoformat(),
            "participants": "99",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.title_en, session.participants) == ("Renamed training", 99)


def test_a_regulator_deletes_an_item(zhejiang):
    session = first(TrainingSession.objects.filter(province=ZHEJIANG))
    response = zhejiang.post(f"/knowledge/manage/trainings/{session.pk}/delete/", follow=True)
    assert "deleted" in text(response)
    assert not TrainingSession.objects.filter(pk=session.pk).exists()


def test_a_downloaded_collection_stays_with_a_message(zhejiang):
    collection = first(Collection.objects.filter(province=ZHEJIANG, downloads__isnull=False))
    response = zhejiang.post(f"/knowledge/manage/collections/{collection.pk}/delete/", follow=True)
    assert "would lose its download figures" in text(response)
    assert Collection.objects.filter(pk=collection.pk).exists()


def test_a_regulator_with_nothing_yet_sees_a_friendly_empty_list():
    office = RegulatorOfficeFactory(province_id="650000")
    client = Client()
    client.force_login(member_of(office, UserFactory()))
    page = text(client.get("/knowledge/manage/trainings/"))
    assert "Nothing here yet in your jurisdiction." in page


@pytest.mark.parametrize("kind", KINDS)
def test_each_managed_list_takes_a_fixed_number_of_queries(kind, django_assert_max_num_queries):
    client = Client()
    client.force_login(User.objects.get(email="regulator@example.com"))
    with django_assert_max_num_queries(11):
        response = client.get(f"/knowledge/manage/{kind}/")
    assert response.status_code == 200


def test_the_form_offers_only_the_regulators_provinces(zhejiang):
    page = text(zhejiang.get("/knowledge/manage/cases/new/"))
    assert f'value="{ZHEJIANG}"' in page
    assert f'value="{GUANGDONG}"' not in page


def test_the_index_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    # Two a kind (the count and the newest), and the related rows of four kinds.
    with django_assert_max_num_queries(16):
        assert Client().get("/knowledge/").status_code == 200


def test_a_policy_document_uploaded_on_the_page_is_served(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    client.force_login(User.objects.get(email="regulator@example.com"))
    response = client.post(
        "/knowledge/manage/policies/new/",
        {
            "title_zh": "关于知识产权质押的通知",
            "title_en": "Notice on IP pledges",
            "issuer_zh": "国家知识产权局",
            "level": "national",
            "issued_on": "2021-02-01",
            "file": SimpleUploadedFile("notice.pdf", b"%PDF notice"),
        },
    )
    assert response.status_code == 302
    policy = Policy.objects.get(title_en="Notice on IP pledges")

    served = Client().get(f"/knowledge/policies/{policy.pk}/file/")
    assert served.getvalue() == b"%PDF notice"
    assert "Download the document" in text(Client().get(f"/knowledge/policies/{policy.pk}/"))


def test_a_head_request_does_not_count():
    collection = Collection.objects.get(province=GUANGDONG)
    before = collection.download_count
    assert Client().head(f"/knowledge/collections/{collection.pk}/download/").status_code == 200
    collection.refresh_from_db()
    assert collection.download_count == before


def test_a_provincial_regulators_collection_must_name_its_province(zhejiang):
    response = zhejiang.post(
        "/knowledge/manage/collections/new/",
        {"title_zh": "浙江汇编", "published_on": "2021-03-01"},
    )
    assert response.status_code == 200
    assert 'id="id_province_error"><li>This field is required.' in text(response)
    assert 'href="#id_province">Province: This field is required.' in text(response)
