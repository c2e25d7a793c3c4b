"""Candidate edges: every feasible pair when the cohort is small, each side's top-k when it is large.

Scores are integers (hundredths of a point) so the flow solver works on exact numbers.

Scores take few distinct values (a few dozen), so a mentee's top-k is mostly a choice among ties.
Breaking every tie the same way would send all mentees to the same few mentors; a tiny per-pair
jitter, eps·cos(θ_i − φ_j), spreads each mentee's ties over different mentors. It costs two extra
feature columns in the same matrix product and never reorders scores that differ by a hundredth.
"""

from dataclasses import dataclass

import numpy as np

from tasks.matching.rules import RuleArrays
from tasks.matching.scoring import ScoreModel

FULL_GRAPH_PAIRS = 1_000_000
TOP_K = 20
CHUNK_PAIRS = 8_000_000
SCALE = 100
SAMPLE = 4
SAMPLE_ABOVE = 10_000  # mentors
TIE_JITTER = 0.002  # in points: a fifth of a hundredth


@dataclass
class Candidates:
    mentees: np.ndarray  # positions in `rows`
    mentors: np.ndarray  # positions in `cols`
    scores: np.ndarray  # int64 hundredths
    complete: bool  # every feasible pair is present
    feasible_count: np.ndarray  # per mentee row: number of feasible mentors


