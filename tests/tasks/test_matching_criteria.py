"""Each weighted criterion, its reason text, and the score matrix agreeing with the reference."""

import numpy as np
import pytest

from models.domain import ParticipantProfile, Role
from models.programme import GradeRange, MatchingPolicy, Weights
from tasks.matching.explain import pair_reasons
from tasks.matching.scoring import build_score_model, criterion_values, pair_score
from tasks.synthetic import profiles_from_rows, synthetic_rows

ONLY = {name: 0 for name in Weights.model_fields}


def person(pid, role, **fields):
    return ParticipantProfile(participation_id=pid, email=f"p{pid}@x.example", name="P", role=role, trained=True, **fields)


def policy(criterion: str, **extra) -> MatchingPolicy:
    return MatchingPolicy(weights=Weights(**(ONLY | {criterion: 10})), **extra)


def test_goals_score_the_share_of_goals_the_mentor_covers():
    mentee = person(1, Role.mentee, topics=["board readiness", "finance", "policy"])
    mentor = person(2, Role.mentor, topics=["finance", "Board readiness", "digital"])
    assert criterion_values(mentee, mentor, policy("goals"))["goals"] == pytest.approx(2 / 3)
    score, reasons = pair_reasons(mentee, mentor, policy("goals"))
    assert score == pytest.approx(6.67)
    assert reasons == ["shared goals: board readiness, finance"]


@pytest.mark.parametrize(
    ("preference", "mentor_sector", "value", "reason"),
    [
        ("prefer", "finance", 1.0, "cross-sector (health → finance)"),
        ("prefer", "health", 0.0, None),
        ("avoid", "health", 1.0, "same sector (health)"),
        ("ignore", "finance", 0.0, None),
    ],
)
def test_cross_sector_prefer_avoid_ignore(preference, mentor_sector, value, reason):
    mentee = person(1, Role.mentee, sector="health")
    mentor = person(2, Role.mentor, sector=mentor_sector)
    chosen = policy("cross_sector", cross_sector=preference)
    assert criterion_values(mentee, mentor, chosen)["cross_sector"] == value
    assert pair_reasons(mentee, mentor, chosen)[1] == ([reason] if reason else [])


@pytest.mark.parametrize(("mentor_grade", "value", "reason"), [(6, 1.0, "2 grades above"), (5, 1.0, "1 grade above"), (4, 0.5, "same grade"), (9, 0.5, "5 grades above"), (10, 0.0, None)])
def test_seniority_gap_inside_the_preferred_range_scores_full(mentor_grade, value, reason):
    mentee = person(1, Role.mentee, grade=4)
    mentor = person(2, Role.mentor, grade=mentor_grade)
    chosen = policy("seniority", seniority_gap=GradeRange(min=1, max=4))
    assert criterion_values(mentee, mentor, chosen)["seniority"] == value
    assert pair_reasons(mentee, mentor, chosen)[1] == ([reason] if reason else [])


def test_geography_scores_the_same_region_only():
    mentee = person(1, Role.mentee, region="London")
    assert pair_reasons(mentee, person(2, Role.mentor, region="London"), policy("geography")) == (10.0, ["same region (London)"])
    assert pair_reasons(mentee, person(3, Role.mentor, region="Wales"), policy("geography")) == (0.0, [])


def test_availability_scores_the_share_of_the_mentees_slots():
    mentee = person(1, Role.mentee, availability=["mon-am", "tue-pm"])
    mentor = person(2, Role.mentor, availability=["tue-pm", "fri-am"])
    assert pair_reasons(mentee, mentor, policy("availability")) == (5.0, ["shared availability: tue-pm"])


def test_identity_counts_only_for_an_opted_in_mentee_and_never_names_the_answer():
    answers = {"ethnicity": "Black", "gender": "Woman"}
    mentor = person(2, Role.mentor, demographics=answers)
    opted_in = person(1, Role.mentee, identity_match=True, demographics=answers)
    not_opted = person(3, Role.mentee, identity_match=False, demographics=answers)
    half = person(4, Role.mentee, identity_match=True, demographics={"ethnicity": "Black", "gender": "Man"})
    assert pair_reasons(opted_in, mentor, policy("identity")) == (10.0, ["identity match (mentee opted in)"])
    assert pair_reasons(not_opted, mentor, policy("identity")) == (0.0, [])
    assert pair_reasons(half, mentor, policy("identity"))[0] == 5.0
    assert not any("Black" in r or "Woman" in r for r in pair_reasons(opted_in, mentor, policy("identity"))[1])


def test_reasons_are_ordered_by_contribution():
    mentee = person(1, Role.mentee, topics=["finance"], region="London", grade=3)
    mentor = person(2, Role.mentor, topics=["finance"], region="London", grade=5)
    chosen = MatchingPolicy(weights=Weights(goals=6, geography=1, seniority=2, cross_sector=0))
    assert pair_reasons(mentee, mentor, chosen)[1] == ["shared goals: finance", "2 grades above", "same region (London)"]


def test_the_score_matrix_equals_the_reference_for_every_pair(programme, hybrid_programme):
    for definition in (programme, hybrid_programme):
        mentees, mentors = profiles_from_rows(synthetic_rows(definition, mentees=30, mentors=20, seed=11))
        chosen = definition.matching.model_copy(update={"weights": Weights(goals=6, cross_sector=3, seniority=2, geography=1, availability=2, identity=3)})
        matrix = build_score_model(mentees, mentors, chosen).block(np.arange(len(mentees)))
        reference = np.array([[pair_score(e, m, chosen) for m in mentors] for e in mentees])
        np.testing.assert_allclose(matrix, reference, atol=1e-9)
