"""match_participants: one matching run, in the programme's mode, explained and checked.

Everything is a pure function of the inputs: the same cohort, policy, pins and exclusions give the same pairs.
"""

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence

import numpy as np

from models.domain import MatchResult, Pair, ParticipantProfile, Unmatched
from models.programme import MatchingPolicy
from tasks.matching.candidates import FULL_GRAPH_PAIRS
from tasks.matching.explain import pair_reasons, unmatched_reason
from tasks.matching.fairness import fairness_report, hard_rule_violations
from tasks.matching.modes import Assignment, optimise, rank_shortlists, shortlists, stable_choice
from tasks.matching.rules import build_rule_arrays, capacity_array, pair_breaks
from tasks.matching.scoring import build_score_model

CHOICE_SEED = 7
PINNED = "direct match by an administrator"


def match_participants(
    mentees: list[ParticipantProfile],
    mentors: list[ParticipantProfile],
    policy: MatchingPolicy,
    *,
    pinned: Sequence[tuple[str, str]] = (),
    forbidden: Sequence[tuple[str, str]] = (),
    choices: Mapping[int, list[int]] | None = None,
    exclude: Collection[tuple[int, int]] = (),
    capacity_left: Mapping[int, int] | None = None,
    suppress_below: int = 5,
    demographic_attributes: Sequence[str] = ("ethnicity", "gender", "disability", "age_band"),
) -> MatchResult:
    mentees = sorted(mentees, key=lambda p: p.participation_id)
    mentors = sorted(mentors, key=lambda p: p.participation_id)
    capacity = capacity_array(mentors, capacity_left)
    start_capacity = {p.participation_id: int(c) for p, c in zip(mentors, capacity, strict=True)}
    exclude = {(int(a), int(b)) for a, b in exclude}
    forbidden = [(a.lower(), b.lower()) for a, b in forbidden]
    notes: list[str] = []

    pinned_rows, pin_failures = _apply_pins(mentees, mentors, policy, pinned, capacity, forbidden, exclude, notes)
    rules = build_rule_arrays(mentees, mentors, policy, capacity=capacity, forbidden=forbidden, exclude=exclude)
    dtype = np.float64 if len(mentees) * len(mentors) <= FULL_GRAPH_PAIRS else np.float32
    model = build_score_model(mentees, mentors, policy, dtype=dtype)
    free_rows = np.array([i for i in range(len(mentees)) if i not in pinned_rows and i not in pin_failures], dtype=np.int64)

    if policy.mode == "assigned":
        assignment = optimise(model, rules, free_rows, capacity, objective=policy.objective)
    else:
        if choices is None:
            lists = shortlists(model, rules, free_rows, capacity, policy.shortlist_size)
            rankings = rank_shortlists(model, lists, seed=CHOICE_SEED)
            notes.append(f"mentee choices simulated from shortlists of {policy.shortlist_size}")
        else:
            rankings = _rankings_from_choices(choices, mentees, mentors, free_rows)
        assignment = stable_choice(model, rules, rankings, capacity)
        if choices is not None:
            _note_who_has_not_chosen(assignment, choices, mentees, free_rows, policy.mode, notes)
        if policy.mode == "hybrid":
            assignment = _fill_with_optimiser(assignment, model, rules, free_rows, capacity, policy)
    notes.extend(assignment.notes)

    pairs = [_pair(mentees[i], mentors[j], policy, PINNED) for i, j in sorted(pinned_rows.items())]
    pinned_ids = {mentees[i].participation_id for i in pinned_rows}
    for row, col in sorted(assignment.pairs.items()):
        pairs.append(_pair(mentees[row], mentors[col], policy, assignment.how.get(row)))
    unmatched = [Unmatched(mentee_id=mentees[i].participation_id, why=why) for i, why in sorted(pin_failures.items())]
    unplaced = [int(r) for r in free_rows if int(r) not in assignment.pairs]
    shared_goal = _any_shared_goal(mentees, mentors, rules, unplaced)
    for row in unplaced:
        why = assignment.why_unplaced.get(row) or unmatched_reason(
            row, mentee=mentees[row], mentors=mentors, rules=rules,
            feasible_count=assignment.feasible_count.get(row, 0), has_shared_goal=shared_goal.get(row, False),
        )
        unmatched.append(Unmatched(mentee_id=mentees[row].participation_id, why=why))

    violations = hard_rule_violations(
        pairs, mentees, mentors, policy, capacity=start_capacity, forbidden=forbidden, exclude=exclude
    )
    fairness = fairness_report(
        pairs, mentees, mentors, violations=violations, suppress_below=suppress_below, attributes=demographic_attributes
    )
    objective = round(sum(p.score for p in pairs), 2)
    upper_bound = None
    if policy.mode == "assigned" and assignment.upper_bound is not None:
        pinned_score = sum(p.score for p in pairs if p.mentee_id in pinned_ids)
        upper_bound = objective if assignment.optimal else round(max(objective, pinned_score + assignment.upper_bound), 2)
    return MatchResult(
        pairs=pairs,
        unmatched=sorted(unmatched, key=lambda u: u.mentee_id),
        solver=assignment.solver,
        objective=objective,
        optimal=assignment.optimal and policy.mode == "assigned",
        upper_bound=upper_bound,
        notes=notes,
        fairness=fairness,
    )


