"""The meeting schedule of an event, solved exactly (how a schedule is run,
reviewed and published: docs/workflows.md, Meeting schedules).

The problem. x[e, i, t] = 1 when enterprise e meets institution i in slot t.
Each party has at most one meeting per slot, a pair meets at most once, an
institution at most `cap[i]` times and an enterprise at most `cap[e]` times.
Maximise Σ w[e, i] · x[e, i, t], where w is the pair's fit plus, for pairs that
asked to meet, a bonus larger than any total of fits: every requested pair
that can be placed is placed first, then fit decides.

Why two steps are exact. The objective depends only on which pairs meet,
y[e, i] = Σ_t x[e, i, t]. Any schedule gives pairs whose degrees are at most
min(cap, T) (T slots, one meeting per slot). Conversely, a set of pairs with
every degree ≤ T is a simple bipartite graph of maximum degree ≤ T, and
König's edge-colouring theorem colours its edges with T colours so that no
two edges at a vertex share one: read colours as slots and it is a schedule
with the same objective. So:

1. choose the pairs by a maximum-weight b-matching (degree bounds
   min(cap, T)), as a min-cost flow: source → enterprise (capacity its
   bound), enterprise → institution (capacity 1, cost −weight), institution
   → sink (capacity its bound), and a free source → sink arc for the supply
   no pair wants. Flows with integer capacities have integral optima, so the
   cheapest flow is the best set of pairs; OR-Tools' network simplex finds
   it exactly, in integers;
2. give the pairs slots by the constructive proof of König's theorem:
   colour edges one at a time, and when the colour free at one end is taken
   at the other, swap the two colours along the alternating path (which, the
   graph being bipartite, never comes back to the first end).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

# Fits are kept in thousandths, as Meeting.fit_score stores them.
FIT_SCALE = 1000


@dataclass(frozen=True)
class Candidate:
    """A pair that may meet: `fit` in thousandths (0..1000), `requested` when
    one side asked for the meeting."""

    enterprise: int
    institution: int
    fit: int
    requested: bool = False


@dataclass(frozen=True)
class Placed:
    enterprise: int
    institution: int
    slot: int
    fit: int
    requested: bool


@dataclass(frozen=True)
class Solution:
    meetings: list[Placed]

    @property
    def total_fit(self) -> int:
        return sum(m.fit for m in self.meetings)

    @property
    def requested_placed(self) -> int:
        return sum(1 for m in self.meetings if m.requested)


def _bonus(candidates: Sequence[Candidate]) -> int:
    """More than every fit together: one more requested pair always wins."""
    return sum(c.fit for c in candidates) + 1


def _weights(candidates: Sequence[Candidate]) -> np.ndarray:
    bonus = _bonus(candidates)
    return np.array([c.fit + (bonus if c.requested else 0) for c in candidates], dtype=np.int64)


def _usable(
    candidates: Sequence[Candidate],
    enterprise_caps: dict[int, int],
    institution_caps: dict[int, int],
) -> list[Candidate]:
    """Candidates between parties who can meet at all, with a fit or a request;
    one per pair (requested, then the best fit, wins)."""
    usable = [
        c
        for c in candidates
        if (c.fit > 0 or c.requested)
        and enterprise_caps.get(c.enterprise, 0) > 0
        and institution_caps.get(c.institution, 0) > 0
    ]
    if len({(c.enterprise, c.institution) for c in usable}) == len(usable):
        return usable
    best: dict[tuple[int, int], Candidate] = {}
    for c in usable:
        key = (c.enterprise, c.institution)
        seen = best.get(key)
        if seen is None:
            best[key] = c
        else:
            best[key] = Candidate(
                c.enterprise, c.institution, max(c.fit, seen.fit), c.requested or seen.requested
            )
    return list(best.values())


def choose_pairs(
    candidates: Sequence[Candidate],
    *,
    slots: int,
    enterprise_caps: dict[int, int],
    institution_caps: dict[int, int],
) -> list[Candidate]:
    """The pairs of an optimal schedule: a maximum-weight b-matching."""
    if slots <= 0:
        return []
    pairs = _usable(candidates, enterprise_caps, institution_caps)
    if not pairs:
        return []
    enterprises = sorted({c.enterprise for c in pairs})
    institutions = sorted({c.institution for c in pairs})
    node_of_e = {e: n for n, e in enumerate(enterprises)}
    node_of_i = {i: len(enterprises) + n for n, i in enumerate(institutions)}
    source = len(enterprises) + len(institutions)
    sink = source + 1
    bound_e = np.array([min(slots, enterprise_caps[e]) for e in enterprises], dtype=np.int64)
    bound_i = np.array([min(slots, institution_caps[i]) for i in institutions], dtype=np.int64)
    supply = int(bound_e.sum())
    pair_tails = np.fromiter((node_of_e[c.enterprise] for c in pairs), np.int32, len(pairs))
    pair_heads = np.fromiter((node_of_i[c.institution] for c in pairs), np.int32, len(pairs))
    tails = np.concatenate(
        [
            np.full(len(enterprises), source),
            pair_tails,
            np.arange(len(enterprises), source),
            [source],
        ]
    ).astype(np.int32)
    heads = np.concatenate(
        [np.arange(len(enterprises)), pair_heads, np.full(len(institutions), sink), [sink]]
    ).astype(np.int32)
    capacities = np.concatenate(
        [bound_e, np.ones(len(pairs), dtype=np.int64), bound_i, [supply]]
    ).astype(np.int64)
    costs = np.concatenate(
        [
            np.zeros(len(enterprises), dtype=np.int64),
            -_weights(pairs),
            np.zeros(len(institutions) + 1, dtype=np.int64),
        ]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve()
    if status != flow.OPTIMAL:  # pragma: no cover - a feasible, bounded flow always solves
        raise RuntimeError(f"The schedule could not be solved (status {status}).")
    used = flow.flows(arcs[len(enterprises) : len(enterprises) + len(pairs)])
    return [c for c, f in zip(pairs, used, strict=True) if f > 0]


def colour_edges(edges: Sequence[tuple[int, int]], *, colours: int) -> list[int]:
    """A proper edge colouring of a bipartite graph (left ids, right ids) with
    `colours` colours, which must be at least its maximum degree."""
    left = {u for u, _ in edges}
    node = {("l", u): n for n, u in enumerate(sorted(left))}
    for v in sorted({v for _, v in edges}):
        node[("r", v)] = len(node)
    # at[x][c]: the node x meets by its edge of colour c, or -1.
    at = [[-1] * colours for _ in range(len(node))]
    for u_id, v_id in edges:
        u, v = node[("l", u_id)], node[("r", v_id)]
        a = at[u].index(-1)  # ValueError here means degree > colours
        b = at[v].index(-1)
        if at[v][a] != -1:
            # Swap a and b on the path from v that alternates a, b, a, ...
            path = []
            x, c = v, a
            while at[x][c] != -1:
                y = at[x][c]
                path.append((x, y, c))
                x, c = y, (b if c == a else a)
            for x, y, c in path:
                at[x][c] = at[y][c] = -1
            for x, y, c in path:
                d = b if c == a else a
                at[x][d], at[y][d] = y, x
        at[u][a], at[v][a] = v, u
    # A simple graph: the colour of (u, v) is the one at which u meets v.
    return [at[node[("l", u)]].index(node[("r", v)]) for u, v in edges]


def solve(
    candidates: Sequence[Candidate],
    *,
    slots: int,
    enterprise_caps: dict[int, int],
    institution_caps: dict[int, int],
) -> Solution:
    """An optimal schedule: slots numbered 0..slots-1."""
    pairs = choose_pairs(
        candidates, slots=slots, enterprise_caps=enterprise_caps, institution_caps=institution_caps
    )
    slot_of = colour_edges([(c.enterprise, c.institution) for c in pairs], colours=slots)
    return Solution(
        meetings=[
            Placed(c.enterprise, c.institution, slot, c.fit, c.requested)
            for c, slot in zip(pairs, slot_of, strict=True)
        ]
    )


def solve_greedy(
    candidates: Sequence[Candidate],
    *,
    slots: int,
    enterprise_caps: dict[int, int],
    institution_caps: dict[int, int],
) -> Solution:
    """The baseline: best pair first, into the first slot both sides have free."""
    pairs = _usable(candidates, enterprise_caps, institution_caps)
    bonus = _bonus(pairs)
    pairs.sort(key=lambda c: -(c.fit + (bonus if c.requested else 0)))
    left_e = dict(enterprise_caps)
    left_i = dict(institution_caps)
    busy_e: dict[int, set[int]] = {}
    busy_i: dict[int, set[int]] = {}
    placed = []
    for c in pairs:
        if left_e[c.enterprise] <= 0 or left_i[c.institution] <= 0:
            continue
        taken_e = busy_e.setdefault(c.enterprise, set())
        taken_i = busy_i.setdefault(c.institution, set())
        slot = next((t for t in range(slots) if t not in taken_e and t not in taken_i), None)
        if slot is None:
            continue
        taken_e.add(slot)
        taken_i.add(slot)
        left_e[c.enterprise] -= 1
        left_i[c.institution] -= 1
        placed.append(Placed(c.enterprise, c.institution, slot, c.fit, c.requested))
    return Solution(meetings=placed)
