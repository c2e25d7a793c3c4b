"""Matching runs are stored side by side, read back intact, and compared pair by pair."""

from datetime import UTC, datetime, timedelta

import pytest

from models.domain import MatchResult, Pair, Unmatched
from models.matching_runs import diff_pairs, latest_matching_run, matching_runs, record_matching_run, run_result
from models.tables import Cohort, Programme

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def cohort(session, programme) -> Cohort:
    record = Programme(
        slug=programme.slug, name=programme.name, organisation=programme.organisation,
        phase=programme.phase.value, definition=programme.model_dump(mode="json"), updated_at=NOW,
    )
    cohort = Cohort(programme=record, name="2027", created_at=NOW)
    session.add_all([record, cohort])
    session.flush()
    return cohort


def result(*pairs: tuple[int, int], unmatched: tuple[int, ...] = ()) -> MatchResult:
    return MatchResult(
        pairs=[Pair(mentor_id=m, mentee_id=e, score=5.0, reasons=["shared goals: finance"]) for m, e in pairs],
        unmatched=[Unmatched(mentee_id=e, why="all 1 feasible mentor is full") for e in unmatched],
        solver="ortools min-cost flow", objective=5.0 * len(pairs), fairness={"hard_rule_violations": 0}, notes=["n"],
    )


def record(session, cohort, outcome: MatchResult, *, purpose="initial", at=NOW):
    return record_matching_run(
        session, cohort_id=cohort.id, purpose=purpose, mode="assigned", result=outcome, inputs_hash="a" * 64,
        weights={"goals": 6}, size={"mentees": 2, "mentors": 2}, seconds=0.01, now=at,
    )


def test_a_run_is_stored_with_its_result_fairness_and_notes(session, cohort):
    outcome = result((10, 1), unmatched=(2,))
    run = record(session, cohort, outcome)
    assert run.id is not None and run.objective == 5.0 and run.solver == "ortools min-cost flow"
    assert run.summary["fairness"] == {"hard_rule_violations": 0}
    assert run.summary["notes"] == ["n"]
    assert run_result(run) == outcome


def test_reworked_runs_are_kept_beside_the_old_and_latest_is_by_purpose(session, cohort):
    first = record(session, cohort, result((10, 1)))
    second = record(session, cohort, result((11, 1)), at=NOW + timedelta(days=1))
    rematch = record(session, cohort, result((12, 3)), purpose="rematch", at=NOW + timedelta(days=90))
    assert [r.id for r in matching_runs(session, cohort_id=cohort.id)] == [first.id, second.id, rematch.id]
    assert latest_matching_run(session, cohort_id=cohort.id).id == second.id
    assert latest_matching_run(session, cohort_id=cohort.id, purpose="rematch").id == rematch.id
    assert latest_matching_run(session, cohort_id=cohort.id + 99) is None


def test_diff_names_kept_changed_added_and_removed_pairs():
    old = result((10, 1), (11, 2), (12, 3)).pairs
    new = result((10, 1), (12, 2), (13, 4)).pairs
    assert diff_pairs(old, new) == {
        "kept": [{"mentee_id": 1, "mentor_id": 10}],
        "changed": [{"mentee_id": 2, "from_mentor_id": 11, "to_mentor_id": 12}],
        "added": [{"mentee_id": 4, "mentor_id": 13}],
        "removed": [{"mentee_id": 3, "mentor_id": 12}],
    }
