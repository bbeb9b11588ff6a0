"""Amounts typed as people write them: 300万, 0.5亿, 1,200,000元."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.utils import translation

from core.amounts import AmountField, amount_words, parse_amount
from products.models import Product

CASES = json.loads((Path(__file__).parent / "amount_cases.json").read_text(encoding="utf-8"))
READ = CASES["read"]
REFUSED = CASES["refused"]


class NeedForm(forms.Form):
    amount = AmountField(label="Amount (CNY)", required=False)


def _cleaned(typed: object) -> forms.Form:
    form = NeedForm({"amount": typed})
    form.is_valid()
    return form


@pytest.mark.parametrize("case", READ, ids=[c["typed"] for c in READ])
def test_what_people_type_is_saved_in_yuan(case):
    form = _cleaned(case["typed"])
    assert form.errors == {}
    assert form.cleaned_data["amount"] == Decimal(case["yuan"])


@pytest.mark.parametrize("case", READ, ids=[c["typed"] for c in READ])
def test_the_amount_is_read_back_in_words(case):
    amount = parse_amount(case["typed"])
    with translation.override("zh-hans"):
        assert amount_words(amount) == case["zh"]
    with translation.override("en"):
        assert amount_words(amount) == case["en"]


@pytest.mark.parametrize("case", REFUSED, ids=[c["typed"] for c in REFUSED])
def test_what_is_not_an_amount_is_refused_with_its_reason(case):
    form = _cleaned(case["typed"])
    assert [error["code"] for error in form.errors.get_json_data()["amount"]] == [case["why"]]


@pytest.mark.parametrize(
    ("typed", "english", "chinese"),
    [
        ("lots", "Enter an amount such as 300万, 0.5亿 or 1,200,000", "请填写金额，例如 300万"),
        ("-300万", "cannot be negative", "不能为负数"),
        ("0.001", "to the fen (0.01 yuan) at most", "最多精确到分"),
        ("2万亿", "at most 1万亿 yuan", "不能超过1万亿元"),
    ],
)
def test_a_refusal_says_why_in_the_readers_language(typed, english, chinese):
    with translation.override("en"):
        assert english in _cleaned(typed).errors["amount"][0]
    with translation.override("zh-hans"):
        assert chinese in _cleaned(typed).errors["amount"][0]


@pytest.mark.parametrize(
    ("sent", "saved"),
    [(3000000, "3000000"), ("1500000.50", "1500000.5"), (1500000.5, "1500000.5"), ("", None)],
)
def test_plain_numbers_as_the_api_sends_them_still_read(sent, saved):
    form = _cleaned(sent)
    assert form.errors == {}
    assert form.cleaned_data["amount"] == (Decimal(saved) if saved else None)


def test_a_boolean_is_not_an_amount():
    assert "amount" in _cleaned(True).errors


def test_the_input_says_its_unit_and_that_wan_and_yi_are_understood_in_chinese():
    with translation.override("zh-hans"):
        html = str(NeedForm()["amount"])
    assert '<span class="amount-unit">元</span>' in html
    assert "可直接写万、亿" in html
    assert 'type="text"' in html  # a number input would refuse 万


def test_a_saved_amount_is_shown_as_people_write_it():
    form = NeedForm(initial={"amount": Decimal("30000000.00")})
    with translation.override("zh-hans"):
        html = str(form["amount"])
    assert 'value="3,000万"' in html
    assert "= 3,000万元</output>" in html
    with translation.override("en"):
        html = str(form["amount"])
    assert 'value="30,000,000"' in html
    assert "= ¥30,000,000</output>" in html


def test_an_amount_typed_and_refused_elsewhere_comes_back_as_typed_and_in_words():
    form = NeedForm({"amount": "0.5亿"})
    with translation.override("zh-hans"):
        html = str(form["amount"])
    assert 'value="0.5亿"' in html
    assert "= 5,000万元</output>" in html


def test_the_input_is_described_by_its_hint_and_its_words():
    html = str(NeedForm()["amount"])
    assert 'aria-describedby="id_amount_hint id_amount_words"' in html
    assert 'id="id_amount_hint"' in html
    assert '<output class="amount-words" id="id_amount_words" for="id_amount"' in html


def test_every_money_column_of_a_model_form_takes_amounts_as_people_write_them():
    class ProductAmounts(forms.ModelForm):
        class Meta:
            model = Product
            fields = ["amount_min", "amount_max"]

    fields = ProductAmounts.base_fields
    assert fields["amount_min"].clean("300万") == Decimal("3000000")
    assert fields["amount_max"].clean("0.5亿") == Decimal("50000000")


@pytest.mark.parametrize(
    ("language", "label"), [("en", "Amount requested"), ("zh-hans", "申请金额")]
)
def test_an_amount_label_does_not_repeat_the_unit_its_input_shows(language, label):
    from django.forms import modelform_factory

    from financing.models import Application
    from products.filters import ProductFilter

    form = modelform_factory(Application, fields=["amount_requested"])()
    with translation.override(language):
        assert str(form.fields["amount_requested"].label) == label
        html = str(ProductFilter().form["amount"].label_tag())
        assert "CNY" not in html and "元" not in html
        # The model, and so exports and the API, still say it.
        verbose = str(Application._meta.get_field("amount_requested").verbose_name)
        assert verbose == ("amount requested (CNY)" if language == "en" else "申请金额（元）")
