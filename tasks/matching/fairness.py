"""The fairness report of a run: groups, not people.

Groups under the threshold never appear on their own: they fold into one combined row, which
takes in the next smallest group while it is itself too small (tasks.suppression), so no small
group's figures can be recovered from the totals and the other rows.
"""

from collections.abc import Collection, Mapping, Sequence

import numpy as np

from models.domain import Pair, ParticipantProfile
from models.programme import MatchingPolicy
from tasks.matching.rules import pair_breaks
from tasks.suppression import COMBINED, fold_small_groups

NOT_STATED = "not stated"


def hard_rule_violations(
    pairs: Sequence[Pair],
    mentees: Sequence[ParticipantProfile],
    mentors: Sequence[ParticipantProfile],
    policy: MatchingPolicy,
    *,
    capacity: Mapping[int, int],
    forbidden: Collection[tuple[str, str]] = (),
    exclude: Collection[tuple[int, int]] = (),
) -> int:
    """Counted again from the profiles, independently of the solver: pairs breaking a rule,
    mentees matched twice, mentors over capacity."""
    mentee_by_id = {p.participation_id: p for p in mentees}
    mentor_by_id = {p.participation_id: p for p in mentors}
    exclude = set(exclude)
    violations = 0
    load: dict[int, int] = {}
    seen: set[int] = set()
    for pair in pairs:
        mentee, mentor = mentee_by_id.get(pair.mentee_id), mentor_by_id.get(pair.mentor_id)
        if mentee is None or mentor is None:
            violations += 1
            continue
        violations += bool(pair_breaks(mentee, mentor, policy, forbidden=forbidden, exclude=exclude))
        violations += pair.mentee_id in seen
        seen.add(pair.mentee_id)
        load[pair.mentor_id] = load.get(pair.mentor_id, 0) + 1
    violations += sum(load[m] > capacity.get(m, 0) for m in load)
    return violations


def fairness_report(
    pairs: Sequence[Pair],
    mentees: Sequence[ParticipantProfile],
    mentors: Sequence[ParticipantProfile],
    *,
    violations: int,
    suppress_below: int = 5,
    attributes: Sequence[str] = ("ethnicity", "gender", "disability", "age_band"),
) -> dict:
    score_of = {pair.mentee_id: pair.score for pair in pairs}
    groups: dict[str, dict[str, dict]] = {}
    for attribute in attributes:
        members: dict[str, list[int]] = {}
        for mentee in mentees:
            value = mentee.demographics.get(attribute, "").strip() or NOT_STATED
            members.setdefault(value, []).append(mentee.participation_id)
        shown, folded = fold_small_groups({value: len(ids) for value, ids in members.items()}, suppress_below)
        rows = {value: _group(members[value], score_of, suppress_below) for value in sorted(shown)}
        if folded:
            rows[COMBINED] = _group([pid for value in folded for pid in members[value]], score_of, suppress_below)
        groups[attribute] = rows
    scores = np.array([pair.score for pair in pairs], dtype=float)
    used = {pair.mentor_id for pair in pairs}
    return {
        "mentees": len(mentees),
        "matched": len(pairs),
        "match_rate": round(len(pairs) / len(mentees), 4) if mentees else None,
        "mean_score": round(float(scores.mean()), 3) if len(scores) else None,
        "by_group": groups,
        "suppressed_below": suppress_below,
        "hard_rule_violations": violations,
        "score_distribution": _distribution(scores),
        "mentors_unused": sum(1 for mentor in mentors if mentor.trained and mentor.participation_id not in used),
    }


def _group(ids: list[int], score_of: Mapping[int, float], suppress_below: int) -> dict:
    if len(ids) < suppress_below:
        return {"n": f"<{suppress_below}", "match_rate": None, "mean_score": None}
    scores = [score_of[i] for i in ids if i in score_of]
    return {
        "n": len(ids),
        "match_rate": round(len(scores) / len(ids), 4),
        "mean_score": round(sum(scores) / len(scores), 3) if scores else None,
    }


def _distribution(scores: np.ndarray) -> dict:
    if not len(scores):
        return {"min": None, "q1": None, "median": None, "q3": None, "max": None}
    q = np.quantile(scores, [0, 0.25, 0.5, 0.75, 1.0])
    return dict(zip(("min", "q1", "median", "q3", "max"), (round(float(v), 2) for v in q), strict=True))
