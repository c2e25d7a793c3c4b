"""The headline, the markdown artifact, the table rows, the comparison and the standards evidence."""

import pytest
from evaluation_cohort import UNIQUE_VALUES, evaluation_cohort

from tasks.evaluation import evaluate, headline, report_markdown, report_tables


@pytest.fixture
def report():
    return evaluate(evaluation_cohort(), previous=evaluation_cohort(name="pilot-2026", eighth_pair_status="ended_early"))


def test_headline_states_the_figures_in_three_to_six_lines(report):
    lines = headline(report).splitlines()
    assert 3 <= len(lines) <= 6
    assert lines[0] == "Cohort spring-2027: 11 pairs, 9 completed (82%); 1 re-matched, 1 ended early."
    assert "8 paired mentees; 62% improved" in lines[1]
    assert "88% would recommend" in lines[2]
    assert "Objectives: 6 of 8 met; missed: completion 82% vs 85%, recommend 88% vs 90%." in lines
    assert lines[-1] == "Against pilot-2026: pairs completing 82% vs 73%; would recommend 88% vs 88%."


def test_markdown_holds_every_part(report):
    text = report_markdown(report)
    for heading in ("## Objectives", "## Before and after (paired)", "## Shares", "## Response rates",
                    "## Relationships", "## Compared with cohort pilot-2026", "## Standards evidence"):
        assert heading in text
    assert "| completion: 85% of pairs complete | 85% | 82% | no | 9 of 11 pairs completed |" in text
    for value in UNIQUE_VALUES:
        assert value not in text


def test_table_rows_for_artifacts(report):
    tables = report_tables(report)
    assert [row["objective"] for row in tables["objectives"]][:3] == ["pairs", "matching", "completion"]
    confidence = next(row for row in tables["pre_post"] if row["item"] == "confidence")
    assert (confidence["n_pairs"], confidence["unpaired"], confidence["mean_change"], confidence["median_change"]) == (8, 3, "+1.1", "+1.5")


def test_comparison_with_the_previous_cohort_side_by_side(report):
    rows = {row.key: row for row in report.comparison}
    # the previous cohort's eighth pair ended early: 8 of 11 completed
    assert rows["completion_rate"].this == pytest.approx(9 / 11)
    assert rows["completion_rate"].previous == pytest.approx(8 / 11)
    assert rows["completion_rate"].change_display == "+9 pts"
    assert "mean_change_network" not in rows  # neither cohort has the figure


def test_no_comparison_without_a_previous_cohort():
    report = evaluate(evaluation_cohort())
    assert report.comparison == [] and report.previous_cohort_name is None
    assert len(headline(report).splitlines()) == 4


def test_standards_evidence_from_the_records(report):
    shows = {s.heading: s for s in report.standards}
    assert shows["Every mentor trained before being matched"].shows == "11/12"  # mentor 112 missed training
    assert shows["Every mentor trained before being matched"].source == "training attendance and matches"
    assert shows["Each pair agreed goals and a meeting frequency"].shows == "9/11"
    midpoint = shows["Relationship problems spotted and acted on at midpoint"]
    assert midpoint.shows == "3 flagged, 2 re-energised, 1 re-matched, 1 closed early"
    assert shows["Recruitment against target"].ok is False  # 11 pairs against the programme's 40
    assert shows["Closure held for every relationship"].shows.startswith("10/11")


def test_comments_grouped_per_question_without_anything_beside_them(report):
    groups = {(g.survey, g.role): g for g in report.comments}
    assert groups[("post", "mentee")].comments == ["My mentor helped me prepare for interviews", "We struggled to find time"]
    assert groups[("post", "mentee")].question == "Any other comments"
    assert set(groups[("post", "mentee")].model_dump()) == {"survey", "role", "question", "comments"}
