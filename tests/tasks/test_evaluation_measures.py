"""Response rates, paired pre/post change, shares, satisfaction and relationships, against hand-computed values."""

import math

import pytest
from evaluation_cohort import evaluation_cohort

from tasks.evaluation import measures


@pytest.fixture
def cohort():
    return evaluation_cohort()


def _rate(rates, survey, role):
    return next((r.responded, r.invited) for r in rates if r.survey == survey and r.role == role)


def test_response_rate_per_survey_and_role(cohort):
    rates = measures.response_rates(cohort)
    # pre: asked = everyone who reached eligible (13 mentees, 13 mentors); answered by mentees 1-10
    assert _rate(rates, "pre", "mentee") == (10, 13)
    assert _rate(rates, "pre", "mentor") == (0, 13)
    # post: asked = everyone matched (mentees 1-11, mentors 101-112)
    assert _rate(rates, "post", "mentee") == (9, 11)
    assert _rate(rates, "post", "mentor") == (8, 12)
    assert _rate(rates, "post", "all") == (17, 23)
    assert next(r.rate for r in rates if r.survey == "post" and r.role == "all") == pytest.approx(17 / 23)
    assert _rate(rates, "followup", "mentee") == (2, 11)


def test_paired_change_uses_only_people_with_both_answers_and_counts_ties(cohort):
    change = measures.find_change(measures.pre_post_changes(cohort), "confidence")
    assert change.n_pairs == 8
    assert change.n_unpaired == 3  # mentees 9 and 10 (pre only), 11 (post only)
    assert change.pre_mean == pytest.approx(18 / 8)
    assert change.post_mean == pytest.approx(27 / 8)
    assert change.mean_change == pytest.approx(9 / 8)
    assert change.median_change == 1.5
    assert (change.improved, change.unchanged, change.worse) == (5, 2, 1)
    assert change.improved_share == pytest.approx(5 / 8)
    assert change.pre_distribution == [1, 4, 3, 0, 0]
    assert change.post_distribution == [0, 1, 4, 2, 1]


def test_no_test_below_the_minimum_n(cohort):
    change = measures.find_change(measures.pre_post_changes(cohort), "confidence")
    assert change.test is None and change.p_value is None
    assert "below the minimum of 10" in change.test_note


def test_wilcoxon_with_pratt_zero_handling_matches_hand_computation():
    cohort = evaluation_cohort(min_n_for_test=5)
    change = measures.find_change(measures.pre_post_changes(cohort), "confidence")
    # |d| ranked with the zeros kept: 0,0 -> 1.5; 1,1 -> 3.5; 2,2,2 -> 6; 3 -> 8. Negative ranks: 3.5
    assert change.statistic == 3.5
    mean = 8 * 9 / 4 - 2 * 3 / 4  # Pratt drops the zeros' ranks from the expectation
    variance = 8 * 9 * 17 / 24 - 2 * 3 * 5 / 24 - ((2**3 - 2) + (3**3 - 3)) / 48
    z = (3.5 - mean) / math.sqrt(variance)
    assert change.p_value == pytest.approx(math.erfc(-z / math.sqrt(2)), rel=1e-9)
    assert "zero_method='pratt'" in change.test


def test_items_nobody_answered_have_no_pairs_and_no_share(cohort):
    changes = measures.pre_post_changes(cohort)
    assert measures.find_change(changes, "network").n_pairs == 0
    assert all(c.role == "mentee" for c in changes)  # no mentor answered a rating both times
    assert measures.find_share(measures.shares(cohort, changes), "gained_network") is None


def test_seeds_style_shares(cohort):
    shares = measures.shares(cohort, measures.pre_post_changes(cohort))
    gained = measures.find_share(shares, "gained_confidence")
    assert (gained.numerator, gained.denominator) == (5, 8)
    assert (measures.find_share(shares, "would_recommend_mentee").numerator, measures.find_share(shares, "would_recommend_mentee").denominator) == (8, 9)
    assert (measures.find_share(shares, "would_recommend").numerator, measures.find_share(shares, "would_recommend").denominator) == (15, 17)
    promoted = measures.find_share(shares, "outcome_promoted")
    # post says promoted for 1, 4, 8; the follow-up adds 2 and 6
    assert (promoted.numerator, promoted.denominator) == (5, 9)


def test_satisfaction_mean_per_role(cohort):
    by_role = {s.role: s for s in measures.satisfaction(cohort)}
    assert by_role["mentee"].mean == pytest.approx(38 / 9)
    assert by_role["mentor"].mean == 4
    assert (by_role["all"].n, by_role["all"].mean) == (17, pytest.approx(70 / 17))


def test_relationship_level(cohort):
    rel = measures.relationships(cohort)
    assert (rel.pairs, rel.completed, rel.still_open) == (11, 9, 1)  # the re-matched pair counts once
    assert rel.completion_rate == pytest.approx(9 / 11)
    assert (rel.rematched, rel.ended_early) == (1, 1)
    assert rel.meetings_held == 103
    # 8 pairs x 12 monthly + 4 (no cadence agreed: programme's monthly) + 8 months fortnightly + 6 monthly
    assert rel.meetings_expected == 122
    assert rel.pairs_meeting_cadence == 6
    assert rel.goals_reached == {"yes": 6, "partly": 2, "no": 1}
