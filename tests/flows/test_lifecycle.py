"""The whole cohort lifecycle under a real Prefect server, every gate decided through the API."""

import email
from uuid import UUID
from collections import Counter

import pytest
from prefect.client.orchestration import get_client
from prefect.flow_runs import resume_flow_run
from prefect.input.actions import read_flow_run_input
from prefect.input.run_input import keyset_from_paused_state

from flows.gate_control import GateRefused, flow_run_state, wait_until_paused
from models.cohorts import find_cohort, set_cohort_state
from models.domain import Role
from models.outbox import messages_for
from models.participants import ParticipantRow, import_participants, participations, set_status
from models.programme import STAGES, Stage
from models.stage_runs import decisions, latest_stage_run
from models.tables import StageRun
from tasks.cohort_setup import register_cohort
from tasks.cohort_status import cohort_status
from sqlalchemy import select

pytestmark = pytest.mark.flow


CHECKLIST = {
    "approver": "sponsor@regulator.example", "in_house_owner": "Priya Shah <pm@regulator.example>",
    "funding_confirmed": True, "admin_hours_per_week": 6.0,
    "mentor_recruitment_and_training": "annual call and training day", "promotion_to_future_mentees": "staff network",
}


def test_every_stage_runs_and_every_gate_is_decided_through_the_api(cohort):
    cohort.start()
    for stage in STAGES:
        cohort.decide(stage, comment=f"{stage.value} looks right")
    with pytest.raises(GateRefused, match="checklist is not complete: funding is confirmed"):
        cohort.decide_transition(**CHECKLIST | {"decision": "approve", "funding_confirmed": False})
    cohort.decide_transition(**CHECKLIST | {"decision": "approve", "comment": "objectives met"})
    assert cohort.finish() == "completed"
    with cohort.runtime.session() as session:
        programme = find_cohort(session, name=cohort.name).programme
        assert (programme.phase, programme.schedule_active) == ("bau", True)
        transition = latest_stage_run(session, cohort_id=cohort.cohort_id, stage="transition")
        assert transition.state == "approved" and transition.output["checklist"]["in_house_owner"].startswith("Priya")

    status = cohort_status(cohort.runtime, cohort.name)
    assert status["state"] == "completed"
    assert [s["stage"] for s in status["stages"]] == [s.value for s in STAGES]
    assert all(s["decision"] == "approve" and s["state"] == "approved" for s in status["stages"])
    assert status["stages"][3]["decided_by"] == cohort.approver(Stage.matching)
    assert status["counts"]["pairs"] >= 6

    with cohort.runtime.session() as session:
        messages = messages_for(session, cohort_id=cohort.cohort_id)
    purposes = Counter(m.purpose for m in messages)
    for purpose in ("charter_published", "call_for_applications", "eligibility_outcome", "training_invitation",
                    "match_introduction", "midpoint_checkin", "closure_message", "survey_request", "gate_waiting"):
        assert purposes[purpose] > 0, f"no {purpose} email"
    assert all(m.state == "sent" for m in messages)
    eml_files = list(cohort.runtime.settings.outbox_dir.glob("*.eml"))
    assert len(eml_files) == len(messages)
    parsed = email.message_from_bytes(eml_files[0].read_bytes())
    assert parsed["Message-ID"] and parsed["To"]

    reports = list(cohort.runtime.settings.reports_dir.glob("*.html"))
    assert reports and "pilot-test" in reports[0].name


def test_rework_runs_the_stage_again_with_the_comment(cohort):
    cohort.start()
    cohort.decide(Stage.scoping, "rework", comment="add the budget line for the celebration")
    cohort.decide(Stage.scoping, "stop", comment="enough for this test")
    assert cohort.finish() == "stopped"
    with cohort.runtime.session() as session:
        runs = list(session.scalars(select(StageRun).where(StageRun.cohort_id == cohort.cohort_id).order_by(StageRun.round)))
        kept = decisions(session, cohort_id=cohort.cohort_id)
    assert [(r.stage, r.round, r.state) for r in runs] == [("scoping", 1, "rework"), ("scoping", 2, "stopped")]
    assert runs[1].rework_comment == "add the budget line for the celebration"
    assert [(d.decision, d.accepted) for d in kept] == [("rework", True), ("stop", True)]


def test_stop_ends_the_cohort_as_stopped(cohort):
    cohort.start()
    cohort.decide(Stage.scoping)
    cohort.decide(Stage.recruitment, "stop", comment="too few applicants")
    assert cohort.finish() == "stopped"
    status = cohort_status(cohort.runtime, cohort.name)
    assert status["state"] == "stopped"
    assert [s["state"] for s in status["stages"][:3]] == ["approved", "stopped", "pending"]


