"""Gate rules and the tasks that keep every decision."""

from pydantic import BaseModel

from models.programme import ProgrammeDefinition, Stage
from models.stage_runs import decision_count, latest_gate_answer, open_gate, record_decision
from tasks.runtime import get_runtime
from tasks.step import step

DECISIONS = ("approve", "rework", "stop")


class GateVerdict(BaseModel):
    decision: str
    decided_by: str
    comment: str
    accepted: bool
    refusal_reason: str | None = None
    answer: dict = {}


def refusal_reason(programme: ProgrammeDefinition, stage: Stage, *, decision: str | None, approver: str | None) -> str | None:
    """Why a decision cannot stand, or None. The UI's form makes every field optional, so check all."""
    approver = (approver or "").strip().lower()
    allowed = programme.approvers_for(stage)
    if decision not in DECISIONS:
        return f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}"
    if not approver:
        return "the approver's email is missing"
    if approver not in allowed:
        return f"{approver} is not an approver of the {stage.value} gate (approvers: {', '.join(allowed)})"
    return None


def gate_description(cohort: str, stage: Stage, round: int, summary: str, approvers: list[str]) -> str:
    return (
        f"## {cohort}: {stage.value} gate (round {round})\n\n{summary}\n\n"
        f"**Decide**: `approve` to go on, `rework` to run the stage again (say what to change in the comment), "
        f"or `stop` to end the cohort. Approvers: {', '.join(approvers)}.\n\n"
        f"From a terminal: `mentorflow gate approve {cohort} {stage.value} --by EMAIL --comment TEXT`"
    )


@step(name="open-gate")
def mark_gate_open(stage_run_id: int, flow_run_id: str) -> int:
    """Record where the gate waits; returns how many decisions it has seen (for the pause key)."""
    runtime = get_runtime()
    with runtime.session() as session:
        open_gate(session, stage_run_id=stage_run_id, flow_run_id=flow_run_id, now=runtime.clock.now())
        return decision_count(session, stage_run_id=stage_run_id)


@step(name="last-refusal")
def last_refusal(stage_run_id: int) -> str | None:
    """Why the gate's last answer was refused, if it was: the next resume form says so (the UI
    shows "resumed" for any submitted answer, so a refused approver would not know otherwise)."""
    with get_runtime().session() as session:
        latest = latest_gate_answer(session, stage_run_id=stage_run_id)
    if latest is None or latest.accepted:
        return None
    return f"the last answer, from {latest.decided_by}, was refused: {latest.refusal_reason}"


@step(name="record-gate-decision")
def keep_decision(stage_run_id: int, answer: dict, refusal: str | None, flow_run_id: str) -> GateVerdict:
    """Store the answer the gate received, with why it was refused if it was."""
    runtime = get_runtime()
    decision, approver = answer.get("decision"), (answer.get("approver") or "").strip().lower()
    comment = (answer.get("comment") or "").strip()
    with runtime.session() as session:
        record_decision(
            session,
            stage_run_id=stage_run_id,
            decision=str(decision),
            decided_by=approver or "(none given)",
            comment=comment,
            flow_run_id=flow_run_id,
            refusal_reason=refusal,
            now=runtime.clock.now(),
        )
    return GateVerdict(decision=str(decision), decided_by=approver, comment=comment, accepted=refusal is None,
                       refusal_reason=refusal, answer=answer)
