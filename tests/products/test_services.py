from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Notification
from core.exceptions import Conflict
from core.models import IPKind
from products import services
from products.models import Product, ProductStatusChange
from products.services import product_create, product_publish, product_update, product_withdraw
from products.signals import product_withdrawn
from products.workflows import PRODUCT
from tests.factories import InstitutionFactory, ProductFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def fields(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name_zh": "知识产权成长贷",
        "name_en": "IP Growth Loan",
        "kind": Product.Kind.PATENT_PLEDGE_LOAN,
        "amount_min": Decimal("1000000.00"),
        "amount_max": Decimal("20000000.00"),
        "rate_min": Decimal("3.85"),
        "rate_max": Decimal("5.50"),
        "term_min_months": 6,
        "term_max_months": 36,
        "max_pledge_ratio": Decimal("50.00"),
        "accepted_ip_kinds": ["invention_patent", "utility_model"],
        "provinces_served": ["330000"],
        "target_industries": [],
        "requirements": "高新技术企业",
    }
    values.update(overrides)
    return values


@pytest.fixture
def institution():
    return InstitutionFactory()


@pytest.fixture
def officer(institution):
    return member_of(institution)


@pytest.fixture
def draft(institution):
    product = ProductFactory(
        institution=institution, status=Product.Status.DRAFT, published_at=None
    )
    product.accepted_ip_kinds.set([IPKind.objects.get(pk="invention_patent")])
    return product


@pytest.fixture
def published(institution):
    product = ProductFactory(institution=institution)
    product.accepted_ip_kinds.set([IPKind.objects.get(pk="invention_patent")])
    return product


# ---------------------------------------------------------------- create


def test_create_saves_a_draft_with_its_ip_kinds_and_provinces(institution, officer):
    product = product_create(institution=institution, actor=officer, **fields())

    product = Product.objects.get(pk=product.pk)
    assert product.status == Product.Status.DRAFT
    assert product.published_at is None
    assert product.institution == institution
    assert set(product.accepted_ip_kinds.values_list("code", flat=True)) == {
        "invention_patent",
        "utility_model",
    }
    assert list(product.provinces_served.values_list("code", flat=True)) == ["330000"]
    assert product.code == f"{institution.code}-ip-growth-loan"


def test_a_new_draft_starts_its_history_with_its_creator(institution, officer):
    product = product_create(institution=institution, actor=officer, **fields())

    rows = list(product.history.values_list("from_status", "to_status", "actor"))
    assert rows == [("", Product.Status.DRAFT, officer.pk)]


def test_create_with_no_province_makes_a_nationwide_product(institution, officer):
    product = product_create(institution=institution, actor=officer, **fields(provinces_served=[]))
    assert not Product.objects.get(pk=product.pk).provinces_served.exists()


def test_create_makes_a_new_code_when_the_name_is_taken(institution, officer):
    first = product_create(institution=institution, actor=officer, **fields())
    second = product_create(institution=institution, actor=officer, **fields())
    assert first.code != second.code
    assert second.code == f"{first.code}-2"


def test_create_refuses_someone_who_does_not_act_for_the_institution(institution):
    outsider = member_of(InstitutionFactory())
    with pytest.raises(PermissionDenied):
        product_create(institution=institution, actor=outsider, **fields())
    assert not Product.objects.filter(institution=institution).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount_min": Decimal("5000000"), "amount_max": Decimal("1000000")}, "amount_max"),
        ({"amount_min": Decimal("-1")}, "amount_min"),
        ({"rate_max": Decimal("36.01")}, "rate_max"),
        ({"rate_min": Decimal("-0.5")}, "rate_min"),
        ({"rate_min": Decimal("6"), "rate_max": Decimal("4")}, "rate_max"),
        ({"term_min_months": 0}, "term_min_months"),
        ({"term_min_months": 24, "term_max_months": 12}, "term_max_months"),
        ({"max_pledge_ratio": Decimal("100.01")}, "max_pledge_ratio"),
        ({"max_pledge_ratio": Decimal("-1")}, "max_pledge_ratio"),
        ({"accepted_ip_kinds": []}, "accepted_ip_kinds"),
        ({"accepted_ip_kinds": ["recipe"]}, "accepted_ip_kinds"),
        ({"provinces_served": ["999999"]}, "provinces_served"),
        ({"name_zh": ""}, "name_zh"),
        ({"kind": "loan_shark"}, "kind"),
        ({"code": "compare"}, "code"),
        ({"code": "not a slug"}, "code"),
    ],
)
def test_create_names_the_field_with_bad_input_and_saves_nothing(
    institution, officer, overrides, field
):
    with pytest.raises(ValidationError) as error:
        product_create(institution=institution, actor=officer, **fields(**overrides))
    assert field in error.value.message_dict
    assert not Product.objects.filter(institution=institution).exists()