def test_a_decision_by_someone_not_an_approver_is_refused_and_the_gate_still_waits(cohort):
    cohort.start()
    cohort.wait_for_gate(Stage.scoping)
    with cohort.runtime.session() as session:
        gate_run = latest_stage_run(session, cohort_id=cohort.cohort_id, stage="scoping").gate_flow_run_id
    assert wait_until_paused(gate_run)
    # The UI's resume form path: the flow itself must refuse.
    resume_flow_run(gate_run, run_input={"decision": "approve", "approver": "intruder@elsewhere.example", "comment": ""})
    with pytest.raises(GateRefused):  # the CLI path refuses before resuming
        cohort.decide(Stage.scoping, by="someone@regulator.example")
    assert wait_until_paused(gate_run, timeout=30), "the gate should pause again after a refusal"
    with cohort.runtime.session() as session:
        refused = [(d.decided_by, d.accepted) for d in decisions(session, cohort_id=cohort.cohort_id)]
        assert latest_stage_run(session, cohort_id=cohort.cohort_id, stage="scoping").state == "awaiting_decision"
    assert ("intruder@elsewhere.example", False) in refused and ("someone@regulator.example", False) in refused
    listed = cohort_status(cohort.runtime, cohort.name)["refused"]
    assert {(r["stage"], r["decided_by"]) for r in listed} == {
        ("scoping", "intruder@elsewhere.example"), ("scoping", "someone@regulator.example")}, "`cohort status` lists refusals"
    assert all("is not an approver of the scoping gate" in r["reason"] for r in listed)
    form_text = resume_form_description(gate_run)
    assert "Not accepted" in form_text and "intruder@elsewhere.example" in form_text, "the next form says why"
    cohort.decide(Stage.scoping, "stop", comment="done")
    assert cohort.finish() == "stopped"
    assert flow_run_state(gate_run) == "COMPLETED"


def resume_form_description(flow_run_id: str) -> str:
    """What the UI's resume dialog shows above the form of a paused run."""
    with get_client(sync_client=True) as client:
        state = client.read_flow_run(UUID(flow_run_id)).state
    return read_flow_run_input(keyset_from_paused_state(state)["description"], flow_run_id=UUID(flow_run_id))


def test_entering_again_after_a_crash_sends_no_email_twice(cohort, settings):
    settings.gate_timeout_days = 2 / 86400  # the gate gives up after 2 s: the run crashes while waiting
    cohort.start()
    cohort.decide(Stage.scoping)
    cohort.decide(Stage.recruitment)
    cohort.wait_for_gate(Stage.training)
    cohort.thread.join(60)
    assert "error" in cohort.outcome, "the run should have failed at the training gate"
    with cohort.runtime.session() as session:
        before = {m.key: (m.state, m.attempts) for m in messages_for(session, cohort_id=cohort.cohort_id)}
    settings.gate_timeout_days = 1

    cohort.outcome.clear()
    cohort.start()
    for stage in STAGES[2:]:
        cohort.decide(stage)
    cohort.decide_transition(**CHECKLIST | {"decision": "reject", "comment": "no in-house owner yet"})
    assert cohort.finish() == "completed"
    with cohort.runtime.session() as session:
        assert find_cohort(session, name=cohort.name).programme.phase == "pilot"
    with cohort.runtime.session() as session:
        after = {m.key: (m.state, m.attempts) for m in messages_for(session, cohort_id=cohort.cohort_id)}
        training_runs = session.scalars(select(StageRun).where(StageRun.cohort_id == cohort.cohort_id, StageRun.stage == "training")).all()
    assert {k: after[k] for k in before} == before, "earlier emails were sent again"
    assert len(list(cohort.runtime.settings.outbox_dir.glob("*.eml"))) == len(after)
    assert len(training_runs) == 1, "the finished training stage ran again"


def test_recruitment_invites_the_last_cohorts_mentors_and_outgoing_mentees_to_mentor(cohort):
    runtime = cohort.runtime
    last_id, _ = register_cohort(runtime, programme_ref="demo-pilot", cohort="pilot-last-year")
    people = {"ada@regulator.example": (Role.mentor, "completed"), "cy@regulator.example": (Role.mentee, "completed"),
              "di@regulator.example": (Role.mentee, "withdrawn")}
    with runtime.session() as session:
        import_participants(session, cohort_id=last_id, now=runtime.clock.now(), rows=[
            ParticipantRow(email=email, name=email.split("@")[0].title(), role=role, organisation="Regulator",
                           sector="health and social care regulation", region="London",
                           grade=4 if role == Role.mentee else 8, topics=["leadership"])
            for email, (role, _) in people.items()])
        for participation in participations(session, cohort_id=last_id):
            set_status(session, participation_ids=[participation.id], status=people[participation.person.email][1])
        set_cohort_state(session, cohort_id=last_id, state="completed", now=runtime.clock.now())

    cohort.start()
    cohort.decide(Stage.scoping)
    cohort.decide(Stage.recruitment, "stop", comment="enough for this test")
    assert cohort.finish() == "stopped"
    with runtime.session() as session:
        invited = sorted(m.recipient for m in messages_for(session, cohort_id=cohort.cohort_id) if ":rollover:" in m.key)
    assert invited == ["ada@regulator.example", "cy@regulator.example"], "the withdrawn mentee is not asked to mentor"
