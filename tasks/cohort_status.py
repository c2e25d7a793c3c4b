"""Where a cohort stands: one dictionary for the table and for --json."""

from models.cohorts import cohort_counts, programme_definition, require_cohort
from models.programme import ProgrammeDefinition, Stage
from models.stage_runs import decisions, stage_summaries, waiting_gates
from tasks.runtime import Runtime
from tasks.transition import transition_approvers


def cohort_status(runtime: Runtime, cohort: str) -> dict:
    with runtime.session() as session:
        found = require_cohort(session, name=cohort)
        return {
            "cohort": found.name,
            "programme": found.programme.slug,
            "phase": found.programme.phase,
            "state": found.state,
            "flow_run_id": found.flow_run_id,
            "stages": stage_summaries(session, cohort_id=found.id),
            "counts": cohort_counts(session, cohort_id=found.id),
            "refused": [
                {"stage": d.stage, "decision": d.decision, "decided_by": d.decided_by,
                 "decided_at": d.decided_at.isoformat(timespec="minutes"), "reason": d.refusal_reason or ""}
                for d in decisions(session, cohort_id=found.id) if not d.accepted
            ],
        }


def gate_approvers(programme: ProgrammeDefinition, gate: str) -> list[str]:
    return transition_approvers(programme) if gate == "transition" else programme.approvers_for(Stage(gate))


def gates_waiting(runtime: Runtime) -> list[dict]:
    with runtime.session() as session:
        return [
            {
                "cohort": cohort.name,
                "stage": stage_run.stage,
                "round": stage_run.round,
                "waiting_since": stage_run.gate_opened_at.isoformat(timespec="minutes") if stage_run.gate_opened_at else "",
                "approvers": ", ".join(gate_approvers(programme_definition(cohort.programme), stage_run.stage)),
                "flow_run_id": stage_run.gate_flow_run_id,
            }
            for cohort, stage_run in waiting_gates(session)
        ]