def _chunk_rows(rows: np.ndarray, mentors: int):
    step = max(1, CHUNK_PAIRS // max(1, mentors))
    for start in range(0, len(rows), step):
        yield start, rows[start : start + step]


def _nonzero(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.nonzero of a 2-D mask, through the flat index (about 10x faster on sparse masks)."""
    return np.divmod(np.flatnonzero(mask), mask.shape[1])


def _angles(count: int, step: float) -> np.ndarray:
    return 2 * np.pi * np.modf(np.arange(count) * step)[0]


def _ranking_features(score_model: ScoreModel, rows: np.ndarray, cols: np.ndarray):
    """Features whose product is score + tie jitter (rows and cols in the order given)."""
    theta, phi = _angles(len(rows), 0.6180339887), _angles(len(cols), 0.4142135623)
    dtype = score_model.mentee_features.dtype
    left = np.hstack([score_model.mentee_features[rows], TIE_JITTER * np.cos(theta)[:, None], TIE_JITTER * np.sin(theta)[:, None]])
    right = np.hstack([score_model.mentor_features[cols], np.cos(phi)[:, None], np.sin(phi)[:, None]])
    return left.astype(dtype), np.ascontiguousarray(right.astype(dtype).T)


def candidate_edges(
    score_model: ScoreModel, rules: RuleArrays, rows: np.ndarray, cols: np.ndarray, *, top_k: int = TOP_K,
    mentor_k: int | None = None, full_graph_pairs: int = FULL_GRAPH_PAIRS,
) -> Candidates:
    """Edges among mentee `rows` and mentor `cols` (indices into the full lists)."""
    counts = np.zeros(len(rows), dtype=np.int64)
    complete = len(rows) * len(cols) <= full_graph_pairs or len(cols) <= top_k
    if complete:
        parts = []
        for offset, chunk in _chunk_rows(rows, len(cols)):
            scores = np.rint(score_model.block(chunk, cols) * SCALE)
            feasible = rules.feasible_block(chunk, cols)
            counts[offset : offset + len(chunk)] = feasible.sum(axis=1)
            r, c = np.nonzero(feasible)
            parts.append((r + offset, c, scores[r, c].astype(np.int64)))
        edge_i, edge_j, edge_s = (np.concatenate([p[k] for p in parts]) for k in range(3))
        return Candidates(edge_i.astype(np.int64), edge_j.astype(np.int64), edge_s, True, counts)

    left, right = _ranking_features(score_model, rows, cols)
    mentor_k = top_k if mentor_k is None else mentor_k
    mentee_i, mentee_j = [], []
    pool = _MentorPool(len(cols), mentor_k)
    keys_buffer = np.empty((min(len(rows), max(1, CHUNK_PAIRS // len(cols))), len(cols)), dtype=left.dtype)
    for offset, chunk in _chunk_rows(rows, len(cols)):
        keys = np.matmul(left[offset : offset + len(chunk)], right, out=keys_buffer[: len(chunk)])
        rules.mark_infeasible(keys, chunk, cols)
        counts[offset : offset + len(chunk)] = np.count_nonzero(keys >= 0, axis=1)
        r, c = _nonzero(keys >= _row_thresholds(keys, top_k)[:, None])
        mentee_i.append(r + offset)
        mentee_j.append(c)
        pool.offer(keys, offset)
    pool_i, pool_j = pool.edges()
    edge_i, edge_j = np.concatenate(mentee_i + [pool_i]), np.concatenate(mentee_j + [pool_j])
    unique = np.sort(edge_i * len(cols) + edge_j)  # np.unique hashes, and is 40x slower here
    first = np.ones(len(unique), dtype=bool)
    first[1:] = unique[1:] != unique[:-1]
    unique = unique[first]
    edge_i, edge_j = unique // len(cols), unique % len(cols)
    edge_s = np.rint(score_model.pairs(rows[edge_i], cols[edge_j]) * SCALE).astype(np.int64)
    return Candidates(edge_i.astype(np.int64), edge_j.astype(np.int64), edge_s, False, counts)


def _row_thresholds(keys: np.ndarray, k: int) -> np.ndarray:
    """About each row's k-th best key (never below 0, the feasibility mark): the exact k-th up to
    SAMPLE_ABOVE mentors, else the (k/SAMPLE)-th of every SAMPLE-th column, which is four times
    cheaper and keeps about k per row (the certificate's pricing adds whatever the lists miss)."""
    width = keys.shape[1]
    if width <= SAMPLE_ABOVE:
        k = min(k, width)
        return np.maximum(np.partition(keys, width - k, axis=1)[:, width - k], 0)
    sample = keys[:, ::SAMPLE]
    position = sample.shape[1] - max(1, round(k / SAMPLE))
    return np.maximum(np.partition(sample, position, axis=1)[:, position], 0)


class _MentorPool:
    """Each mentor's best mentee rows over all blocks, without transposing any block: a block's
    entries above the mentor's current bar join a pool, and the pool is cut back to each mentor's
    top k (raising the bars) whenever it grows past a few k per mentor."""

    def __init__(self, mentors: int, k: int):
        self.mentors, self.k = mentors, k
        self.bar = np.full(mentors, np.inf if k == 0 else -np.inf, dtype=np.float64)
        self.rows = np.zeros(0, np.int64)
        self.cols = np.zeros(0, np.int64)
        self.keys = np.zeros(0, np.float64)

    def offer(self, keys: np.ndarray, offset: int) -> None:
        if self.k == 0:
            return
        if np.isneginf(self.bar).all():
            # first block: each mentor's k-th best row in it sets the bar
            k = min(self.k, keys.shape[0])
            self.bar = np.partition(keys, keys.shape[0] - k, axis=0)[keys.shape[0] - k].astype(np.float64)
        r, c = _nonzero((keys >= self.bar[None, :].astype(keys.dtype)) & (keys >= 0))
        self.rows = np.concatenate([self.rows, r + offset])
        self.cols = np.concatenate([self.cols, c])
        self.keys = np.concatenate([self.keys, keys[r, c].astype(np.float64)])
        if len(self.rows) > 3 * self.k * self.mentors:
            self._prune()

    def _prune(self) -> None:
        order = np.lexsort((-self.keys, self.cols))  # by mentor, best first
        rows, cols, keys = self.rows[order], self.cols[order], self.keys[order]
        rank = np.arange(len(cols)) - np.searchsorted(cols, np.arange(self.mentors))[cols]
        kth = rank == self.k - 1
        self.bar[cols[kth]] = np.maximum(self.bar[cols[kth]], keys[kth])
        keep = rank < self.k
        self.rows, self.cols, self.keys = rows[keep], cols[keep], keys[keep]

    def edges(self) -> tuple[np.ndarray, np.ndarray]:
        if self.k and len(self.rows):
            self._prune()
        return self.rows, self.cols
