"""Weighted criteria: one reference definition per pair, and the same score as one matrix product.

Every criterion is a value in [0, 1] times its weight (0-10) from the programme file:
- goals: share of the mentee's goals the mentor lists as expertise;
- cross_sector: `prefer` scores sectors that differ, `avoid` scores the same sector, `ignore` nothing;
- seniority: 1 when the mentor is within the preferred range of grades above the mentee, 0.5 one grade outside it;
- geography: same region (remote pairs are fine, they just do not score);
- availability: share of the mentee's time slots the mentor shares;
- identity: only for a mentee who opted in and consented: share of their stated identity answers the mentor shares.

Each criterion is linear in one-hot features of the two people, so the whole score matrix is
`mentee_features @ mentor_features.T`, computed in blocks of mentee rows.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from models.domain import ParticipantProfile
from models.programme import MatchingPolicy

CRITERIA = ("goals", "cross_sector", "seniority", "geography", "availability", "identity")
IDENTITY_ATTRIBUTES = ("ethnicity", "gender")
UNSTATED = "prefer not to say"


def stated_identity(person: ParticipantProfile, attributes: Sequence[str] = IDENTITY_ATTRIBUTES) -> dict[str, str]:
    return {
        a: person.demographics[a].strip().lower()
        for a in attributes
        if person.demographics.get(a, "").strip() and person.demographics[a].strip().lower() != UNSTATED
    }


def seniority_value(gap: int, policy: MatchingPolicy) -> float:
    low, high = policy.seniority_gap.min, policy.seniority_gap.max
    if low <= gap <= high:
        return 1.0
    if gap == low - 1 or gap == high + 1:
        return 0.5
    return 0.0


def criterion_values(mentee: ParticipantProfile, mentor: ParticipantProfile, policy: MatchingPolicy) -> dict[str, float]:
    """The reference definition of each criterion for one pair (the matrix must agree with it)."""
    goals = {t.lower() for t in mentee.topics}
    expertise = {t.lower() for t in mentor.topics}
    sectors_set = bool(mentee.sector.strip()) and bool(mentor.sector.strip())
    same_sector = sectors_set and mentee.sector.strip().lower() == mentor.sector.strip().lower()
    cross = {"prefer": sectors_set and not same_sector, "avoid": same_sector, "ignore": False}[policy.cross_sector]
    slots = {s.lower() for s in mentee.availability}
    identity = 0.0
    if mentee.identity_match:
        wanted = stated_identity(mentee)
        offered = stated_identity(mentor)
        if wanted:
            identity = sum(offered.get(a) == v for a, v in wanted.items()) / len(wanted)
    return {
        "goals": len(goals & expertise) / len(goals) if goals else 0.0,
        "cross_sector": 1.0 if cross else 0.0,
        "seniority": seniority_value(mentor.grade - mentee.grade, policy),
        "geography": 1.0 if mentee.region.strip() and mentee.region.strip().lower() == mentor.region.strip().lower() else 0.0,
        "availability": len(slots & {s.lower() for s in mentor.availability}) / len(slots) if slots else 0.0,
        "identity": identity,
    }


def pair_score(mentee: ParticipantProfile, mentor: ParticipantProfile, policy: MatchingPolicy) -> float:
    weights = policy.weights.model_dump()
    return sum(weights[c] * v for c, v in criterion_values(mentee, mentor, policy).items())


@dataclass
class ScoreModel:
    mentee_features: np.ndarray
    mentor_features: np.ndarray

    def block(self, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        mentor_features = self.mentor_features if cols is None else self.mentor_features[cols]
        return self.mentee_features[rows] @ mentor_features.T

    def pairs(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Scores of the pairs (rows[k], cols[k])."""
        return np.einsum("ij,ij->i", self.mentee_features[rows], self.mentor_features[cols])


def _vocabulary(values) -> dict[str, int]:
    vocabulary: dict[str, int] = {}
    for value in values:
        vocabulary.setdefault(value, len(vocabulary))
    return vocabulary


