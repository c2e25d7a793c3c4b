"""The three matching modes over one prepared cohort: assigned (optimal), mentee choice (stable), hybrid."""

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import ortools

from tasks.matching.candidates import FULL_GRAPH_PAIRS, SCALE, TOP_K, candidate_edges
from tasks.matching.certificate import certify
from tasks.matching.rules import RuleArrays
from tasks.matching.scoring import ScoreModel
from tasks.matching.solvers import deferred_acceptance, solve_flow

FLOW = f"ortools {ortools.__version__} min-cost flow"
PRICING_ROUNDS = 2  # re-solves with the pairs the certificate found; each costs one flow and one pricing pass
CERTIFY_GAP = 0.0002  # stop once certified within 0.02% of the optimum
NEAR_TIGHT = SCALE // 2  # hundredths: edges this close to tight are kept for the next solve
PRICING_PAIRS = 100_000_000  # above this many pairs, one re-solve at most (each round costs a full pass)


@dataclass
class Assignment:
    """Mentee row -> mentor column, with a note per row on how it was made, and per unplaced row why."""

    pairs: dict[int, int] = field(default_factory=dict)
    how: dict[int, str] = field(default_factory=dict)
    feasible_count: dict[int, int] = field(default_factory=dict)
    why_unplaced: dict[int, str] = field(default_factory=dict)
    solver: str = ""
    optimal: bool = True
    upper_bound: float | None = None  # no assignment of these rows scores more (None: not known)
    notes: list[str] = field(default_factory=list)


def optimise(
    model: ScoreModel, rules: RuleArrays, rows: np.ndarray, capacity: np.ndarray, *, objective: str,
    top_k: int = TOP_K, full_graph_pairs: int = FULL_GRAPH_PAIRS,
) -> Assignment:
    """The whole-cohort optimum over candidate edges: every feasible pair when small; when large, each
    side's top-k, certified against every feasible pair by LP duality and extended with the pairs
    the certificate shows could improve it (column generation), until exact or within CERTIFY_GAP."""
    result = Assignment(solver=FLOW)
    cols = np.nonzero(rules.mentor_open & (capacity > 0))[0]
    if len(rows) == 0 or len(cols) == 0:
        result.feasible_count = {int(r): 0 for r in rows}
        return result
    candidates = candidate_edges(model, rules, rows, cols, top_k=top_k, full_graph_pairs=full_graph_pairs)
    edges = (candidates.mentees, candidates.mentors, candidates.scores)
    certificate = None
    priced_in = 0
    rounds = PRICING_ROUNDS if len(rows) * len(cols) <= PRICING_PAIRS else 1
    for round_ in range(rounds + 1):
        chosen = solve_flow(*edges, mentees=len(rows), mentors=len(cols), capacity=capacity[cols], objective=objective)
        if candidates.complete:
            break
        certificate = certify(
            model, rules, rows, cols, capacity[cols], edges, chosen, objective=objective, find_better=round_ < rounds
        )
        if certificate is None or certificate.exact or certificate.gap <= CERTIFY_GAP or round_ == rounds:
            break
        # re-solve on the edges that are tight or nearly so at these prices, plus the new ones: an optimum
        # rarely needs a pair far from tight, and the next certificate prices every pair anyway
        near = chosen | (certificate.slack <= NEAR_TIGHT)
        priced_in += len(certificate.better_edges[0])
        edges = tuple(np.concatenate([mine[near], found]) for mine, found in zip(edges, certificate.better_edges, strict=True))
    left = capacity.copy()
    for e in np.nonzero(chosen)[0].tolist():
        row, col = int(rows[edges[0][e]]), int(cols[edges[1][e]])
        result.pairs[row] = col
        left[col] -= 1
    result.feasible_count = {int(r): int(c) for r, c in zip(rows, candidates.feasible_count, strict=True)}
    score = int(edges[2][chosen].sum())
    if candidates.complete:
        result.solver = f"{FLOW} (exact, every feasible pair)"
        result.upper_bound = score / SCALE
        if objective == "score_first":
            _fill_spare_capacity(model, rules, rows, left, result, "added after the score-first optimum")
        return result
    result.solver = f"{FLOW} (top-{top_k} candidates per mentee and per mentor, priced against every feasible pair)"
    feasible_pairs = int(candidates.feasible_count.sum())
    result.notes.append(
        f"large cohort: kept each mentee's and each mentor's {top_k} best candidates "
        f"({len(candidates.mentees):,} of {feasible_pairs:,} feasible pairs), "
        f"then {priced_in:,} pairs the dual prices showed could improve it"
    )
    result.optimal = certificate is not None and certificate.exact
    if certificate is None:
        result.notes.append("no optimality certificate: the dual prices did not settle")
    elif certificate.exact:
        result.upper_bound = score / SCALE
        result.notes.append("optimal (certified: no pair outside the candidate lists could improve it)")
    elif certificate.gap > 0.5:
        result.notes.append("no useful certificate: it could not confirm that no more mentees can be placed")
    else:
        result.upper_bound = certificate.upper / SCALE
        result.notes.append(
            f"within {100 * certificate.gap:.3f}% of optimal (certified: the optimum scores at most {certificate.upper / SCALE:.2f})"
        )
    repaired = _fill_spare_capacity(model, rules, rows, left, result, "added from outside the candidate lists")
    if repaired:
        result.notes.append(f"{repaired} mentees placed afterwards with a mentor outside their candidate list")
    return result


