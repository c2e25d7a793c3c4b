"""Mentee choice is stable (no blocking pair); hybrid keeps picks and fills the rest; choices simulate deterministically."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.domain import Role
from models.programme import MatchingPolicy
from tasks.matching import match_participants, simulate_choices
from tasks.matching.rules import pair_breaks
from tasks.matching.scoring import pair_score
from tasks.synthetic import profiles_from_rows, synthetic_rows
from tests.tasks.test_matching_assigned import cohorts, person


def ranked_choices(draw, mentees, mentors):
    return {e.participation_id: draw(st.permutations([m.participation_id for m in mentors])) for e in mentees}


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts(max_mentees=6, max_mentors=4), st.data())
def test_mentee_choice_has_no_blocking_pair(cohort, data):
    mentees, mentors, policy = cohort
    policy = policy.model_copy(update={"mode": "mentee_choice"})
    choices = ranked_choices(data.draw, mentees, mentors)
    result = match_participants(mentees, mentors, policy, choices=choices)
    by_id = {p.participation_id: p for p in [*mentees, *mentors]}
    partner = {p.mentee_id: p.mentor_id for p in result.pairs}
    held = {m.participation_id: [p.mentee_id for p in result.pairs if p.mentor_id == m.participation_id] for m in mentors}
    assert result.fairness["hard_rule_violations"] == 0
    for mentee in mentees:
        ranking = [m for m in choices[mentee.participation_id] if not pair_breaks(mentee, by_id[m], policy)]
        better = ranking[: ranking.index(partner[mentee.participation_id])] if mentee.participation_id in partner else ranking
        for mentor_id in better:
            mentor = by_id[mentor_id]
            if mentor.capacity == 0:
                continue
            assert len(held[mentor_id]) == mentor.capacity, "a mentor with room would take a mentee who prefers them"
            weakest = min(round(pair_score(by_id[e], mentor, policy) * 100) for e in held[mentor_id])
            assert round(pair_score(mentee, mentor, policy) * 100) <= weakest


def test_simulated_choices_are_deterministic_shortlists(programme):
    mentees, mentors = profiles_from_rows(synthetic_rows(programme, mentees=40))
    policy = programme.matching.model_copy(update={"mode": "mentee_choice", "shortlist_size": 3})
    first = simulate_choices(mentees, mentors, policy)
    assert first == simulate_choices(mentees, mentors, policy)
    assert set(first) == {m.participation_id for m in mentees}
    assert all(len(ranked) <= 3 and len(set(ranked)) == len(ranked) for ranked in first.values())
    result = match_participants(mentees, mentors, policy)
    assert result.model_dump() == match_participants(mentees, mentors, policy, choices=first).model_dump() | {"notes": result.notes}
    assert all(p.reasons[0].startswith("mentee's choice") for p in result.pairs)


def test_hybrid_keeps_the_mentees_pick_and_the_optimiser_fills_the_rest():
    mentors = [person(100, Role.mentor, topics=["finance"]), person(101, Role.mentor, topics=["digital"])]
    mentees = [person(1, Role.mentee, topics=["finance"]), person(2, Role.mentee, topics=["finance"]), person(3, Role.mentee)]
    policy = programme_policy("hybrid")
    result = match_participants(
        mentees, mentors, policy, choices={1: [101], 2: [100], 3: []}, pinned=[("mentor100@x.example", "mentee3@x.example")],
    )
    pairs = {p.mentee_id: (p.mentor_id, p.reasons[0]) for p in result.pairs}
    assert pairs[3] == (100, "direct match by an administrator")
    assert pairs[1] == (101, "mentee's choice 1 of 1")
    assert 2 not in pairs  # the pick is full after the administrator's direct match, and no other mentor has room
    assert [(u.mentee_id, u.why) for u in result.unmatched] == [(2, "no trained mentor with a shared goal; all 1 feasible mentor is full")]


def test_hybrid_optimiser_places_a_mentee_whose_pick_is_full():
    mentors = [person(100, Role.mentor, topics=["finance"]), person(101, Role.mentor, topics=["digital"])]
    mentees = [person(1, Role.mentee, topics=["finance"]), person(2, Role.mentee, topics=["finance"])]
    result = match_participants(mentees, mentors, programme_policy("hybrid"), choices={1: [100], 2: [100]})
    pairs = {p.mentee_id: (p.mentor_id, p.reasons[0]) for p in result.pairs}
    assert pairs == {1: (100, "mentee's choice 1 of 1"), 2: (101, "proposed by the optimiser")}


def test_mentee_choice_reports_unplaced_mentees():
    mentors = [person(100, Role.mentor, topics=["finance"])]
    mentees = [person(1, Role.mentee, topics=["finance"]), person(2, Role.mentee, topics=["digital"])]
    result = match_participants(mentees, mentors, programme_policy("mentee_choice"), choices={1: [100], 2: [100]})
    assert [p.mentee_id for p in result.pairs] == [1]
    assert [(u.mentee_id, u.why) for u in result.unmatched] == [(2, "none of their 1 ranked mentors had room")]


def programme_policy(mode: str) -> MatchingPolicy:
    return MatchingPolicy(mode=mode)
