"""Eligibility and fit of products for enterprises, on arrays.

The same rules answer three questions: one enterprise against the whole
catalogue (ranking), one institution's products against every discoverable
enterprise (leads) and every registered pair at an event (the schedule's fits).
They are written once, on NumPy arrays that broadcast: products along one
axis, enterprises along the other. Money is in integer cents and rates and
ratios in hundredths of a percent, so the comparisons are exact, the same as
in Decimal yuan.

The criteria (each a boolean array):
- province: the product serves the enterprise's province (or all provinces);
- ip_kinds: the enterprise holds a valid, unpledged asset of a kind it accepts;
- amount: the amount asked for is within the product's range;
- capacity: the pledge capacity, Σ appraised value of those assets × the
  product's maximum pledge ratio, covers the amount (or at least the
  product's minimum when no amount is asked);
- term: the term asked for is within the product's range;
- rate: the product's lowest rate is at most the rate the enterprise accepts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from core.models import IPKind

CRITERIA = ("province", "ip_kinds", "amount", "capacity", "term", "rate")
KINDS: tuple[str, ...] = tuple(IPKind.Code.values)
NONE = -1  # an amount, term or rate not given
# Scores in thousandths: 1000 is a perfect fit.
SCORE_SCALE = 1000
RATE_CEILING = 1200  # 12 %, in hundredths: rates at or above it score nothing
WEIGHT_RATE, WEIGHT_HEADROOM, WEIGHT_LOCAL = 400, 400, 200


@dataclass
class ProductArrays:
    """Published products, one entry each."""

    ids: np.ndarray  # int64
    institution_ids: np.ndarray  # int64
    amount_min: np.ndarray  # cents
    amount_max: np.ndarray  # cents
    rate_min: np.ndarray  # hundredths of a percent
    rate_max: np.ndarray
    term_min: np.ndarray  # months
    term_max: np.ndarray
    ratio: np.ndarray  # hundredths of a percent: 50.00 % is 5000
    nationwide: np.ndarray  # bool
    served: np.ndarray  # int64 bit mask of province indexes
    accepted: np.ndarray  # (products, kinds) int64, 1 where the kind is accepted

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, index: np.ndarray) -> ProductArrays:
        return ProductArrays(**{name: value[index] for name, value in vars(self).items()})


@dataclass
class EnterpriseArrays:
    """Enterprises with their need and their valid, unpledged IP by kind."""

    ids: np.ndarray  # int64
    province: np.ndarray  # province index
    need_amount: np.ndarray  # cents, NONE when not stated
    need_term: np.ndarray  # months, NONE when not stated
    values: np.ndarray  # (enterprises, kinds) cents of appraised value
    counts: np.ndarray  # (enterprises, kinds) number of assets

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, index: np.ndarray) -> EnterpriseArrays:
        return EnterpriseArrays(**{name: value[index] for name, value in vars(self).items()})


@dataclass
class Evaluation:
    """Products × enterprises: each criterion, the capacity, what can be
    borrowed, eligibility and score. Arrays of shape (products, enterprises)."""

    checks: dict[str, np.ndarray]
    capacity: np.ndarray  # cents
    up_to: np.ndarray  # cents: the most the product lends, 0 when it lends nothing
    eligible: np.ndarray
    passed: np.ndarray  # how many criteria pass
    score: np.ndarray  # thousandths, 0 when not eligible


def evaluate(
    products: ProductArrays, enterprises: EnterpriseArrays, *, max_rate: int = NONE
) -> Evaluation:
    p = lambda a: a[:, None]  # noqa: E731 - products down the rows
    need = enterprises.need_amount[None, :]
    term = enterprises.need_term[None, :]
    asked = need != NONE

    province_bit = np.left_shift(np.int64(1), enterprises.province.astype(np.int64))[None, :]
    province = p(products.nationwide) | ((p(products.served) & province_bit) != 0)
    # Products × kinds times kinds × enterprises, one kind at a time: six
    # kinds, exact integers, and no thread pool to wake for small arrays.
    ip_kinds = np.zeros((len(products), len(enterprises)), dtype=bool)
    pledgeable = np.zeros((len(products), len(enterprises)), dtype=np.int64)
    for k in range(len(KINDS)):
        takes = products.accepted[:, k].astype(bool)
        if not takes.any():
            continue
        ip_kinds |= takes[:, None] & (enterprises.counts[None, :, k] > 0)
        pledgeable += np.where(takes[:, None], enterprises.values[None, :, k], 0)
    capacity = pledgeable * p(products.ratio) // 10000
    amount = ~asked | ((p(products.amount_min) <= need) & (need <= p(products.amount_max)))
    covers = np.where(asked, capacity >= need, capacity >= np.maximum(p(products.amount_min), 1))
    term_ok = (term == NONE) | ((p(products.term_min) <= term) & (term <= p(products.term_max)))
    rate = np.ones_like(province) if max_rate == NONE else p(products.rate_min) <= max_rate
    shape = np.broadcast_shapes(province.shape, capacity.shape, need.shape)
    checks = {
        name: np.broadcast_to(value, shape)
        for name, value in zip(
            CRITERIA, (province, ip_kinds, amount, covers, term_ok, rate), strict=True
        )
    }
    eligible = np.ones(shape, dtype=bool)
    passed = np.zeros(shape, dtype=np.int8)
    for check in checks.values():
        eligible &= check
        passed += check
    lends = province & ip_kinds & (capacity >= p(products.amount_min)) & (capacity > 0)
    up_to = np.where(lends, np.minimum(capacity, p(products.amount_max)), 0)

    rate_part = (RATE_CEILING - np.clip(p(products.rate_min), 0, RATE_CEILING)) / RATE_CEILING
    headroom = np.where(asked, np.clip((up_to - need) / np.maximum(need, 1), 0.0, 1.0), 0.5)
    local = np.where(p(products.nationwide), 0.5, 1.0)
    score = np.rint(
        WEIGHT_RATE * rate_part + WEIGHT_HEADROOM * headroom + WEIGHT_LOCAL * local
    ).astype(np.int64)
    score = np.where(eligible, np.maximum(score, 1), 0)
    return Evaluation(
        checks=checks,
        capacity=np.broadcast_to(capacity, shape),
        up_to=np.broadcast_to(up_to, shape),
        eligible=eligible,
        passed=passed,
        score=np.broadcast_to(score, shape),
    )


def ranking_order(evaluation: Evaluation, products: ProductArrays) -> np.ndarray:
    """Indexes of the products, best first, for one enterprise (column 0):
    eligible ones by score, then the others by how many criteria they pass;
    ties by the lower rate, then the product id."""
    return np.lexsort(
        (
            products.ids,
            products.rate_min,
            -evaluation.passed[:, 0],
            -evaluation.score[:, 0],
            ~evaluation.eligible[:, 0],
        )
    )


# Products × enterprises are evaluated this many cells at a time, so the
# arrays stay small enough for the processor's cache.
CELLS = 1 << 17


def _chunks(products: ProductArrays, enterprises: EnterpriseArrays) -> Iterator[EnterpriseArrays]:
    step = max(1, CELLS // max(1, len(products)))
    for start in range(0, len(enterprises), step):
        yield enterprises.take(np.arange(start, min(start + step, len(enterprises))))


@dataclass
class Best:
    """For each enterprise: its best product's row, that score, and how many
    products it is eligible for."""

    rows: np.ndarray
    scores: np.ndarray
    fitting: np.ndarray


def best_per_enterprise(products: ProductArrays, enterprises: EnterpriseArrays) -> Best:
    if len(products) == 0:
        nothing = np.zeros(len(enterprises), dtype=np.int64)
        return Best(nothing, nothing, nothing)
    rows, scores, fitting = [], [], []
    for part in _chunks(products, enterprises):
        evaluation = evaluate(products, part)
        key = evaluation.score * 8 + evaluation.passed  # score first, criteria passed next
        best = np.argmax(key, axis=0)
        rows.append(best)
        scores.append(evaluation.score[best, np.arange(len(part))])
        fitting.append(evaluation.eligible.sum(axis=0))
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return Best(empty, empty, empty)
    return Best(np.concatenate(rows), np.concatenate(scores), np.concatenate(fitting))


def best_per_institution(
    products: ProductArrays, enterprises: EnterpriseArrays
) -> tuple[np.ndarray, np.ndarray]:
    """The best score of each institution's products for each enterprise:
    institution ids, and an (institutions, enterprises) array of scores."""
    order = np.argsort(products.institution_ids, kind="stable")
    products = products.take(order)
    institutions, starts = np.unique(products.institution_ids, return_index=True)
    if len(products) == 0 or len(enterprises) == 0:
        return institutions, np.zeros((len(institutions), len(enterprises)), dtype=np.int64)
    parts = []
    for part in _chunks(products, enterprises):
        score = np.asarray(evaluate(products, part).score)
        parts.append(np.maximum.reduceat(score, starts, axis=0))
    return institutions, np.concatenate(parts, axis=1)
