"""The reason behind each criterion, in words, for one product and one enterprise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.utils.translation import gettext

from core.templatetags.money import yuan


@dataclass(frozen=True)
class Reason:
    criterion: str  # one of matching.engine.CRITERIA
    ok: bool
    text: str


@dataclass(frozen=True)
class Terms:
    """What a reason needs to know of the product, in the units people read."""

    amount_min: Decimal
    amount_max: Decimal
    rate_min: Decimal
    rate_max: Decimal
    term_min: int
    term_max: int
    ratio: Decimal
    kinds: list[str]  # names of the accepted IP kinds
    nationwide: bool


@dataclass
class Words:
    """Translations and amounts for one page, each looked up once: a page of
    reasons says the same phrases and amounts many times over."""

    _: Callable[[str], str] = field(default_factory=lambda: lru_cache(maxsize=None)(gettext))
    yuan: Callable[[Decimal | None], str] = field(
        default_factory=lambda: lru_cache(maxsize=None)(yuan)
    )
    # Written to the enterprise itself ("you hold"), or about it (leads).
    to_enterprise: bool = True


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}"


def reasons_for(
    *,
    terms: Terms,
    checks: dict[str, bool],
    province: str,
    held: int,
    pledgeable: Decimal,
    capacity: Decimal,
    amount: Decimal | None,
    term: int | None,
    max_rate: Decimal | None,
    words: Words | None = None,
) -> list[Reason]:
    words = words or Words()
    _, yuan = words._, words.yuan
    kinds = _(", ").join(terms.kinds) or _("no kind of IP")
    reasons = []

    if terms.nationwide:
        text = _("Serves every province.")
    elif checks["province"]:
        text = _("Serves %(province)s.") % {"province": province}
    else:
        text = _("Does not serve %(province)s.") % {"province": province}
    reasons.append(Reason("province", checks["province"], text))

    # Enterprises read of their own assets; institutions (leads) of the enterprise's.
    held_text = {
        (True, True): _(
            "Accepts %(kinds)s; you hold %(count)s valid, unpledged assets of these kinds."
        ),
        (True, False): _("Accepts %(kinds)s; you hold no valid, unpledged asset of these kinds."),
        (False, True): _(
            "Accepts %(kinds)s; the enterprise holds %(count)s valid, unpledged assets "
            "of these kinds."
        ),
        (False, False): _(
            "Accepts %(kinds)s; the enterprise holds no valid, unpledged asset of these kinds."
        ),
    }[(words.to_enterprise, bool(checks["ip_kinds"]))]
    text = held_text % {"kinds": kinds, "count": held}
    reasons.append(Reason("ip_kinds", checks["ip_kinds"], text))

    bounds = {"min": yuan(terms.amount_min), "max": yuan(terms.amount_max)}
    if amount is None:
        text = _("Lends %(min)s to %(max)s.") % bounds
    elif checks["amount"]:
        text = _("%(amount)s is within %(min)s to %(max)s.") % {"amount": yuan(amount), **bounds}
    elif amount < terms.amount_min:
        text = _("%(amount)s is below the minimum of %(min)s.") % {"amount": yuan(amount), **bounds}
    else:
        text = _("%(amount)s is above the maximum of %(max)s.") % {"amount": yuan(amount), **bounds}
    reasons.append(Reason("amount", checks["amount"], text))

    parts = {
        "capacity": yuan(capacity),
        "value": yuan(pledgeable),
        "ratio": _pct(terms.ratio),
        "amount": yuan(amount),
        "min": yuan(terms.amount_min),
    }
    if amount is not None and checks["capacity"]:
        text = _(
            "Pledge capacity %(capacity)s (appraised %(value)s × %(ratio)s%%) covers %(amount)s."
        )
    elif amount is not None:
        text = _(
            "Pledge capacity %(capacity)s (appraised %(value)s × %(ratio)s%%) "
            "is less than %(amount)s."
        )
    elif checks["capacity"]:
        text = _(
            "Pledge capacity %(capacity)s (appraised %(value)s × %(ratio)s%%) "
            "reaches the minimum of %(min)s."
        )
    else:
        text = _(
            "Pledge capacity %(capacity)s (appraised %(value)s × %(ratio)s%%) "
            "is below the minimum of %(min)s."
        )
    reasons.append(Reason("capacity", checks["capacity"], text % parts))

    months = {"term": term, "min": terms.term_min, "max": terms.term_max}
    if term is None:
        text = _("Terms of %(min)s to %(max)s months.") % months
    elif checks["term"]:
        text = _("%(term)s months is within %(min)s to %(max)s months.") % months
    else:
        text = _("%(term)s months is outside %(min)s to %(max)s months.") % months
    reasons.append(Reason("term", checks["term"], text))

    rates = {"min": _pct(terms.rate_min), "max": _pct(terms.rate_max)}
    if max_rate is None:
        text = _("Annual rate %(min)s%% to %(max)s%%.") % rates
    elif checks["rate"]:
        text = _("Annual rate from %(min)s%%, within your limit of %(limit)s%%.") % {
            **rates,
            "limit": _pct(max_rate),
        }
    else:
        text = _("Annual rate from %(min)s%%, above your limit of %(limit)s%%.") % {
            **rates,
            "limit": _pct(max_rate),
        }
    reasons.append(Reason("rate", checks["rate"], text))
    return reasons


def borrow_line(
    *, up_to: Decimal, capacity: Decimal, terms: Terms, words: Words | None = None
) -> str:
    """ "You can borrow up to ¥X here because …", or why nothing can be borrowed."""
    words = words or Words()
    _, yuan = words._, words.yuan
    if not words.to_enterprise:
        if up_to <= 0:
            return _("It cannot borrow here yet.")
        return _("It can borrow up to %(amount)s here.") % {"amount": yuan(up_to)}
    if up_to <= 0:
        return _("You cannot borrow here yet: see the reasons below.")
    if capacity <= terms.amount_max:
        because = _("your pledge capacity here is %(capacity)s") % {"capacity": yuan(capacity)}
    else:
        because = _("the product lends at most %(max)s") % {"max": yuan(terms.amount_max)}
    return _("You can borrow up to %(amount)s here because %(because)s.") % {
        "amount": yuan(up_to),
        "because": because,
    }
