"""load_evaluation_data and previous_cohort_id against a real database."""

from datetime import UTC, datetime, timedelta

import pytest

from models.evaluation_data import load_evaluation_data, previous_cohort_id
from models.tables import (
    Attendance,
    Cohort,
    Demographic,
    Match,
    Meeting,
    Participation,
    Person,
    Programme,
    Response,
    StageRun,
    Survey,
    TrainingSessionRow,
)

START = datetime(2027, 3, 1, 9, tzinfo=UTC)


def _cohort(session, programme_row, name, created_at, state="created"):
    cohort = Cohort(programme=programme_row, name=name, state=state, created_at=created_at)
    session.add(cohort)
    session.flush()
    return cohort


def _person(session, cohort, email, role, status):
    person = Person(email=email, name=email.split("@")[0])
    session.add(person)
    session.flush()
    participation = Participation(cohort_id=cohort.id, person_id=person.id, role=role, status=status)
    session.add(participation)
    session.flush()
    return participation


@pytest.fixture
def cohort(session, programme):
    programme_row = Programme(
        slug=programme.slug, name=programme.name, organisation=programme.organisation, phase=programme.phase.value,
        definition=programme.model_dump(mode="json"), updated_at=START,
    )
    session.add(programme_row)
    _cohort(session, programme_row, "pilot-2026", START - timedelta(days=400), state="completed")
    _cohort(session, programme_row, "abandoned", START - timedelta(days=200), state="stopped")
    cohort = _cohort(session, programme_row, "spring-2027", START)
    _cohort(session, programme_row, "spring-2028", START + timedelta(days=365), state="completed")

    mentor = _person(session, cohort, "mentor@example.org", "mentor", "completed")
    mentee = _person(session, cohort, "mentee@example.org", "mentee", "completed")
    _person(session, cohort, "late@example.org", "mentee", "ineligible")
    session.add(Demographic(participation_id=mentee.id, attribute="ethnicity", value="Asian British", consented_at=START))
    training = TrainingSessionRow(
        cohort_id=cohort.id, name="Mentor training day", audience="mentors", kind="initial",
        starts_at=START - timedelta(days=7), duration_minutes=360, uid="t1@example",
    )
    session.add(training)
    session.flush()
    session.add(Attendance(session_id=training.id, participation_id=mentor.id, attended=True, recorded_at=START))
    match = Match(
        cohort_id=cohort.id, mentor_id=mentor.id, mentee_id=mentee.id, score=0.8, explanation="shared goals",
        status="closed", agreement={"goals": ["leadership"], "meeting_frequency": "monthly"},
        started_at=START, closed_at=START + timedelta(days=365),
    )
    session.add(match)
    session.flush()
    session.add_all([Meeting(match_id=match.id, held_on=START + timedelta(days=30 * i), minutes=60) for i in range(1, 4)])
    for kind, answers in (("pre", {"confidence": 2}), ("post", {"confidence": 4, "would_recommend": True})):
        survey = Survey(cohort_id=cohort.id, kind=kind, opened_at=START)
        session.add(survey)
        session.flush()
        session.add(Response(survey_id=survey.id, participation_id=mentee.id, answers=answers, submitted_at=START))
    session.add(Survey(cohort_id=cohort.id, kind="followup", opened_at=START))
    session.add(StageRun(
        cohort_id=cohort.id, stage="midpoint", state="approved", started_at=START,
        output={"flagged": 3, "reenergised": 2, "rematched": 1, "closed_early": 0, "health": []},
    ))
    session.flush()
    return cohort


def test_loads_participants_with_consented_demographics(session, cohort):
    data = load_evaluation_data(session, cohort_id=cohort.id)
    assert data.cohort_name == "spring-2027" and data.programme.slug == "demo-pilot"
    by_role = sorted((p.role, p.status, p.demographics) for p in data.participants)
    assert by_role == [
        ("mentee", "completed", {"ethnicity": "Asian British"}),
        ("mentee", "ineligible", {}),
        ("mentor", "completed", {}),
    ]


def test_loads_responses_by_survey_kind(session, cohort):
    data = load_evaluation_data(session, cohort_id=cohort.id)
    mentee = next(p.participation_id for p in data.participants if p.status == "completed" and p.role == "mentee")
    assert data.responses["pre"] == {mentee: {"confidence": 2}}
    assert data.responses["post"][mentee]["would_recommend"] is True
    assert data.responses["followup"] == {}  # opened, nobody answered yet


def test_loads_matches_with_meetings_and_months(session, cohort):
    (match,) = load_evaluation_data(session, cohort_id=cohort.id).matches
    assert (match.status, match.meetings_held) == ("closed", 3)
    assert match.months_active == pytest.approx(365 / 30.44, abs=0.01)
    assert match.agreement["meeting_frequency"] == "monthly"


def test_loads_attendance_and_midpoint_actions(session, cohort):
    data = load_evaluation_data(session, cohort_id=cohort.id)
    assert [(a.kind, a.attended) for a in data.attendance] == [("initial", True)]
    assert (data.midpoint.flagged, data.midpoint.reenergised, data.midpoint.rematched) == (3, 2, 1)
    assert data.midpoint.source == "midpoint review"


def test_midpoint_actions_fall_back_to_match_statuses(session, cohort):
    session.query(StageRun).delete()
    data = load_evaluation_data(session, cohort_id=cohort.id)
    assert (data.midpoint.flagged, data.midpoint.rematched, data.midpoint.reviewed) == (0, 0, False)
    assert data.midpoint.source.startswith("match statuses")


def test_previous_cohort_is_the_latest_finished_one_created_before(session, cohort):
    previous = previous_cohort_id(session, cohort_id=cohort.id)
    assert session.get(Cohort, previous).name == "pilot-2026"  # not the stopped one, not the later one


def test_evaluated_cohort_counts_as_previous(session, cohort):
    abandoned = session.query(Cohort).filter_by(name="abandoned").one()
    session.add(StageRun(cohort_id=abandoned.id, stage="evaluation", state="approved", started_at=START))
    session.flush()
    assert previous_cohort_id(session, cohort_id=cohort.id) == abandoned.id


def test_the_first_cohort_has_no_previous(session, cohort):
    first = session.query(Cohort).filter_by(name="pilot-2026").one()
    assert previous_cohort_id(session, cohort_id=first.id) is None


def test_build_cohort_report_writes_the_html(session, cohort, tmp_path):
    from tasks.evaluation.build import build_cohort_report

    report, path = build_cohort_report(session, cohort_id=cohort.id, out_dir=tmp_path)
    assert path == tmp_path / "spring-2027-evaluation.html"
    assert report.previous_cohort_name == "pilot-2026"
    assert "Asian British" not in path.read_text(encoding="utf-8")  # one person: never shown
