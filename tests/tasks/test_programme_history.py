"""Programme history: cohorts in order, figures measured from the tables, objectives from the stored evaluation."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from flows.cli_history import history
from models.cohorts import create_cohort, save_programme, set_cohort_state
from models.domain import Role
from models.matches import activate_proposed, cohort_matches, replace_proposed, set_match_status
from models.participants import ParticipantRow, import_participants, participations
from models.programme_history import CohortRecord
from models.stage_runs import finish_stage_run, start_stage_run
from models.surveys import ResponseRow, record_responses
from tasks.programme_history import ProgrammeHistory, cohort_history, history_table, programme_history

FIRST_YEAR = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
EVALUATION_OUTPUT = {
    "headline": "Cohort pilot-2027: 3 pairs, 2 completed (67%).",
    "objectives": [{"id": "pairs_matched", "met": False}, {"id": "recommend", "met": True}, {"id": "completion", "met": True}],
}


def applicant(email: str, role: Role) -> ParticipantRow:
    return ParticipantRow(
        email=email, name=email.split("@")[0].title(), role=role, organisation="Org", sector="policy",
        region="London", grade=4 if role == Role.mentee else 8, topics=["leadership"],
    )


@pytest.fixture
def two_cohorts(session, programme):
    """Last year's cohort, evaluated (3 pairs, 2 closed, 3 of 4 would recommend), and this year's, just created."""
    programme_row = save_programme(session, definition=programme, source_file=None, now=FIRST_YEAR)
    first = create_cohort(session, programme=programme_row, name="pilot-2027", now=FIRST_YEAR)
    emails = {role: [f"{role.value}{n}@example.org" for n in range(3)] for role in Role}
    import_participants(
        session, cohort_id=first.id, rows=[applicant(e, role) for role, group in emails.items() for e in group], now=FIRST_YEAR
    )
    by_email = {p.person.email: p.id for p in participations(session, cohort_id=first.id)}
    pairs = [{"mentor_id": by_email[m], "mentee_id": by_email[e], "score": 1.0, "explanation": "test"}
             for m, e in zip(emails[Role.mentor], emails[Role.mentee])]
    replace_proposed(session, cohort_id=first.id, run_id=None, pairs=pairs, now=FIRST_YEAR)
    activate_proposed(session, cohort_id=first.id, started_at=FIRST_YEAR)
    matches = cohort_matches(session, cohort_id=first.id)
    set_match_status(session, match_ids=[m.id for m in matches[:2]], status="closed", closed_at=FIRST_YEAR + timedelta(days=365))
    answers = [True, True, True, False]
    record_responses(
        session, cohort_id=first.id, now=FIRST_YEAR + timedelta(days=380),
        rows=[ResponseRow(email=email, survey="post", answers={"would_recommend": answer})
              for email, answer in zip(emails[Role.mentee] + emails[Role.mentor], answers)],
    )
    evaluation = start_stage_run(session, cohort_id=first.id, stage="evaluation", round=1, rework_comment=None, now=FIRST_YEAR)
    finish_stage_run(session, stage_run_id=evaluation.id, output=EVALUATION_OUTPUT, now=FIRST_YEAR + timedelta(days=400))
    set_cohort_state(session, cohort_id=first.id, state="running", now=FIRST_YEAR)
    set_cohort_state(session, cohort_id=first.id, state="completed", now=FIRST_YEAR + timedelta(days=400))
    create_cohort(session, programme=programme_row, name="bau-2028", now=FIRST_YEAR + timedelta(days=365))
    session.commit()


def test_cohort_history_takes_objectives_and_headline_from_the_stored_evaluation():
    record = CohortRecord(
        cohort_id=1, name="pilot-2027", state="completed", created_at=FIRST_YEAR, started_at=FIRST_YEAR,
        finished_at=FIRST_YEAR + timedelta(days=400), evaluation=EVALUATION_OUTPUT,
    )

    line = cohort_history(record, pairs=3, completed_pairs=2, completion_rate=2 / 3, would_recommend=0.75)

    assert (line.objectives_met, line.objectives_total, line.headline) == (2, 3, EVALUATION_OUTPUT["headline"])
    assert (line.started, line.finished) == ("2027-01-11", "2028-02-15")


def test_a_cohort_without_an_evaluation_has_no_objective_figures():
    record = CohortRecord(cohort_id=2, name="bau-2028", state="created", created_at=FIRST_YEAR, started_at=None, finished_at=None)

    line = cohort_history(record, pairs=0, completed_pairs=0, completion_rate=None, would_recommend=None)

    assert (line.objectives_met, line.objectives_total, line.headline, line.started) == (None, None, None, None)


def test_history_lists_cohorts_oldest_first_with_their_figures(runtime, two_cohorts):
    found = programme_history(runtime, "demo-pilot")

    assert [(c.cohort, c.state) for c in found.cohorts] == [("pilot-2027", "completed"), ("bau-2028", "created")]
    first, second = found.cohorts
    assert (first.pairs, first.completed_pairs, first.would_recommend) == (3, 2, 0.75)
    assert first.completion_rate == pytest.approx(2 / 3)
    assert (first.objectives_met, first.objectives_total) == (2, 3)
    assert (second.pairs, second.completion_rate, second.objectives_total) == (0, None, None)


def test_history_table_shows_each_cohort_on_a_line(runtime, two_cohorts):
    console = Console(record=True, width=160)
    console.print(history_table(programme_history(runtime, "demo-pilot")))
    text = console.export_text()

    assert "pilot-2027" in text and "2 (67%)" in text and "75%" in text and "2 of 3" in text
    assert "bau-2028" in text


def test_the_command_prints_json_and_names_an_unknown_programme(runtime, two_cohorts):
    app = typer.Typer()
    app.command()(history)
    runner = CliRunner()

    printed = runner.invoke(app, ["demo-pilot", "--json"])
    unknown = runner.invoke(app, ["no-such-programme"])

    assert printed.exit_code == 0, printed.output
    assert [c["cohort"] for c in ProgrammeHistory.model_validate(json.loads(printed.stdout)).model_dump()["cohorts"]] == [
        "pilot-2027", "bau-2028",
    ]
    assert unknown.exit_code == 1
    assert "no programme 'no-such-programme'" in unknown.output