def _fill_spare_capacity(model, rules, rows, left, result: Assignment, how: str) -> int:
    """Give each still-unplaced mentee the best feasible mentor who has room (never undoes a pair)."""
    placed = 0
    for row in [int(r) for r in rows if int(r) not in result.pairs]:
        open_cols = np.nonzero(rules.mentor_open & (left > 0))[0]
        if len(open_cols) == 0:
            break
        feasible = rules.feasible_block(np.array([row]), open_cols)[0]
        if not feasible.any():
            continue
        scores = np.where(feasible, model.block(np.array([row]), open_cols)[0], -np.inf)
        col = int(open_cols[int(np.argmax(scores))])
        result.pairs[row] = col
        result.how[row] = how
        left[col] -= 1
        placed += 1
    return placed


def shortlists(model: ScoreModel, rules: RuleArrays, rows: np.ndarray, capacity: np.ndarray, size: int) -> dict[int, list[int]]:
    """Each mentee row's `size` best feasible mentor columns, best first (ties to the lower column)."""
    cols = np.nonzero(rules.mentor_open & (capacity > 0))[0]
    lists: dict[int, list[int]] = {int(r): [] for r in rows}
    if len(cols) == 0:
        return lists
    step = max(1, 4_000_000 // len(cols))
    for start in range(0, len(rows), step):
        chunk = rows[start : start + step]
        scores = np.rint(model.block(chunk, cols) * SCALE)
        scores[~rules.feasible_block(chunk, cols)] = -1
        k = min(size, len(cols))
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k] if k < len(cols) else np.tile(np.arange(len(cols)), (len(chunk), 1))
        for position, row in enumerate(chunk.tolist()):
            ranked = sorted(top[position].tolist(), key=lambda c: (-scores[position, c], c))
            lists[row] = [int(cols[c]) for c in ranked if scores[position, c] >= 0]
    return lists


def rank_shortlists(model: ScoreModel, lists: Mapping[int, list[int]], *, seed: int) -> dict[int, list[int]]:
    """Simulated mentee rankings: the shortlist reordered by score plus personal taste (deterministic noise)."""
    rng = np.random.default_rng(seed)
    rows = sorted(lists)
    taste = rng.gumbel(scale=1.0, size=(len(rows), max([len(v) for v in lists.values()] + [1])))
    ranked = {}
    for k, row in enumerate(rows):
        cols = lists[row]
        if not cols:
            ranked[row] = []
            continue
        scores = model.block(np.array([row]), np.array(cols))[0]
        ranked[row] = [c for _, c in sorted(zip((scores + taste[k, : len(cols)]).tolist(), cols, strict=True), key=lambda x: (-x[0], x[1]))]
    return ranked


def stable_choice(model: ScoreModel, rules: RuleArrays, rankings: Mapping[int, list[int]], capacity: np.ndarray) -> Assignment:
    """Mentee-proposing deferred acceptance; mentors prefer the mentee they score higher with."""
    result = Assignment(solver="deferred acceptance (mentee-proposing, with capacities)")
    all_rows = np.array([row for row, cols in rankings.items() for _ in cols], dtype=np.int64)
    all_cols = np.array([col for cols in rankings.values() for col in cols], dtype=np.int64)
    feasible = iter(rules.feasible_pairs(all_rows, all_cols).tolist())
    valid = {row: [col for col in cols if next(feasible)] for row, cols in rankings.items()}
    dropped = len(all_rows) - sum(len(cols) for cols in valid.values())
    keys = [(row, col) for row, cols in valid.items() for col in cols]
    rows = np.array([k[0] for k in keys], dtype=np.int64)
    cols = np.array([k[1] for k in keys], dtype=np.int64)
    preference = dict(zip(keys, np.rint(model.pairs(rows, cols) * SCALE).tolist(), strict=True))
    placed = deferred_acceptance(valid, preference, {int(c): int(capacity[c]) for c in range(len(capacity))})
    for row, col in placed.items():
        result.pairs[row] = col
        result.how[row] = f"mentee's choice {valid[row].index(col) + 1} of {len(valid[row])}"
    for row, cols in valid.items():
        result.feasible_count[row] = len(cols)
        if row not in placed:
            result.why_unplaced[row] = (
                f"none of their {len(cols)} ranked mentors had room" if cols else "no feasible mentor on their shortlist"
            )
    if dropped:
        result.notes.append(f"{dropped} ranked choices ignored because they break a hard rule")
    return result
