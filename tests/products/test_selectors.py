from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.http.request import QueryDict

from products.models import Product
from products.selectors import (
    product_catalogue,
    product_catalogue_filter,
    product_detail,
    product_history,
    product_open_for_applications,
    product_options_for,
    products_for_institution,
    products_to_compare,
)
from products.services import product_publish
from tests.factories import InstitutionFactory, ProductFactory, member_of

pytestmark = pytest.mark.django_db


def product(**fields):
    kinds = fields.pop("ip_kinds", ["invention_patent"])
    provinces = fields.pop("provinces", [])
    made = ProductFactory(**fields)
    made.accepted_ip_kinds.set(kinds)
    made.provinces_served.set(provinces)
    return made


def codes(filters) -> set[str]:
    return set(product_catalogue(filters=filters).values_list("code", flat=True))


def test_the_catalogue_lists_published_products_only():
    published = product()
    draft = product(status=Product.Status.DRAFT, published_at=None)
    withdrawn = product(status=Product.Status.WITHDRAWN)

    listed = codes({})
    assert published.code in listed
    assert draft.code not in listed
    assert withdrawn.code not in listed
    assert not Product.objects.filter(code__in=listed).exclude(status="published").exists()


def test_kind_filter():
    patent = product(kind=Product.Kind.PATENT_PLEDGE_LOAN)
    insurance = product(kind=Product.Kind.IP_INSURANCE)
    listed = codes({"kind": "ip_insurance"})
    assert insurance.code in listed
    assert patent.code not in listed


def test_ip_kind_filter_keeps_products_accepting_that_kind():
    trademarks = product(ip_kinds=["trademark"])
    both = product(ip_kinds=["trademark", "invention_patent"])
    patents = product(ip_kinds=["invention_patent"])
    listed = codes({"ip_kind": "trademark"})
    assert {trademarks.code, both.code} <= listed
    assert patents.code not in listed


def test_province_filter_keeps_products_serving_it_and_nationwide_ones():
    zhejiang = product(provinces=["330000"])
    beijing_and_zhejiang = product(provinces=["110000", "330000"])
    beijing = product(provinces=["110000"])
    nationwide = product(provinces=[])

    listed = codes({"province": "330000"})
    assert {zhejiang.code, beijing_and_zhejiang.code, nationwide.code} <= listed
    assert beijing.code not in listed
    # A product serving two provinces is listed once.
    queryset = product_catalogue(filters={"province": "330000"})
    assert queryset.filter(code=beijing_and_zhejiang.code).count() == 1


def test_a_nationwide_product_matches_every_province():
    nationwide = product(provinces=[])
    for code in ("110000", "440000", "650000"):
        assert nationwide.code in codes({"province": code})


def test_amount_filter_keeps_products_whose_range_contains_it():
    small = product(amount_min=Decimal("500000"), amount_max=Decimal("3000000"))
    large = product(amount_min=Decimal("5000000"), amount_max=Decimal("50000000"))
    assert small.code in codes({"amount": "3000000"})
    assert large.code not in codes({"amount": "3000000"})
    assert large.code in codes({"amount": "5000000"})
    assert small.code not in codes({"amount": "5000000"})


def test_rate_max_keeps_products_whose_lowest_rate_is_at_most_it():
    cheap = product(rate_min=Decimal("3.85"), rate_max=Decimal("5.00"))
    dear = product(rate_min=Decimal("6.00"), rate_max=Decimal("8.00"))
    listed = codes({"rate_max": "4"})
    assert cheap.code in listed
    assert dear.code not in listed


def test_term_filter_keeps_products_whose_term_range_contains_it():
    short = product(term_min_months=3, term_max_months=12)
    long = product(term_min_months=24, term_max_months=60)
    assert short.code in codes({"term": "12"})
    assert long.code not in codes({"term": "12"})
    assert long.code in codes({"term": "36"})


def test_institution_filter():
    mine = product()
    other = product()
    assert codes({"institution": str(mine.institution_id)}) == {mine.code}
    assert other.code not in codes({"institution": str(mine.institution_id)})


@pytest.mark.parametrize("query", ["成长", "growth", "GROWTH LOAN", "测试银行", "Test Bank"])
def test_search_looks_at_chinese_and_english_names_and_the_institution(query):
    found = product(name_zh="知识产权成长贷", name_en="IP Growth Loan")
    listed = codes({"q": query})
    assert found.code in listed


def test_search_leaves_out_what_does_not_match():
    found = product(name_zh="知识产权成长贷", name_en="IP Growth Loan")
    assert found.code not in codes({"q": "不存在的名称"})


def test_filters_combine():
    institution = InstitutionFactory()
    fits = product(institution=institution, ip_kinds=["trademark"], provinces=["330000"])
    product(institution=institution, ip_kinds=["trademark"], provinces=["110000"])
    product(institution=institution, ip_kinds=["invention_patent"], provinces=["330000"])
    query = QueryDict(
        f"institution={institution.pk}&ip_kind=trademark&province=330000&amount=2000000"
    )
    assert codes(query) == {fits.code}


