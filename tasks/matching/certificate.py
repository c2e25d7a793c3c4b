"""A certified upper bound on the optimum of a candidate-list solution, from LP duality.

The b-matching LP  max Σ s'_e x_e,  Σ_j x_ij ≤ 1 (mentee),  Σ_i x_ij ≤ c_j (mentor),  x ≥ 0
has the dual  min Σ u_i + Σ c_j v_j  with  u_i + v_j ≥ s'_ij,  u, v ≥ 0.  For any mentor prices v ≥ 0,
u_i = max(0, max_j (s'_ij − v_j)) over *every* feasible pair makes the dual feasible, so
Σ u + Σ c v bounds every matching of the whole cohort, not only those inside the candidate lists.

count_first is the same LP with a per-pair bonus B larger than any total score (s' = s + B): the
bound minus B·K then bounds the score of every matching with at least K pairs, K = pairs made.

The prices come from the candidate solution itself: the highest v that makes it satisfy
complementary slackness (a shortest-path fixpoint over mentor-to-mentor exchange arcs). When the
solution is optimal on its lists, that fixpoint exists and the bound on the lists equals the
solution, so any gap measured over the whole cohort comes only from pairs outside the lists; a
pair whose reduced cost is positive is one that could improve it, and is handed back so the
solver can take it in (column generation). When none is, the solution is optimal, certified.
"""

from dataclasses import dataclass

import numpy as np

from tasks.matching.rules import RuleArrays
from tasks.matching.scoring import ScoreModel

SCALE = 100
MAX_ROUNDS = 500


@dataclass
class Certificate:
    score: int  # the solution's score, integer hundredths
    upper: int  # no matching of the whole cohort (with at least as many pairs, for count_first) scores more
    better_edges: tuple[np.ndarray, np.ndarray, np.ndarray]
    slack: np.ndarray  # per candidate edge: how far below tight it is at these prices (0 on the chosen edges)

    @property
    def exact(self) -> bool:
        return self.upper <= self.score

    @property
    def gap(self) -> float:
        return (self.upper - self.score) / self.upper if self.upper > 0 else 0.0


def certify(
    model: ScoreModel, rules: RuleArrays, rows: np.ndarray, cols: np.ndarray, capacity: np.ndarray,
    edges: tuple[np.ndarray, np.ndarray, np.ndarray], chosen: np.ndarray, *, objective: str, find_better: bool = True,
) -> Certificate | None:
    """Bound the optimum over every feasible pair of `rows` x `cols` for a solution optimal on its `edges`."""
    edge_mentees, edge_mentors, edge_scores = edges
    pairs = int(chosen.sum())
    bonus = pair_bonus(objective, edge_scores, min(len(rows), int(capacity.sum())))
    prices = mentor_prices(
        edge_mentees, edge_mentors, edge_scores, chosen, mentees=len(rows), mentors=len(cols), capacity=capacity, bonus=bonus
    )
    if prices is None:
        return None
    duals = list_duals(edge_mentees, edge_mentors, edge_scores, prices, mentees=len(rows), bonus=bonus)
    bound = whole_cohort_bound(
        model, rules, rows, cols, capacity, prices, bonus=bonus, pairs=pairs, list_duals=duals,
        keep_per_row=5 if find_better else 0,
    )
    slack = duals[edge_mentees] + prices[edge_mentors] - bonus - edge_scores.astype(np.int64)
    return Certificate(score=int(edge_scores[chosen].sum()), upper=bound.upper, better_edges=bound.better_edges, slack=slack)


@dataclass
class Bound:
    upper: int  # bound on the optimum score, integer hundredths
    better_edges: tuple[np.ndarray, np.ndarray, np.ndarray]  # (row, col, score) outside the lists with positive reduced cost


def pair_bonus(objective: str, edge_scores: np.ndarray, pairs_possible: int) -> int:
    """count_first: a bonus per pair above any total score, so more pairs always win."""
    if objective != "count_first" or len(edge_scores) == 0:
        return 0
    return (int(edge_scores.max()) + 1) * max(1, pairs_possible) + 1


