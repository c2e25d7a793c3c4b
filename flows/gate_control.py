"""Deciding a waiting gate from outside the flow: the CLI and the demo resume it through Prefect's API."""

import time
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.exceptions import ObjectNotFound

from models.cohorts import programme_definition, require_cohort
from models.programme import ProgrammeDefinition, Stage
from models.stage_runs import latest_stage_run, record_decision
from tasks.gates import refusal_reason
from tasks.resuming import resume_with_retry
from tasks.runtime import Runtime
from tasks.transition import transition_refusal


class NothingWaiting(LookupError):
    pass


class GateRefused(PermissionError):
    pass


def waiting_gate(runtime: Runtime, cohort: str, gate: str) -> tuple[int, str, ProgrammeDefinition]:
    """The stage run and flow run waiting at this gate, and the cohort's programme; or NothingWaiting."""
    with runtime.session() as session:
        found = require_cohort(session, name=cohort)
        stage_run = latest_stage_run(session, cohort_id=found.id, stage=gate)
        if stage_run is None or stage_run.state != "awaiting_decision" or not stage_run.gate_flow_run_id:
            state = stage_run.state if stage_run else "not started"
            raise NothingWaiting(
                f"nothing waits at the {gate} gate of cohort {cohort!r} (that stage is {state}); "
                f"see what waits with `mentorflow gate list`"
            )
        return stage_run.id, stage_run.gate_flow_run_id, programme_definition(found.programme)


def flow_run_state(flow_run_id: str) -> str | None:
    with get_client(sync_client=True) as client:
        try:
            run = client.read_flow_run(UUID(flow_run_id))
        except ObjectNotFound:
            return None
    return run.state.type.value if run.state else None


def wait_until_paused(flow_run_id: str, *, timeout: float = 60, poll: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if flow_run_state(flow_run_id) == "PAUSED":
            return True
        time.sleep(poll)
    return False


def decide_gate(
    runtime: Runtime, *, cohort: str, stage: Stage, decision: str, by: str, comment: str = "", wait_seconds: float = 30
) -> None:
    """Check the approver here (a refusal is recorded and nothing is resumed), then resume the gate's run."""
    answer = {"decision": decision, "approver": by.strip().lower(), "comment": comment}
    submit(runtime, cohort=cohort, gate=stage.value, answer=answer, wait_seconds=wait_seconds,
           check=lambda programme: refusal_reason(programme, stage, decision=decision, approver=by))


def decide_transition(runtime: Runtime, *, cohort: str, answer: dict, wait_seconds: float = 30) -> None:
    answer = answer | {"approver": answer.get("approver", "").strip().lower()}
    submit(runtime, cohort=cohort, gate="transition", answer=answer, wait_seconds=wait_seconds,
           check=lambda programme: transition_refusal(programme, answer))


def submit(runtime: Runtime, *, cohort: str, gate: str, answer: dict, check, wait_seconds: float) -> None:
    stage_run_id, flow_run_id, programme = waiting_gate(runtime, cohort, gate)
    reason = check(programme)
    if reason:
        with runtime.session() as session:
            # No flow run id: this refusal never reached the gate's run (see decision_count).
            record_decision(session, stage_run_id=stage_run_id, decision=str(answer.get("decision")),
                            decided_by=answer["approver"] or "(none given)", comment=answer.get("comment", ""),
                            flow_run_id=None, refusal_reason=reason, now=runtime.clock.now())
        raise GateRefused(f"refused and recorded: {reason}")
    if not wait_until_paused(flow_run_id, timeout=wait_seconds):
        raise NothingWaiting(
            f"the {gate} gate of {cohort!r} is recorded as waiting, but its flow run {flow_run_id} is "
            f"{flow_run_state(flow_run_id) or 'unknown to this Prefect server'}: is PREFECT_API_URL the server the cohort runs on?"
        )
    resume_with_retry(flow_run_id, answer)


def wait_for_gate(runtime: Runtime, *, cohort_id: int, gate: str, still_running, poll: float = 0.2) -> bool:
    """Block until the gate is paused for a decision (True), or `still_running()` turns False.

    The database says which run waits; Prefect says whether it is paused yet (a gate just
    decided still shows as waiting in the database until the flow records the decision).
    """
    while still_running():
        with runtime.session() as session:
            stage_run = latest_stage_run(session, cohort_id=cohort_id, stage=gate)
            gate_run = stage_run.gate_flow_run_id if stage_run and stage_run.state == "awaiting_decision" else None
        if gate_run and flow_run_state(gate_run) == "PAUSED":
            return True
        time.sleep(poll)
    return False
