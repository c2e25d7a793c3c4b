"""Each SMART objective: target, actual, met or missed, and the figures behind it."""

import pytest
from evaluation_cohort import evaluation_cohort

from tasks.evaluation import evaluate


@pytest.fixture
def objectives():
    return {o.id: o for o in evaluate(evaluation_cohort()).objectives}


@pytest.mark.parametrize(
    ("objective", "actual", "met", "evidence"),
    [
        ("pairs", 11, True, "11 pairs matched (target 10)"),
        ("matching", 11 / 13, True, "11 of 13 eligible mentees matched"),
        ("completion", 9 / 11, False, "9 of 11 pairs completed"),
        ("responses", 17 / 23, True, "17 of 23 participants asked answered the post survey"),
        ("recommend", 15 / 17, False, "15 of 17 participants answering the post survey"),
        ("confidence", 5 / 8, True, "5 of 8 paired mentees improved on confidence"),
        ("confidence_change", 9 / 8, True, "across 8 paired mentees"),
        ("promotion", 5 / 9, True, "5 of 9 mentees answering reported promoted"),
    ],
)
def test_objective_against_target(objectives, objective, actual, met, evidence):
    result = objectives[objective]
    assert result.actual == pytest.approx(actual)
    assert result.met is met
    assert evidence in result.evidence


def test_objective_display_in_the_measure_units(objectives):
    assert (objectives["completion"].target_display, objectives["completion"].actual_display) == ("85%", "82%")
    assert (objectives["confidence_change"].target_display, objectives["confidence_change"].actual_display) == ("+1.0", "+1.1")
    assert objectives["pairs"].actual_display == "11"


def test_objective_without_data_is_not_met():
    cohort = evaluation_cohort()
    cohort.responses.pop("pre")
    result = next(o for o in evaluate(cohort).objectives if o.id == "confidence")
    assert result.actual is None and result.met is False
    assert "no mentee answered confidence" in result.evidence