def test_create_reports_every_bad_field_at_once(institution, officer):
    with pytest.raises(ValidationError) as error:
        product_create(
            institution=institution,
            actor=officer,
            **fields(rate_max=Decimal("40"), term_max_months=3, accepted_ip_kinds=[]),
        )
    assert set(error.value.message_dict) >= {"rate_max", "term_max_months", "accepted_ip_kinds"}


def test_create_refuses_a_code_another_product_has(institution, officer, published):
    with pytest.raises(ValidationError) as error:
        product_create(institution=institution, actor=officer, **fields(code=published.code))
    assert "code" in error.value.message_dict


def test_create_does_not_take_a_status(institution, officer):
    with pytest.raises(TypeError):
        product_create(institution=institution, actor=officer, **fields(status="published"))


# ---------------------------------------------------------------- update


def test_update_changes_a_draft_and_replaces_its_provinces(draft, officer):
    product_update(
        product=draft,
        actor=officer,
        name_en="Renamed Loan",
        amount_max=Decimal("30000000.00"),
        provinces_served=["110000", "330000"],
    )
    draft.refresh_from_db()
    assert draft.name_en == "Renamed Loan"
    assert draft.amount_max == Decimal("30000000.00")
    assert set(draft.provinces_served.values_list("code", flat=True)) == {"110000", "330000"}
    assert draft.status == Product.Status.DRAFT


def test_update_of_a_published_product_is_a_conflict_and_changes_nothing(published, officer):
    with pytest.raises(Conflict) as conflict:
        product_update(product=published, actor=officer, name_en="Sneaky change")
    assert "withdraw" in str(conflict.value)
    published.refresh_from_db()
    assert published.name_en != "Sneaky change"


def test_update_of_a_withdrawn_product_is_allowed(published, officer):
    product_withdraw(product=published, actor=officer)
    product_update(product=published, actor=officer, rate_min=Decimal("4.00"))
    published.refresh_from_db()
    assert published.rate_min == Decimal("4.00")


def test_update_with_an_upside_down_range_changes_nothing(draft, officer):
    before = draft.amount_max
    with pytest.raises(ValidationError) as error:
        product_update(product=draft, actor=officer, amount_max=draft.amount_min - 1)
    assert "amount_max" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.amount_max == before


def test_update_refuses_to_empty_the_accepted_ip_kinds(draft, officer):
    with pytest.raises(ValidationError) as error:
        product_update(product=draft, actor=officer, accepted_ip_kinds=[])
    assert "accepted_ip_kinds" in error.value.message_dict
    assert draft.accepted_ip_kinds.count() == 1


def test_update_refuses_another_institutions_officer(draft):
    outsider = member_of(InstitutionFactory())
    with pytest.raises(PermissionDenied):
        product_update(product=draft, actor=outsider, name_en="Not mine")
    draft.refresh_from_db()
    assert draft.name_en != "Not mine"


# ---------------------------------------------------------------- publish / withdraw


def test_publish_puts_a_draft_in_the_catalogue_and_writes_one_history_row(draft, officer):
    product_publish(product=draft, actor=officer)

    draft.refresh_from_db()
    assert draft.status == Product.Status.PUBLISHED
    assert draft.published_at is not None
    change = ProductStatusChange.objects.get(product=draft)
    assert (change.from_status, change.to_status, change.actor) == ("draft", "published", officer)


def test_publishing_twice_is_a_conflict_and_changes_nothing(published, officer):
    published_at = published.published_at
    with pytest.raises(Conflict) as conflict:
        product_publish(product=published, actor=officer)
    assert conflict.value.code == "move_not_allowed"
    assert "published" in str(conflict.value)
    published.refresh_from_db()
    assert published.published_at == published_at
    assert not ProductStatusChange.objects.filter(product=published).exists()


def test_withdrawing_a_draft_is_a_conflict(draft, officer):
    with pytest.raises(Conflict):
        product_withdraw(product=draft, actor=officer)
    draft.refresh_from_db()
    assert draft.status == Product.Status.DRAFT
    assert not draft.history.exists()


def test_withdraw_keeps_the_note_and_a_withdrawn_product_can_come_back(published, officer):
    product_withdraw(product=published, actor=officer, note="Rates are being revised")
    published.refresh_from_db()
    assert published.status == Product.Status.WITHDRAWN

    product_publish(product=published, actor=officer)
    published.refresh_from_db()
    assert published.status == Product.Status.PUBLISHED
    assert list(published.history.values_list("from_status", "to_status", "note")) == [
        ("published", "withdrawn", "Rates are being revised"),
        ("withdrawn", "published", ""),
    ]