def mentor_prices(
    edge_mentees: np.ndarray, edge_mentors: np.ndarray, edge_scores: np.ndarray, chosen: np.ndarray,
    *, mentees: int, mentors: int, capacity: np.ndarray, bonus: int,
) -> np.ndarray | None:
    """The highest mentor prices v ≥ 0 complementary to the chosen edges (None when they do not settle).

    Among the duals that prove the chosen edges optimal on their lists, the highest prices leave
    each mentee the least surplus u_i, which makes pairs outside the lists least likely to look better."""
    scores = edge_scores.astype(np.int64) + bonus
    match_of = np.full(mentees, -1, np.int64)
    matched_score = np.zeros(mentees, np.int64)
    match_of[edge_mentees[chosen]] = edge_mentors[chosen]
    matched_score[edge_mentees[chosen]] = scores[chosen]
    load = np.bincount(edge_mentors[chosen], minlength=mentors)
    ceiling = np.iinfo(np.int64).max // 4
    prices = np.full(mentors, ceiling, np.int64)
    np.minimum.at(prices, edge_mentors[chosen], scores[chosen])
    prices[load < capacity] = 0
    # exchange arcs: mentee i may leave m(i) for j, so v_m(i) ≤ v_j + s_i,m(i) − s_ij
    exchange = (match_of[edge_mentees] >= 0) & ~chosen
    head = match_of[edge_mentees[exchange]]
    tail = edge_mentors[exchange]
    loss = matched_score[edge_mentees[exchange]] - scores[exchange]
    if len(head):
        order = np.lexsort((tail, head))
        tail, head, loss = tail[order], head[order], loss[order]
        starts = np.concatenate([[0], np.nonzero(np.diff(head))[0] + 1])
        heads = head[starts]
        for _ in range(MAX_ROUNDS):
            best = np.minimum.reduceat(prices[tail] + loss, starts)
            if not (best < prices[heads]).any():
                break
            np.minimum.at(prices, heads, best)
        else:
            return None
    return np.clip(np.where(prices >= ceiling, 0, prices), 0, None)


def whole_cohort_bound(
    model: ScoreModel, rules: RuleArrays, rows: np.ndarray, cols: np.ndarray, capacity: np.ndarray,
    prices: np.ndarray, *, bonus: int, pairs: int, list_duals: np.ndarray, chunk_pairs: int = 8_000_000,
    keep_per_row: int = 5,
) -> Bound:
    """Price every feasible pair once, in blocks of mentee rows: the bound, and the pairs that could improve it.

    `list_duals` is each row's u_i over its candidate list; a pair whose reduced cost against it is
    positive could improve the solution and is returned (up to `keep_per_row` per row).
    Integer arithmetic keeps the bound exact: int32 while the bonus allows it, int64 beyond."""
    offsets = prices.astype(np.int64) - bonus  # s'_ij − v_j = s_ij − (v_j − B)
    dtype = np.int32 if np.abs(offsets).max(initial=0) + bonus < 2**30 else np.int64
    never = np.iinfo(dtype).min // 2
    offsets = offsets.astype(dtype)
    mentee_features = (model.mentee_features[rows] * SCALE).astype(model.mentee_features.dtype)
    mentor_features = np.ascontiguousarray(model.mentor_features[cols].T)
    total_u = 0
    found_i, found_j, found_s = [], [], []
    step = max(1, min(len(rows), chunk_pairs // max(1, len(cols))))
    # two reused buffers: allocating a fresh block per chunk costs more than the arithmetic (page faults)
    block_buffer = np.empty((step, len(cols)), dtype=mentee_features.dtype)
    score_buffer = np.empty((step, len(cols)), dtype=dtype)
    for start in range(0, len(rows), step):
        chunk = rows[start : start + step]
        block = np.matmul(mentee_features[start : start + step], mentor_features, out=block_buffer[: len(chunk)])
        scores = score_buffer[: len(chunk)]
        np.copyto(scores, np.rint(block, out=block), casting="unsafe")
        rules.mark_infeasible(scores, chunk, cols, never)
        reduced = np.subtract(scores, offsets[None, :], out=scores)
        best = np.maximum(reduced.max(axis=1), 0).astype(np.int64)
        total_u += int(best.sum())
        local_duals = list_duals[start : start + len(chunk)]
        hit_rows = np.flatnonzero(best > local_duals)
        if len(hit_rows) and keep_per_row:
            excess = reduced[hit_rows].astype(np.int64) - local_duals[hit_rows, None]
            k = min(keep_per_row, len(cols))
            top = np.argpartition(-excess, k - 1, axis=1)[:, :k]
            keep = np.take_along_axis(excess, top, axis=1) > 0
            r = np.repeat(hit_rows, k).reshape(-1, k)[keep]
            found_i.append(r + start)
            found_j.append(top[keep])
            found_s.append(reduced[r, top[keep]].astype(np.int64) + offsets[top[keep]])
    upper = total_u + int((capacity.astype(np.int64) * prices).sum()) - bonus * pairs
    empty = np.zeros(0, np.int64)
    better_edges = tuple(np.concatenate(p) if p else empty for p in (found_i, found_j, found_s))
    return Bound(upper=upper, better_edges=better_edges)


def list_duals(edge_mentees, edge_mentors, edge_scores, prices: np.ndarray, *, mentees: int, bonus: int) -> np.ndarray:
    """u_i = max(0, max over the row's candidate list of s'_ij − v_j)."""
    duals = np.zeros(mentees, np.int64)
    np.maximum.at(duals, edge_mentees, edge_scores.astype(np.int64) + bonus - prices[edge_mentors])
    return duals