def _pair(mentee: ParticipantProfile, mentor: ParticipantProfile, policy: MatchingPolicy, how: str | None) -> Pair:
    score, reasons = pair_reasons(mentee, mentor, policy)
    return Pair(mentor_id=mentor.participation_id, mentee_id=mentee.participation_id, score=score, reasons=([how] if how else []) + reasons)


def _apply_pins(mentees, mentors, policy, pinned, capacity, forbidden, exclude, notes) -> tuple[dict[int, int], dict[int, str]]:
    """Pinned pairs are made first and take a place of the mentor's capacity; a pin that breaks a rule is not made."""
    mentee_row = {p.email.lower(): i for i, p in enumerate(mentees)}
    mentor_col = {p.email.lower(): j for j, p in enumerate(mentors)}
    made: dict[int, int] = {}
    failed: dict[int, str] = {}
    for mentor_email, mentee_email in pinned:
        row, col = mentee_row.get(mentee_email.lower()), mentor_col.get(mentor_email.lower())
        if row is None or col is None:
            missing = mentee_email if row is None else mentor_email
            notes.append(f"pinned pair ignored: {missing} is not a {'mentee' if row is None else 'mentor'} in this run")
            continue
        if row in made or row in failed:
            notes.append(f"pinned pair ignored: {mentee_email} is already pinned")
            continue
        broken = pair_breaks(mentees[row], mentors[col], policy, forbidden=forbidden, exclude=exclude)
        if capacity[col] <= 0:
            broken.append("the mentor has no capacity left")
        if broken:
            failed[row] = "pinned pair breaks a hard rule: " + "; ".join(broken)
            continue
        made[row] = col
        capacity[col] -= 1
    return made, failed


def _rankings_from_choices(choices, mentees, mentors, free_rows) -> dict[int, list[int]]:
    """Imported choices (mentee participation id -> ranked mentor participation ids) as rows and columns."""
    mentor_col = {p.participation_id: j for j, p in enumerate(mentors)}
    rankings: dict[int, list[int]] = {}
    for row in free_rows.tolist():
        ranked: list[int] = []
        for mentor_id in choices.get(mentees[row].participation_id, []):
            col = mentor_col.get(int(mentor_id))
            if col is not None and col not in ranked:
                ranked.append(col)
        rankings[row] = ranked
    return rankings


def _note_who_has_not_chosen(assignment: Assignment, choices, mentees, free_rows, mode: str, notes: list[str]) -> None:
    waiting = [row for row in free_rows.tolist() if not choices.get(mentees[row].participation_id)]
    for row in waiting:
        assignment.why_unplaced[row] = "has not chosen a mentor yet (no choices imported)"
    if waiting:
        then = "the optimiser places them" if mode == "hybrid" else "they stay unmatched until their choices are imported"
        who = "1 mentee has" if len(waiting) == 1 else f"{len(waiting)} mentees have"
        notes.append(f"{who} not chosen a mentor yet: {then}")


