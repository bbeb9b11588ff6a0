"""The schedule solver: optimal where greedy is not, never infeasible, and
equal to a brute force over every schedule of small random cases."""

from __future__ import annotations

import itertools
import random

import pytest

from matching.scheduling import Candidate, colour_edges, solve, solve_greedy


def _feasible(solution, *, slots, enterprise_caps, institution_caps):
    seen_e, seen_i, pairs = set(), set(), set()
    per_e: dict[int, int] = {}
    per_i: dict[int, int] = {}
    for m in solution.meetings:
        assert 0 <= m.slot < slots
        assert (m.enterprise, m.slot) not in seen_e, "an enterprise twice in a slot"
        assert (m.institution, m.slot) not in seen_i, "an institution twice in a slot"
        assert (m.enterprise, m.institution) not in pairs, "a pair met twice"
        seen_e.add((m.enterprise, m.slot))
        seen_i.add((m.institution, m.slot))
        pairs.add((m.enterprise, m.institution))
        per_e[m.enterprise] = per_e.get(m.enterprise, 0) + 1
        per_i[m.institution] = per_i.get(m.institution, 0) + 1
    assert all(n <= enterprise_caps[e] for e, n in per_e.items())
    assert all(n <= institution_caps[i] for i, n in per_i.items())


def test_it_finds_the_optimum_where_greedy_takes_the_best_pair_first():
    # One slot. Greedy seats the single best pair (A, X: 0.9) and then neither
    # A nor X is free; pairing A with Y and B with X fits 0.8 + 0.8 = 1.6.
    candidates = [Candidate(1, 10, 900), Candidate(1, 20, 800), Candidate(2, 10, 800)]
    caps = {"enterprise_caps": {1: 1, 2: 1}, "institution_caps": {10: 1, 20: 1}}
    greedy = solve_greedy(candidates, slots=1, **caps)
    best = solve(candidates, slots=1, **caps)
    assert greedy.total_fit == 900
    assert best.total_fit == 1600
    assert {(m.enterprise, m.institution) for m in best.meetings} == {(1, 20), (2, 10)}


def test_slots_are_shared_out_so_every_chosen_pair_meets():
    # Two slots, institution 10 can see both enterprises, 20 only one: greedy
    # puts (1,10) and (2,10)... the exact schedule still fits all three pairs.
    candidates = [Candidate(1, 10, 900), Candidate(2, 10, 850), Candidate(1, 20, 800)]
    caps = {"enterprise_caps": {1: 2, 2: 2}, "institution_caps": {10: 2, 20: 2}}
    best = solve(candidates, slots=2, **caps)
    _feasible(best, slots=2, **caps)
    assert best.total_fit == 2550


def test_requested_pairs_come_before_any_fit():
    # The requested pair has no fit at all; it is placed although two good
    # pairs could have used its parties' only slot.
    candidates = [
        Candidate(1, 10, 0, requested=True),
        Candidate(1, 20, 1000),
        Candidate(2, 10, 1000),
    ]
    caps = {"enterprise_caps": {1: 1, 2: 1}, "institution_caps": {10: 1, 20: 1}}
    best = solve(candidates, slots=1, **caps)
    assert best.requested_placed == 1
    assert {(m.enterprise, m.institution) for m in best.meetings} == {(1, 10)}


def test_caps_and_slots_bound_the_meetings():
    candidates = [Candidate(e, 10, 500) for e in range(5)]
    caps = {"enterprise_caps": dict.fromkeys(range(5), 3), "institution_caps": {10: 2}}
    best = solve(candidates, slots=3, **caps)
    assert len(best.meetings) == 2
    caps["institution_caps"] = {10: 9}
    best = solve(candidates, slots=3, **caps)
    assert len(best.meetings) == 3  # one institution, three slots


def test_no_slots_no_meetings():
    assert (
        solve(
            [Candidate(1, 10, 500)], slots=0, enterprise_caps={1: 1}, institution_caps={10: 1}
        ).meetings
        == []
    )


def _brute_force(candidates, *, slots, enterprise_caps, institution_caps):
    """The best (requested pairs placed, total fit) over every set of (pair, slot) choices."""
    options = [None, *range(slots)]
    best = (0, 0)
    for choice in itertools.product(options, repeat=len(candidates)):
        used_e, used_i = set(), set()
        per_e: dict[int, int] = {}
        per_i: dict[int, int] = {}
        requested = fit = 0
        ok = True
        for c, slot in zip(candidates, choice, strict=True):
            if slot is None:
                continue
            if (c.enterprise, slot) in used_e or (c.institution, slot) in used_i:
                ok = False
                break
            used_e.add((c.enterprise, slot))
            used_i.add((c.institution, slot))
            per_e[c.enterprise] = per_e.get(c.enterprise, 0) + 1
            per_i[c.institution] = per_i.get(c.institution, 0) + 1
            requested += c.requested
            fit += c.fit
        if (
            ok
            and all(n <= enterprise_caps[e] for e, n in per_e.items())
            and all(n <= institution_caps[i] for i, n in per_i.items())
        ):
            best = max(best, (requested, fit))
    return best


@pytest.mark.parametrize("seed", range(60))
def test_it_matches_a_brute_force_on_small_random_cases(seed):
    rng = random.Random(seed)
    enterprises, institutions, slots = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 2)
    pairs = [(e, i) for e in range(enterprises) for i in range(institutions)]
    chosen = rng.sample(pairs, rng.randint(1, min(6, len(pairs))))
    candidates = [Candidate(e, i, rng.randint(0, 1000), rng.random() < 0.2) for e, i in chosen]
    caps = {
        "enterprise_caps": {e: rng.randint(0, 2) for e in range(enterprises)},
        "institution_caps": {i: rng.randint(0, 2) for i in range(institutions)},
    }
    best = solve(candidates, slots=slots, **caps)
    greedy = solve_greedy(candidates, slots=slots, **caps)
    _feasible(best, slots=slots, **caps)
    _feasible(greedy, slots=slots, **caps)
    brute = _brute_force(candidates, slots=slots, **caps)
    assert (best.requested_placed, best.total_fit) == brute
    assert (best.requested_placed, best.total_fit) >= (greedy.requested_placed, greedy.total_fit)


@pytest.mark.parametrize("seed", range(20))
def test_edge_colouring_uses_no_more_colours_than_the_largest_degree(seed):
    rng = random.Random(seed)
    edges = list({(rng.randint(0, 15), rng.randint(0, 15)) for _ in range(80)})
    degree: dict[tuple[str, int], int] = {}
    for u, v in edges:
        degree[("l", u)] = degree.get(("l", u), 0) + 1
        degree[("r", v)] = degree.get(("r", v), 0) + 1
    colours = max(degree.values())
    coloured = colour_edges(edges, colours=colours)
    seen = set()
    for (u, v), c in zip(edges, coloured, strict=True):
        assert 0 <= c < colours
        assert ("l", u, c) not in seen and ("r", v, c) not in seen
        seen |= {("l", u, c), ("r", v, c)}