def _one_hot(lists: list[list[str]], vocabulary: dict[str, int], dtype) -> np.ndarray:
    matrix = np.zeros((len(lists), max(1, len(vocabulary))), dtype=dtype)
    rows = [k for k, items in enumerate(lists) for item in items if item in vocabulary]
    cols = [vocabulary[item] for items in lists for item in items if item in vocabulary]
    matrix[rows, cols] = 1
    return matrix


def build_score_model(
    mentees: Sequence[ParticipantProfile], mentors: Sequence[ParticipantProfile], policy: MatchingPolicy, *, dtype=np.float64
) -> ScoreModel:
    w = policy.weights
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []

    def add(mentee_part: np.ndarray, mentor_part: np.ndarray) -> None:
        left.append(mentee_part.astype(dtype))
        right.append(mentor_part.astype(dtype))

    def lowered(person_lists):
        return [sorted({x.strip().lower() for x in items if x.strip()}) for items in person_lists]

    if w.goals:
        goals = lowered(p.topics for p in mentees)
        expertise = lowered(p.topics for p in mentors)
        vocabulary = _vocabulary(t for items in goals + expertise for t in items)
        counts = np.array([max(1, len(g)) for g in goals], dtype=dtype)[:, None]
        add(_one_hot(goals, vocabulary, dtype) * (w.goals / counts), _one_hot(expertise, vocabulary, dtype))
    if w.availability:
        slots = lowered(p.availability for p in mentees)
        offered = lowered(p.availability for p in mentors)
        vocabulary = _vocabulary(s for items in slots + offered for s in items)
        counts = np.array([max(1, len(s)) for s in slots], dtype=dtype)[:, None]
        add(_one_hot(slots, vocabulary, dtype) * (w.availability / counts), _one_hot(offered, vocabulary, dtype))
    if w.geography:
        regions = lowered([p.region] for p in mentees)
        vocabulary = _vocabulary(r for items in regions + lowered([p.region] for p in mentors) for r in items)
        add(_one_hot(regions, vocabulary, dtype) * w.geography, _one_hot(lowered([p.region] for p in mentors), vocabulary, dtype))
    if w.cross_sector and policy.cross_sector != "ignore":
        sectors = lowered([p.sector] for p in mentees)
        mentor_sectors = lowered([p.sector] for p in mentors)
        vocabulary = _vocabulary(s for items in sectors + mentor_sectors for s in items)
        same_left, same_right = _one_hot(sectors, vocabulary, dtype), _one_hot(mentor_sectors, vocabulary, dtype)
        if policy.cross_sector == "avoid":
            add(same_left * w.cross_sector, same_right)
        else:  # prefer: both sectors known and different = known*known - same
            known_left = np.array([[1.0 if s else 0.0] for s in sectors])
            known_right = np.array([[1.0 if s else 0.0] for s in mentor_sectors])
            add(np.hstack([known_left, -same_left]) * w.cross_sector, np.hstack([known_right, same_right]))
    if w.seniority:
        top = max([p.grade for p in [*mentees, *mentors]] + [0]) + 1
        table = np.array([[seniority_value(gj - gi, policy) for gj in range(top)] for gi in range(top)])
        mentee_grades = np.array([p.grade for p in mentees], dtype=np.int64)
        mentor_grades = np.array([p.grade for p in mentors], dtype=np.int64)
        add(table[mentee_grades] * w.seniority, np.eye(top)[mentor_grades])
    if w.identity:
        wanted = [stated_identity(p) if p.identity_match else {} for p in mentees]
        offered = [stated_identity(p) for p in mentors]
        vocabulary = _vocabulary(f"{a}={v}" for d in wanted + offered for a, v in sorted(d.items()))
        counts = np.array([max(1, len(d)) for d in wanted], dtype=dtype)[:, None]
        add(
            _one_hot([[f"{a}={v}" for a, v in d.items()] for d in wanted], vocabulary, dtype) * (w.identity / counts),
            _one_hot([[f"{a}={v}" for a, v in d.items()] for d in offered], vocabulary, dtype),
        )
    if not left:
        return ScoreModel(np.zeros((len(mentees), 1), dtype=dtype), np.zeros((len(mentors), 1), dtype=dtype))
    return ScoreModel(np.hstack(left).astype(dtype), np.hstack(right).astype(dtype))
