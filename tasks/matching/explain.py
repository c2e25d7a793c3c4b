"""Explanations: why each pair was made, and why each unmatched mentee was not.

Reasons never name a demographic answer: identity matching is explained only as an opted-in match.
"""

import numpy as np

from models.domain import ParticipantProfile
from models.programme import MatchingPolicy
from tasks.matching.rules import RuleArrays
from tasks.matching.scoring import criterion_values


def _grades_above(gap: int) -> str:
    if gap == 0:
        return "same grade"
    if gap < 0:
        return f"{-gap} grade{'s' if gap != -1 else ''} below"
    return f"{gap} grade{'s' if gap != 1 else ''} above"


def pair_reasons(mentee: ParticipantProfile, mentor: ParticipantProfile, policy: MatchingPolicy) -> tuple[float, list[str]]:
    """(score, reasons ordered by how much each criterion adds), from the reference criteria."""
    values = criterion_values(mentee, mentor, policy)
    weights = policy.weights.model_dump()
    texts = {
        "goals": lambda: "shared goals: " + ", ".join(t for t in mentee.topics if t.lower() in {x.lower() for x in mentor.topics}),
        "cross_sector": lambda: (
            f"cross-sector ({mentee.sector} → {mentor.sector})" if policy.cross_sector == "prefer" else f"same sector ({mentor.sector})"
        ),
        "seniority": lambda: _grades_above(mentor.grade - mentee.grade),
        "geography": lambda: f"same region ({mentor.region})",
        "availability": lambda: "shared availability: "
        + ", ".join(s for s in mentee.availability if s.lower() in {x.lower() for x in mentor.availability}),
        "identity": lambda: "identity match (mentee opted in)",
    }
    contributions = sorted(
        ((weights[c] * v, c) for c, v in values.items() if weights[c] * v > 0), key=lambda item: (-item[0], item[1])
    )
    score = round(sum(weights[c] * v for c, v in values.items()), 2)
    return score, [texts[c]() for _, c in contributions]


def unmatched_reason(
    row: int,
    *,
    mentee: ParticipantProfile,
    mentors: list[ParticipantProfile],
    rules: RuleArrays,
    feasible_count: int,
    has_shared_goal: bool,
) -> str:
    """Why a mentee the solver left out has no pair, naming the rule that empties their list."""
    if feasible_count == 0:
        trained = np.array([m.trained for m in mentors], dtype=bool)
        if not trained.any():
            return "no trained mentor in the cohort"
        remaining = rules.mentor_open.copy()
        if not remaining.any():
            return "no trained mentor has capacity left"
        applied: list[str] = []
        for description, mask in rules.rule_masks(np.array([row]), np.arange(len(mentors))):
            narrowed = remaining & mask[0]
            if narrowed.sum() < remaining.sum():
                applied.append(description)
            remaining = narrowed
            if not remaining.any():
                return "no trained mentor with capacity " + " and ".join(applied)
        feasible_count = int(remaining.sum())
    why = f"all {feasible_count} feasible mentor{'s are' if feasible_count != 1 else ' is'} full"
    return why if has_shared_goal else f"no trained mentor with a shared goal; {why}"