@pytest.mark.parametrize(
    ("ordering", "key"),
    [
        ("rate_min", lambda p: (p.rate_min, p.code)),
        ("-amount_max", lambda p: (-p.amount_max, p.code)),
        ("name_zh", lambda p: (p.name_zh, p.code)),
    ],
)
def test_ordering(ordering, key):
    listed = list(product_catalogue(filters={"ordering": ordering}))
    assert listed == sorted(listed, key=key)


def test_newest_first_by_default():
    listed = list(product_catalogue(filters={}))
    dates = [p.published_at for p in listed if p.published_at is not None]
    assert len(dates) == len(listed)
    assert dates == sorted(dates, reverse=True)


def test_invalid_values_are_reported_on_the_filter_form_and_left_out():
    filterset = product_catalogue_filter(filters={"amount": "lots", "kind": "nonsense"})
    assert set(filterset.errors) == {"amount", "kind"}
    assert filterset.qs.count() == Product.objects.filter(status="published").count()


def test_a_page_of_the_catalogue_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    def read_a_page() -> None:
        for item in product_catalogue(filters={"province": "330000"})[:25]:
            str(item.institution.province)
            list(item.accepted_ip_kinds.all())
            list(item.provinces_served.all())
            list(item.target_industries.all())

    # One to check the province asked for, one for the page and one for each
    # many-to-many, however many rows.
    with django_assert_max_num_queries(5):
        read_a_page()
    for _ in range(30):
        product(ip_kinds=["trademark", "copyright"], provinces=["330000", "110000"])
    with django_assert_max_num_queries(5):
        read_a_page()


# ---------------------------------------------------------------- one product


def test_a_published_product_is_shown_to_anyone():
    shown = product()
    assert product_detail(code=shown.code, user=AnonymousUser()) == shown


@pytest.mark.parametrize("status", [Product.Status.DRAFT, Product.Status.WITHDRAWN])
def test_a_draft_or_withdrawn_product_is_shown_to_its_institution_only(status):
    hidden = product(status=status)
    member = member_of(hidden.institution)
    outsider = member_of(InstitutionFactory())

    assert product_detail(code=hidden.code, user=member) == hidden
    for user in (AnonymousUser(), outsider):
        with pytest.raises(Http404):
            product_detail(code=hidden.code, user=user)


def test_an_unknown_code_is_not_found():
    with pytest.raises(Http404):
        product_detail(code="no-such-product", user=AnonymousUser())


def test_an_institutions_products_include_every_status():
    institution = InstitutionFactory()
    made = {
        product(institution=institution, status=status).code for status in Product.Status.values
    }
    assert (
        set(products_for_institution(institution=institution).values_list("code", flat=True))
        == made
    )


def test_the_history_is_for_the_institution_only():
    draft = product(status=Product.Status.DRAFT)
    member = member_of(draft.institution)
    product_publish(product=draft, actor=member)

    assert [c.to_status for c in product_history(product=draft, user=member)] == ["published"]
    with pytest.raises(PermissionDenied):
        product_history(product=draft, user=member_of(InstitutionFactory()))


# ---------------------------------------------------------------- compare


def test_compare_keeps_the_order_asked_for_and_leaves_out_unpublished_and_repeats():
    a, b, c = product(), product(), product()
    draft = product(status=Product.Status.DRAFT)
    compared = products_to_compare(codes=[c.code, a.code, draft.code, c.code, b.code])
    assert compared == [c, a, b]
    assert products_to_compare(codes=["no-such-product", a.code]) == [a]


def test_compare_refuses_more_than_four():
    many = [product().code for _ in range(5)]
    assert len(products_to_compare(codes=many[:4])) == 4
    with pytest.raises(ValidationError) as error:
        products_to_compare(codes=many)
    assert "at most 4" in error.value.messages[0]


def test_a_banks_product_options_are_its_own_products_whatever_their_status():
    bank, other = InstitutionFactory(), InstitutionFactory()
    officer = member_of(bank)
    draft = product(institution=bank, name_zh="乙贷", status=Product.Status.DRAFT)
    live = product(institution=bank, name_zh="甲贷")
    product(institution=other)

    assert list(product_options_for(user=officer)) == sorted([draft, live], key=lambda p: p.name_zh)
    assert list(product_options_for(user=AnonymousUser())) == []


def test_only_a_published_product_is_open_for_applications():
    live = product()
    draft = product(status=Product.Status.DRAFT)

    assert product_open_for_applications(code=live.code) == live
    for code in (draft.code, "no-such-product"):
        with pytest.raises(Http404):
            product_open_for_applications(code=code)
