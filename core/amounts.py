"""Amounts of money as people write them: one input for the whole portal.

Amounts are stored in yuan but spoken in 万 (ten thousand) and 亿 (a hundred
million): a bank writes 3000万 for 30,000,000. `AmountField` reads what people
type — 300万, 0.5亿, 1,200,000元, full-width ３００万 — and gives Decimal yuan,
never rounding: an amount finer than the fen is refused, not cut. The
`AmountInput` widget says its unit, that 万 and 亿 are understood, and shows
the value back in words (static/js/amount.js redoes that as one types).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise, lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

__all__ = [
    "MAX_AMOUNT",
    "AmountField",
    "AmountFilter",
    "AmountInput",
    "amount_text",
    "amount_words",
    "label_without_unit",
    "parse_amount",
]

WAN = Decimal("10000")
YI = Decimal("100000000")
# The largest amount the portal records: 1万亿 yuan.
MAX_AMOUNT = WAN * YI

UNITS = {
    "": Decimal(1),
    "元": Decimal(1),
    "万": WAN,
    "万元": WAN,
    "亿": YI,
    "亿元": YI,
    "万亿": WAN * YI,
    "万亿元": WAN * YI,
}

# 1200000, 1,200,000, 0.5, .5 — commas only in groups of three.
_NUMBER = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+"
_UNIT = "|".join(sorted(filter(None, UNITS), key=len, reverse=True))
_AMOUNT = re.compile(rf"(?P<minus>-)?¥?\s*(?P<number>{_NUMBER})\s*(?P<unit>{_UNIT})?")

# A label's unit in brackets, as model verbose names and exports write it:
# "amount requested (CNY)", "金额（元）". The input says the unit itself.
_LABEL_UNIT = re.compile(r"\s*[（(]\s*(?:CNY|RMB|yuan|元|人民币元?)\s*[）)]\s*$", re.IGNORECASE)


def label_without_unit(label: str | Promise) -> str:
    """A label without its bracketed unit: "Amount (CNY)" reads "Amount"
    beside an input that shows 元/yuan."""
    return _LABEL_UNIT.sub("", str(label))


_label_without_unit = lazy(label_without_unit, str)

MESSAGES = {
    "invalid": _("Enter an amount such as 300万, 0.5亿 or 1,200,000 (in yuan)."),
    "negative": _("An amount cannot be negative."),
    "too_precise": _("An amount goes to the fen (0.01 yuan) at most."),
    "too_large": _("An amount is at most 1万亿 yuan."),
}


def _normalise(text: str) -> str:
    """Full-width digits and punctuation as half-width (NFKC), the ideographic
    full stop an input method types for "." as a point, minus signs as "-"."""
    text = unicodedata.normalize("NFKC", text).strip()
    return text.replace("。", ".").replace("−", "-").replace("￥", "¥")


def parse_amount(text: str) -> Decimal:
    """Yuan from what a person typed; ValidationError (with a code) otherwise."""
    match = _AMOUNT.fullmatch(_normalise(text))
    if match is None:
        raise ValidationError(MESSAGES["invalid"], code="invalid")
    try:
        number = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValidationError(MESSAGES["invalid"], code="invalid") from None
    value = number * UNITS[match["unit"] or ""]
    if match["minus"] and value:
        raise ValidationError(MESSAGES["negative"], code="negative")
    return check_amount(value)


def check_amount(value: Decimal) -> Decimal:
    """`value` as yuan to the fen, or ValidationError: negative, finer than the fen, too large."""
    if not value.is_finite():
        raise ValidationError(MESSAGES["invalid"], code="invalid")
    if value < 0:
        raise ValidationError(MESSAGES["negative"], code="negative")
    if value > MAX_AMOUNT:
        raise ValidationError(MESSAGES["too_large"], code="too_large")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(MESSAGES["too_precise"], code="too_precise")
    return value.quantize(Decimal("0.01"))


def _grouped(value: Decimal) -> str:
    """3,000 and 1,234.5: digits in groups of three, no trailing zeros."""
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _in_units(value: Decimal) -> tuple[Decimal, str]:
    """The largest of 亿 and 万 the amount is written in exactly and briefly:
    1.5亿 (whole 万), 120万 (whole hundreds), else plain yuan."""
    if value >= YI and value % WAN == 0:
        return value / YI, "亿"
    if value >= WAN and value % 100 == 0:
        return value / WAN, "万"
    return value, ""


def _chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


def amount_words(value: Decimal) -> str:
    """The amount as a reader checks it: 3,000万元 in Chinese, ¥30,000,000 in English."""
    if _chinese():
        number, unit = _in_units(value)
        return f"{_grouped(number)}{unit}元"
    return f"¥{_grouped(value)}"


def amount_text(value: Decimal) -> str:
    """An amount as the input shows it, in a form it reads back: 3,000万 in
    Chinese, 30,000,000 in English."""
    if _chinese():
        number, unit = _in_units(value)
        return f"{_grouped(number)}{unit}"
    return _grouped(value)


class AmountInput(forms.TextInput):
    """A text input (so 万 and 亿 can be typed) with its unit, a hint and the
    value in words beside it.

    `compact` (a list's filter, in a row of other filters): as tall as a
    select. The hint is short, in the input (“e.g. 300万”; the whole hint stays
    for screen readers), and the value in words sits at the right of the
    label's line rather than under the input."""

    template_name = "core/widgets/amount_input.html"

    class Media:
        js = ["js/amount.js"]

    def __init__(self, attrs: dict[str, Any] | None = None, *, compact: bool = False) -> None:
        super().__init__({"autocomplete": "off", "data-amount": "", **(attrs or {})})
        self.compact = compact

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return amount_text(Decimal(value))
        text: str | None = super().format_value(value)
        return text

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        id_ = widget["attrs"].get("id") or f"amount-{name}"
        hint_id, words_id = f"{id_}_hint", f"{id_}_words"
        described = widget["attrs"].get("aria-describedby", "")
        widget["attrs"]["aria-describedby"] = " ".join(filter(None, [described, hint_id, words_id]))
        widget["attrs"]["data-invalid"] = str(_("Not an amount yet"))
        if self.compact:
            widget["attrs"].setdefault("placeholder", _("e.g. 300万"))
        widget.update(
            {
                "compact": self.compact,
                "unit": _("yuan"),
                "hint": _("万 and 亿 are understood: 300万, 0.5亿."),
                "hint_id": hint_id,
                "words_id": words_id,
                "words": self._words(value),
            }
        )
        return context

    @staticmethod
    def _words(value: Any) -> str:
        if value is None or value == "":
            return ""
        try:
            amount = parse_amount(value) if isinstance(value, str) else check_amount(Decimal(value))
        except (ValidationError, InvalidOperation, TypeError, ValueError):
            return ""
        return f"= {amount_words(amount)}"


class AmountField(forms.DecimalField):
    """Decimal yuan from an amount as people write it (see `parse_amount`).

    A DecimalField still, so its limits (`min_value`, `max_digits`) hold and
    the API, which reads input with the same forms, states a decimal number."""

    widget = AmountInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", False)
        # The input shows the unit: the label does not say it again, whether
        # a form gives it or a model's verbose name ("amount requested (CNY)").
        if kwargs.get("label") is not None:
            kwargs["label"] = _label_without_unit(kwargs["label"])
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs: int
        if value in self.empty_values:
            return None
        if isinstance(value, bool):
            raise ValidationError(MESSAGES["invalid"], code="invalid")
        if isinstance(value, str):
            if not value.strip():
                return None
            return parse_amount(value)
        try:
            amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            raise ValidationError(MESSAGES["invalid"], code="invalid") from None
        return check_amount(amount)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # No step/min/max: those belong to a number input, which cannot take 万.
        return forms.Field.widget_attrs(self, widget)


class AmountFilter(django_filters.NumberFilter):
    """A list's filter on an amount, typed as people write it, in an input
    as tall as the other filters' (`AmountInput(compact=True)`)."""

    field_class = AmountField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", AmountInput(compact=True))
        super().__init__(*args, **kwargs)
