"""Equity of access by consented group: funnel, outcomes, suppression that cannot be undone by subtraction."""

import pytest
from evaluation_cohort import evaluation_cohort

from tasks.evaluation import evaluate
from tasks.evaluation.equity import COMBINED, fold_small_groups


@pytest.fixture
def report():
    return evaluate(evaluation_cohort())


def _table(report, role, attribute):
    return next(t for t in report.equity if t.role == role and t.attribute == attribute)


def test_funnel_by_group_counts(report):
    table = _table(report, "mentee", "ethnicity")
    rows = {row.group: row for row in table.rows}
    assert rows["Asian British"].numbers == {"applied": 6, "eligible": 6, "trained": 6, "matched": 6, "completed": 4}
    assert table.total.numbers == {"applied": 15, "eligible": 13, "trained": 13, "matched": 11, "completed": 9}
    assert rows["Asian British"].rates["completed"] == "67%"


def test_group_of_four_is_never_shown_and_cannot_be_recovered_from_the_total(report):
    table = _table(report, "mentee", "ethnicity")
    groups = [row.group for row in table.rows]
    assert "Mixed" not in groups  # 4 people
    # the 4 fold in with the next smallest group (Black British, 5), which is no longer shown alone either
    assert "Black British" not in groups
    combined = next(row for row in table.rows if row.group == COMBINED)
    assert combined.numbers["applied"] == 9
    for stage in table.stages:
        shown_alone = sum(row.numbers[stage] for row in table.rows if row.group != COMBINED)
        # total minus the named rows gives the combined row, never a single small group
        assert table.total.numbers[stage] - shown_alone == combined.numbers[stage]


def test_fold_small_groups_rules():
    assert fold_small_groups({"a": 10, "b": 6, "c": 4}, 5) == (["a"], ["c", "b"])
    assert fold_small_groups({"a": 10, "b": 3, "c": 2}, 5) == (["a"], ["b", "c"])
    assert fold_small_groups({"a": 10, "b": 7}, 5) == (["a", "b"], [])
    assert fold_small_groups({"a": 3}, 5) == ([], ["a"])


def test_whole_population_under_the_threshold_is_suppressed():
    cohort = evaluation_cohort()
    cohort.participants = [p for p in cohort.participants if p.participation_id in {1, 2, 3, 101}]
    table = next(t for t in evaluate(cohort).equity if t.role == "mentee" and t.attribute == "ethnicity")
    assert table.total.suppressed and table.total.counts["applied"] == "<5" and table.total.rates["applied"] == "<5"
    assert all(row.suppressed and not row.numbers for row in table.rows)


def test_outcome_cells_under_five_are_hidden_with_a_second_cell(report):
    outcomes = next(t for t in report.equity_outcomes if t.attribute == "ethnicity")
    # gained confidence: Asian British has 3 paired people -> hidden; combined (5) hidden too, else 8 - 5 = 3
    assert outcomes.rows["Asian British"]["gained confidence"].shown == "<5"
    assert outcomes.rows[COMBINED]["gained confidence"].shown == "<5"
    assert outcomes.rows["All"]["gained confidence"].shown == "62% (5 of 8)"
    assert outcomes.rows["Asian British"]["completed (of matched)"].shown == "67% (4 of 6)"


def test_unique_values_appear_nowhere_in_the_report(report):
    text = report.model_dump_json()
    for value in ("Non-binary", "Pacific Islander", "Mixed", "Arab"):
        assert value not in text