def _fill_with_optimiser(choice: Assignment, model, rules, free_rows, capacity, policy) -> Assignment:
    """Hybrid: the mentees' stable picks stand; the optimiser places the others with the capacity left."""
    left = capacity.copy()
    for col in choice.pairs.values():
        left[col] -= 1
    rest = np.array([r for r in free_rows.tolist() if r not in choice.pairs], dtype=np.int64)
    filled = optimise(model, rules, rest, left, objective=policy.objective)
    combined = Assignment(
        pairs={**choice.pairs, **filled.pairs},
        how={**choice.how, **{r: filled.how.get(r, "proposed by the optimiser") for r in filled.pairs}},
        feasible_count={**choice.feasible_count, **filled.feasible_count},
        solver=f"{choice.solver}, then {filled.solver}",
        optimal=False,
        notes=choice.notes + filled.notes,
    )
    return combined


def _any_shared_goal(mentees, mentors, rules, rows: list[int]) -> dict[int, bool]:
    """For unplaced mentees: does any feasible mentor list one of their goals?"""
    if not rows:
        return {}
    vocabulary: dict[str, int] = {}
    for person in [*mentees, *mentors]:
        for topic in person.topics:
            vocabulary.setdefault(topic.lower(), len(vocabulary))
    expertise = np.zeros((len(mentors), max(1, len(vocabulary))), dtype=np.float32)
    for j, mentor in enumerate(mentors):
        expertise[j, [vocabulary[t.lower()] for t in mentor.topics]] = 1
    flags: dict[int, bool] = {}
    for start in range(0, len(rows), 500):
        chunk = np.array(rows[start : start + 500], dtype=np.int64)
        goals = np.zeros((len(chunk), expertise.shape[1]), dtype=np.float32)
        for k, row in enumerate(chunk.tolist()):
            goals[k, [vocabulary[t.lower()] for t in mentees[row].topics]] = 1
        shared = (goals @ expertise.T > 0) & rules.feasible_block(chunk)
        flags.update({int(row): bool(shared[k].any()) for k, row in enumerate(chunk)})
    return flags


def inputs_hash(
    mentees: Sequence[ParticipantProfile],
    mentors: Sequence[ParticipantProfile],
    policy: MatchingPolicy,
    pinned: Sequence[tuple[str, str]] = (),
    forbidden: Sequence[tuple[str, str]] = (),
    exclude: Collection[tuple[int, int]] = (),
    *,
    choices: Mapping[int, list[int]] | None = None,
    capacity_left: Mapping[int, int] | None = None,
) -> str:
    """sha256 of a canonical JSON of everything that decides the pairs."""
    canonical = {
        "mentees": [p.model_dump(mode="json") for p in sorted(mentees, key=lambda p: p.participation_id)],
        "mentors": [p.model_dump(mode="json") for p in sorted(mentors, key=lambda p: p.participation_id)],
        "policy": policy.model_dump(mode="json"),
        "pinned": sorted([a.lower(), b.lower()] for a, b in pinned),
        "forbidden": sorted([a.lower(), b.lower()] for a, b in forbidden),
        "exclude": sorted([int(a), int(b)] for a, b in exclude),
        "choices": {str(k): list(v) for k, v in sorted((choices or {}).items())},
        "capacity_left": {str(k): int(v) for k, v in sorted((capacity_left or {}).items())},
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def simulate_choices(
    mentees: Sequence[ParticipantProfile],
    mentors: Sequence[ParticipantProfile],
    policy: MatchingPolicy,
    *,
    seed: int = CHOICE_SEED,
    forbidden: Sequence[tuple[str, str]] = (),
    exclude: Collection[tuple[int, int]] = (),
    capacity_left: Mapping[int, int] | None = None,
) -> dict[int, list[int]]:
    """Deterministic stand-in for imported choices: each mentee ranks their shortlist of
    `policy.shortlist_size` by score plus personal taste. Mentee participation id -> mentor participation ids."""
    mentees = sorted(mentees, key=lambda p: p.participation_id)
    mentors = sorted(mentors, key=lambda p: p.participation_id)
    capacity = capacity_array(mentors, capacity_left)
    rules = build_rule_arrays(mentees, mentors, policy, capacity=capacity, forbidden=forbidden, exclude=set(exclude))
    model = build_score_model(mentees, mentors, policy)
    lists = shortlists(model, rules, np.arange(len(mentees)), capacity, policy.shortlist_size)
    ranked = rank_shortlists(model, lists, seed=seed)
    return {mentees[row].participation_id: [mentors[col].participation_id for col in cols] for row, cols in ranked.items()}
