"""Search: Chinese queries without spaces find the right objects, the index
follows saves and deletes, the page and the API read as their users expect.
The same tests take PostgreSQL's full-text path when the suite runs there
(search.selectors.uses_full_text)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from events.models import Event
from knowledge.models import TypicalCase
from products.models import Product
from search import segment
from search.models import Kind, SearchEntry
from search.selectors import highlight, search_overview, uses_full_text
from search.services import index_rebuild
from tests.factories import EnterpriseFactory, ProductFactory

pytestmark = [pytest.mark.django_db, pytest.mark.seeded]


def found(query: str, user=None) -> dict[str, list[str]]:
    """The titles found, in Chinese, by kind."""
    with translation.override("zh-hans"):
        _terms, groups = search_overview(query=query, user=user or AnonymousUser())
    return {group.kind.value: [r.plain_title for r in group.results] for group in groups}


def found_count(query: str, kind: Kind) -> int:
    """How many results of a kind the grouped page counts for a visitor."""
    _terms, groups = search_overview(query=query, user=AnonymousUser())
    return next(group.count for group in groups if group.kind == kind)


def test_the_full_text_path_is_taken_on_postgresql_only():
    assert uses_full_text() == (connection.vendor == "postgresql")


def test_chinese_without_spaces_is_cut_into_words():
    assert segment.query_terms("知识产权 杭州") == ["知识产权", "杭州"]
    assert segment.query_terms("杭州专利贷") == ["杭州", "专利", "贷"]
    # The index keeps the shorter words of a long one too.
    assert {"知识", "产权", "知识产权", "质押"} <= set(segment.document("知识产权质押").split())
    assert segment.query_terms("？！，。") == []


def test_ip_and_hangzhou_finds_the_hangzhou_stations_and_policies():
    results = found("知识产权 杭州")
    assert "知识产权质押融资入园惠企活动（杭州高新区站）" in results["event"]
    # Stations with 杭州 in their title come before one that names it only
    # in its description.
    assert all("杭州" in title for title in results["event"][:2])
    assert results["knowledge"], "the Hangzhou policies and cases are found"


def test_hangzhou_patent_loan_finds_the_hangzhou_banks_patent_loan_first():
    titles = found("杭州 专利贷")["product"]
    # Only products named 专利贷 (the tests' own "专利贷2" among them) rank
    # above the Hangzhou bank's.
    assert "专利贷" in titles
    assert all(title.startswith("专利贷") for title in titles[: titles.index("专利贷") + 1])


def test_a_product_name_typed_without_spaces_finds_the_product():
    results = found("科技专利贷")
    assert results["product"][0] == "科技专利贷"


def test_latin_words_are_found_whatever_their_case():
    assert "知识产权质押贷" in found("IP PLEDGE loan")["product"]


def test_a_query_no_object_holds_finds_nothing():
    assert found("量子引力弦论") == {}


def test_the_index_follows_saves_and_deletes(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product = ProductFactory(name_zh="云栖小镇专属知产贷")
    assert found("云栖 知产贷")["product"] == ["云栖小镇专属知产贷"]

    with django_capture_on_commit_callbacks(execute=True):
        product.name_zh = "西溪湿地专属知产贷"
        product.save()
    assert found("云栖 知产贷") == {}
    assert found("西溪 知产贷")["product"] == ["西溪湿地专属知产贷"]

    with django_capture_on_commit_callbacks(execute=True):
        product.status = Product.Status.WITHDRAWN
        product.save()
    assert found("西溪 知产贷") == {}, "a withdrawn product leaves the public results"

    with django_capture_on_commit_callbacks(execute=True):
        product.delete()
    assert not SearchEntry.objects.filter(source="products.product", object_id=product.pk).exists()


def test_renaming_an_institution_refreshes_its_products(django_capture_on_commit_callbacks):
    product = Product.objects.select_related("institution").get(code="nbbank-hangzhou-patent-loan")
    institution = product.institution
    with django_capture_on_commit_callbacks(execute=True):
        institution.name_zh = "钱塘江畔银行"
        institution.save()
    assert found("钱塘江畔 银行")["institution"] == ["钱塘江畔银行"]
    assert found("钱塘江畔 专利贷") == {"product": ["专利贷"]}


def test_the_rebuild_repairs_what_bulk_writes_missed_and_is_idempotent():
    Event.objects.filter(slug__isnull=False).update(title_zh="批量改名的活动")
    TypicalCase.objects.all().delete()  # the QuerySet's delete still sends signals…
    SearchEntry.objects.filter(kind=Kind.PRODUCT).delete()  # …so lose rows by hand
    changes = index_rebuild()
    # Every event's row is brought up to date (created where other tests' events
    # were written past the index).
    renamed = changes["events.event"]
    assert renamed["changed"] + renamed["created"] == Event.objects.count()
    assert changes["products.product"]["created"] == Product.objects.count()
    assert found("批量改名")["event"]
    again = index_rebuild()
    assert all(counts == {"created": 0, "changed": 0, "removed": 0} for counts in again.values())


def test_the_rebuild_command_reports_what_it_did(capsys):
    call_command("search_rebuild")
    assert "Search index up to date." in capsys.readouterr().out


def test_the_seed_leaves_an_index_of_everything():
    assert SearchEntry.objects.filter(kind=Kind.PRODUCT).count() == Product.objects.count()
    # The seed's events, not those other tests of the session add (slugs "test-…").
    seeded = set(Event.objects.exclude(slug__startswith="test-").values_list("slug", flat=True))
    assert len(seeded) >= 20
    indexed = SearchEntry.objects.filter(kind=Kind.EVENT).values_list("key", flat=True)
    assert seeded <= set(indexed)
    assert SearchEntry.objects.filter(kind=Kind.KNOWLEDGE).count() > 100


def test_highlighting_marks_the_words_and_escapes_the_rest():
    html = highlight("<b>杭州</b>专利贷 & more", ["杭州", "专利", "贷"])
    assert html == "&lt;b&gt;<mark>杭州</mark>&lt;/b&gt;<mark>专利贷</mark> &amp; more"


def test_an_enterprise_is_found_by_its_members_and_regulators_not_by_visitors():
    enterprise = EnterpriseFactory(name_zh="萧山纳米膜材料有限公司")
    from search.services import entry_refresh

    entry_refresh(source="enterprises.enterprise", object_id=enterprise.pk)
    regulator = User.objects.get(email="zhejiang.regulator@example.com")
    assert found("纳米膜") == {}
    assert found("纳米膜", regulator)["enterprise"] == ["萧山纳米膜材料有限公司"]
    assert found("纳米膜", User.objects.get(email="bank@example.com")) == {}


# --- the page and the API


def test_the_page_groups_results_by_kind_in_chinese(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/zh-hans/search/", {"q": "知识产权 杭州"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="kind-product-title">产品' in html
    assert '<h2 id="kind-event-title">活动' in html
    assert "<mark>杭州</mark>" in html and "<mark>知识产权</mark>" in html
    assert "<mark>知识产权</mark>质押融资入园惠企活动（<mark>杭州</mark>高新区站）" in html
    # The header's box holds the query the page answers.
    assert 'id="site-search-q" name="q"' in html and 'value="知识产权 杭州"' in html


def test_one_kind_is_paged(client, django_assert_max_num_queries):
    counted = found_count("贷", Kind.PRODUCT)
    assert counted > 20, "the demo catalogue fills more than a page"
    with django_assert_max_num_queries(8):
        first = client.get("/zh-hans/search/", {"q": "贷", "kind": "product"})
    second = client.get("/zh-hans/search/", {"q": "贷", "kind": "product", "page": 2})
    page = first.context["page"]
    assert page.paginator.count == counted
    assert len(page.object_list) == 20
    assert 'rel="next"' in first.content.decode()
    urls = {r.url for r in page.object_list}
    assert urls.isdisjoint({r.url for r in second.context["page"].object_list})


def test_a_query_too_long_is_said_on_the_page(client):
    response = client.get("/zh-hans/search/", {"q": "专" * 101})
    assert "搜索内容最多 100 个字符（现有 101 个）" in response.content.decode()


def test_the_api_answers_the_best_first_with_pages(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(reverse("api-search"), {"q": "杭州 专利贷", "kind": "product"})
    body = response.json()
    assert response.status_code == 200
    assert body["results"][0]["kind"] == "product"
    assert body["results"][0]["title"].startswith("Patent Loan")
    assert {"kind", "title", "summary", "url"} == set(body["results"][0])
    assert "/products/nbbank-hangzhou-patent-loan/" in [row["url"] for row in body["results"]]
    assert body["count"] == found_count("杭州 专利贷", Kind.PRODUCT)


def test_the_api_refuses_a_missing_or_too_long_query_in_its_error_shape(client):
    missing = client.get(reverse("api-search"))
    assert missing.status_code == 400
    assert missing.json()["code"] == "invalid" and "q" in missing.json()["fields"]
    too_long = client.get(reverse("api-search"), {"q": "专" * 101})
    assert too_long.status_code == 400 and "q" in too_long.json()["fields"]
    bad_kind = client.get(reverse("api-search"), {"q": "专利", "kind": "spaceship"})
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()["fields"]
