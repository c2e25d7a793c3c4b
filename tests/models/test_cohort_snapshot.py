"""Loading a cohort's snapshot reads everything the reminder planner needs, and changes nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from models.cohort_snapshot import active_cohort_ids, cohort_programme, load_snapshot
from models.domain import Role
from models.matches import log_meetings
from models.outbox import EmailRequest, queue_emails
from models.participants import ParticipantRow, import_participants, participations, set_status
from models.stage_runs import finish_stage_run, open_gate, start_stage_run
from models.surveys import open_survey, store_answers
from models.tables import Cohort, Match, Message, Programme
from models.training import save_session

NOW = datetime(2027, 3, 9, 9, 0, tzinfo=UTC)


@pytest.fixture
def cohort(session, programme) -> Cohort:
    record = Programme(slug=programme.slug, name=programme.name, organisation=programme.organisation,
                       phase=programme.phase.value, definition=programme.model_dump(mode="json"), updated_at=NOW)
    cohort = Cohort(programme=record, name="2027", created_at=NOW, state="running", started_at=NOW)
    stopped = Cohort(programme=record, name="2026", created_at=NOW, state="stopped")
    session.add_all([record, cohort, stopped])
    session.flush()
    rows = [
        ParticipantRow(email=email, name=email.split("@")[0], role=role, organisation="O", sector="S", region="R",
                       grade=5, topics=["finance"], line_manager_email="boss@example.org" if role == Role.mentee else None)
        for email, role in [("mentor@example.org", Role.mentor), ("ada@example.org", Role.mentee)]
    ]
    import_participants(session, cohort_id=cohort.id, rows=rows, now=NOW)
    mentor, mentee = participations(session, cohort_id=cohort.id)
    set_status(session, participation_ids=[mentor.id, mentee.id], status="matched")
    save_session(session, cohort_id=cohort.id, name="Webinar", audience="mentors", kind="webinar",
                 starts_at=NOW + timedelta(days=30), duration_minutes=90, required=False, uid="2027-webinar@mentorflow")
    match = Match(cohort_id=cohort.id, mentor_id=mentor.id, mentee_id=mentee.id, score=1.0, explanation="",
                  status="active", started_at=NOW)
    closed = Match(cohort_id=cohort.id, mentor_id=mentor.id, mentee_id=mentee.id, score=1.0, explanation="",
                   status="closed", started_at=NOW)
    session.add_all([match, closed])
    session.flush()
    log_meetings(session, meetings={match.id: [NOW + timedelta(days=20), NOW + timedelta(days=50)]}, minutes=60)
    survey = open_survey(session, cohort_id=cohort.id, kind="pre", now=NOW)
    store_answers(session, survey_id=survey.id, answers={mentee.id: {"confidence": 3}}, now=NOW + timedelta(days=2))
    run = start_stage_run(session, cohort_id=cohort.id, stage="matching", round=1, rework_comment=None, now=NOW)
    finish_stage_run(session, stage_run_id=run.id, output={}, now=NOW)
    open_gate(session, stage_run_id=run.id, flow_run_id="flow-1", now=NOW + timedelta(hours=1))
    queue_emails(session, cohort_id=cohort.id, now=NOW, requests=[EmailRequest(
        key="2027:survey:pre:ada@example.org", recipient="ada@example.org", purpose="survey_request",
        template="survey_request", context={"programme_name": "P", "organisation": "O", "cohort": "2027",
        "manager_name": "M", "manager_email": "m@example.org", "recipient_name": "Ada", "survey_kind": "pre",
        "survey_url": "http://x"})])
    return cohort


def test_snapshot_holds_people_sessions_live_pairs_surveys_waiting_gates_and_queued_keys(session, cohort):
    snapshot = load_snapshot(session, cohort_id=cohort.id)

    assert (snapshot.cohort, snapshot.state) == ("2027", "running")
    assert [(p.email, p.role, p.status) for p in snapshot.people] == [
        ("mentor@example.org", "mentor", "matched"), ("ada@example.org", "mentee", "matched")]
    assert snapshot.people[1].line_manager_email == "boss@example.org"
    [webinar] = snapshot.sessions
    assert (webinar.uid, webinar.sequence, webinar.starts_at) == ("2027-webinar@mentorflow", 0, NOW + timedelta(days=30))
    [pair] = snapshot.pairs
    assert pair.status == "active" and pair.meetings == [NOW + timedelta(days=20), NOW + timedelta(days=50)]
    [pre] = snapshot.surveys
    assert pre.kind == "pre" and pre.opened_at == NOW
    assert pre.responses == {snapshot.people[1].participation_id: NOW + timedelta(days=2)}
    [gate] = snapshot.gates
    assert (gate.stage, gate.round, gate.opened_at) == ("matching", 1, NOW + timedelta(hours=1))
    assert snapshot.stages == {"matching": "awaiting_decision"}
    assert snapshot.queued_keys == frozenset({"2027:survey:pre:ada@example.org"})


def test_loading_a_snapshot_writes_nothing(session, cohort):
    before = session.scalar(select(func.count()).select_from(Message))
    load_snapshot(session, cohort_id=cohort.id)
    assert not session.new and not session.dirty
    assert session.scalar(select(func.count()).select_from(Message)) == before


def test_only_running_cohorts_are_active(session, cohort, programme):
    assert active_cohort_ids(session) == [cohort.id]
    assert active_cohort_ids(session, name="2026") == []
    assert cohort_programme(session, cohort_id=cohort.id).slug == programme.slug