def test_a_non_member_may_not_publish_or_withdraw(draft, published):
    outsider = member_of(InstitutionFactory())
    with pytest.raises(PermissionDenied):
        product_publish(product=draft, actor=outsider)
    with pytest.raises(PermissionDenied):
        product_withdraw(product=published, actor=outsider)
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == ("draft", "published")
    assert not ProductStatusChange.objects.filter(product__in=[draft, published]).exists()


def test_the_workflow_follows_the_specification():
    S = Product.Status
    assert PRODUCT.moves() == {
        S.DRAFT: {S.PUBLISHED},
        S.PUBLISHED: {S.WITHDRAWN},
        S.WITHDRAWN: {S.PUBLISHED},
    }
    assert PRODUCT.services == {"publish": product_publish, "withdraw": product_withdraw}


def listen(heard: list[dict[str, Any]]) -> Any:
    def receiver(**kwargs: Any) -> None:
        heard.append(kwargs)

    return receiver


def test_a_withdrawal_is_announced_once_it_has_committed(
    published, officer, django_capture_on_commit_callbacks
):
    heard: list[dict[str, Any]] = []
    receiver = listen(heard)
    product_withdrawn.connect(receiver)
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            product_withdraw(product=published, actor=officer, note="Repricing")
            assert heard == []
        for callback in callbacks:
            callback()
    finally:
        product_withdrawn.disconnect(receiver)

    [told] = heard
    assert (told["product"].pk, told["actor"], told["note"]) == (published.pk, officer, "Repricing")
    assert told["product"].status == Product.Status.WITHDRAWN


def test_a_refused_withdrawal_announces_nothing(draft, officer, django_capture_on_commit_callbacks):
    heard: list[dict[str, Any]] = []
    receiver = listen(heard)
    product_withdrawn.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
            product_withdraw(product=draft, actor=officer)
    finally:
        product_withdrawn.disconnect(receiver)

    assert heard == []


def test_a_product_accepting_no_ip_kind_cannot_be_published(institution, officer):
    product = ProductFactory(institution=institution, status=Product.Status.DRAFT)
    with pytest.raises(ValidationError) as error:
        product_publish(product=product, actor=officer)
    assert "accepted_ip_kinds" in error.value.message_dict
    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT


def test_colleagues_are_told_in_their_own_language_and_the_actor_is_not(institution, draft):
    officer = member_of(institution, UserFactory(full_name="Officer Wang"))
    english = member_of(institution, UserFactory(language="en"))
    chinese = member_of(institution, UserFactory(language="zh-hans"))

    product_publish(product=draft, actor=officer)

    notes = {n.recipient: n for n in Notification.objects.filter(kind="product_published")}
    assert set(notes) == {english, chinese}
    assert notes[english].subject == f"{draft.name_en} was published by Officer Wang"
    assert draft.name_zh in notes[chinese].subject
    assert notes[english].link == f"/products/manage/{draft.code}/edit/"


# --- two creations picking the same code at once


def _lose_the_race_once(monkeypatch):
    """Another creation commits the same code after ours was checked and
    before it is saved, as two officers creating at once would."""
    validate = services._validate
    raced: list[str] = []

    def validate_then_lose(product, **kwargs):
        validate(product, **kwargs)
        if not raced:
            raced.append(product.code)
            ProductFactory(code=product.code)

    monkeypatch.setattr(services, "_validate", validate_then_lose)
    return raced


def test_a_generated_code_taken_meanwhile_moves_on_to_the_next_free_one(monkeypatch):
    bank = InstitutionFactory(code="race-bank")
    officer = member_of(bank)
    raced = _lose_the_race_once(monkeypatch)

    product = product_create(institution=bank, actor=officer, **fields(name_en="Twin Loan"))

    assert raced == ["race-bank-twin-loan"]
    assert Product.objects.get(pk=product.pk).code == "race-bank-twin-loan-2"
    assert list(product.accepted_ip_kinds.values_list("code", flat=True)) == [
        "invention_patent",
        "utility_model",
    ]


def test_a_chosen_code_taken_meanwhile_is_bad_input_not_a_crash(monkeypatch):
    bank = InstitutionFactory()
    officer = member_of(bank)
    _lose_the_race_once(monkeypatch)

    with pytest.raises(ValidationError) as raised:
        product_create(institution=bank, actor=officer, **fields(code="my-loan"))

    assert "code" in raised.value.message_dict
    assert not Product.objects.filter(institution=bank).exists()
