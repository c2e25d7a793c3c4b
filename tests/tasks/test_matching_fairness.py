"""The fairness report: groups not people, small groups suppressed, violations re-counted, inputs hashed."""

from models.domain import Pair, Role
from models.programme import MatchingPolicy
from tasks.matching import inputs_hash, match_participants
from tasks.matching.fairness import fairness_report, hard_rule_violations
from tasks.suppression import COMBINED
from tests.tasks.test_matching_assigned import person


def cohort():
    mentees = [person(i, Role.mentee, topics=["finance"], demographics={"gender": "Woman" if i < 6 else "Man"}) for i in range(8)]
    mentors = [person(100 + j, Role.mentor, topics=["finance"], capacity=1) for j in range(7)]
    return mentees, mentors


def test_match_rate_and_mean_score_by_group_with_small_groups_suppressed():
    mentees, mentors = cohort()
    result = match_participants(mentees, mentors, MatchingPolicy(), suppress_below=5)
    gender = result.fairness["by_group"]["gender"]
    # Man (2) is under 5; alone in the combined row it could be recovered from the total, so Woman joins it
    assert gender == {COMBINED: {"n": 8, "match_rate": 0.875, "mean_score": result.fairness["mean_score"]}}
    assert result.fairness["by_group"]["ethnicity"] == {"not stated": {"n": 8, "match_rate": 0.875, "mean_score": result.fairness["mean_score"]}}
    assert result.fairness["match_rate"] == 0.875
    assert result.fairness["mentors_unused"] == 0
    assert result.fairness["hard_rule_violations"] == 0
    assert set(result.fairness["score_distribution"]) == {"min", "q1", "median", "q3", "max"}


def test_small_groups_fold_with_the_next_smallest_so_none_can_be_recovered_from_the_total():
    genders = ["Woman"] * 7 + ["Man"] * 5 + ["Non-binary"] * 2
    mentees = [person(i, Role.mentee, topics=["finance"], demographics={"gender": g}) for i, g in enumerate(genders)]
    mentors = [person(100 + j, Role.mentor, topics=["finance"], capacity=1) for j in range(10)]
    report = fairness_report(
        [Pair(mentor_id=100 + i, mentee_id=i, score=2, reasons=[]) for i in (0, 1, 2, 7, 12)], mentees, mentors, violations=0
    )
    gender = report["by_group"]["gender"]
    assert set(gender) == {"Woman", COMBINED}
    assert gender["Woman"] == {"n": 7, "match_rate": round(3 / 7, 4), "mean_score": 2.0}
    assert gender[COMBINED] == {"n": 7, "match_rate": round(2 / 7, 4), "mean_score": 2.0}
    assert "Non-binary" not in str(report)


def test_the_report_never_lists_people():
    mentees, mentors = cohort()
    report = str(match_participants(mentees, mentors, MatchingPolicy()).fairness)
    assert not any(p.email in report or p.name + " " in report for p in [*mentees, *mentors])


def test_violations_are_recounted_from_the_profiles():
    mentees, mentors = cohort()
    mentees[0] = mentees[0].model_copy(update={"line_manager_email": mentors[0].email})
    bad = [
        Pair(mentor_id=100, mentee_id=0, score=1, reasons=[]),  # line manager
        Pair(mentor_id=101, mentee_id=1, score=1, reasons=[]),
        Pair(mentor_id=101, mentee_id=2, score=1, reasons=[]),  # over capacity
        Pair(mentor_id=102, mentee_id=1, score=1, reasons=[]),  # mentee twice
    ]
    capacity = {m.participation_id: m.capacity for m in mentors}
    assert hard_rule_violations(bad, mentees, mentors, MatchingPolicy(), capacity=capacity) == 3
    assert fairness_report([], mentees, mentors, violations=0)["mentors_unused"] == 7


def test_inputs_hash_changes_with_any_input_and_not_with_order():
    mentees, mentors = cohort()
    policy = MatchingPolicy()
    base = inputs_hash(mentees, mentors, policy)
    assert base == inputs_hash(list(reversed(mentees)), mentors, policy)
    assert len(base) == 64
    assert base != inputs_hash(mentees, mentors, policy.model_copy(update={"objective": "score_first"}))
    assert base != inputs_hash(mentees, mentors, policy, [("mentor100@x.example", "mentee0@x.example")])
    assert base != inputs_hash(mentees, mentors, policy, (), [("mentor100@x.example", "mentee0@x.example")])
    assert base != inputs_hash(mentees, mentors, policy, (), (), [(100, 0)])
