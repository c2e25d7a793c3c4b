"""Repository functions for stage runs and the gate decisions that end them.

A stage run moves running → awaiting_decision → approved | rework | stopped. A rework
starts the next round of the same stage. Every decision, refused ones too, is kept.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.programme import STAGES
from models.tables import Cohort, GateDecisionRow, StageRun


def latest_stage_run(session: Session, *, cohort_id: int, stage: str) -> StageRun | None:
    return session.scalar(
        select(StageRun).where(StageRun.cohort_id == cohort_id, StageRun.stage == stage).order_by(StageRun.round.desc())
    )


def start_stage_run(
    session: Session, *, cohort_id: int, stage: str, round: int, rework_comment: str | None, now: datetime
) -> StageRun:
    existing = session.scalar(
        select(StageRun).where(StageRun.cohort_id == cohort_id, StageRun.stage == stage, StageRun.round == round)
    )
    if existing is not None:
        return existing
    stage_run = StageRun(
        cohort_id=cohort_id, stage=stage, round=round, state="running", rework_comment=rework_comment, started_at=now
    )
    session.add(stage_run)
    session.flush()
    return stage_run


def finish_stage_run(session: Session, *, stage_run_id: int, output: dict[str, Any], now: datetime) -> None:
    stage_run = session.get_one(StageRun, stage_run_id)
    stage_run.output = output
    stage_run.state = "awaiting_decision"
    stage_run.finished_at = now


def open_gate(session: Session, *, stage_run_id: int, flow_run_id: str, now: datetime) -> None:
    stage_run = session.get_one(StageRun, stage_run_id)
    stage_run.gate_flow_run_id = flow_run_id
    stage_run.gate_opened_at = stage_run.gate_opened_at or now


def record_decision(
    session: Session,
    *,
    stage_run_id: int,
    decision: str,
    decided_by: str,
    comment: str,
    flow_run_id: str | None,
    refusal_reason: str | None,
    now: datetime,
) -> GateDecisionRow:
    """Keep the decision; an accepted one also ends the stage run's wait."""
    stage_run = session.get_one(StageRun, stage_run_id)
    row = GateDecisionRow(
        cohort_id=stage_run.cohort_id,
        stage_run_id=stage_run.id,
        stage=stage_run.stage,
        decision=decision,
        decided_by=decided_by,
        decided_at=now,
        comment=comment,
        flow_run_id=flow_run_id,
        accepted=refusal_reason is None,
        refusal_reason=refusal_reason,
    )
    session.add(row)
    if refusal_reason is None:
        stage_run.state = {"approve": "approved", "rework": "rework", "stop": "stopped", "reject": "rejected"}[decision]
    session.flush()
    return row


def decision_count(session: Session, *, stage_run_id: int) -> int:
    """Decisions the gate's flow run has received (a CLI refusal never reached it: no flow run id)."""
    return session.scalar(
        select(func.count()).where(
            GateDecisionRow.stage_run_id == stage_run_id, GateDecisionRow.flow_run_id.is_not(None)
        )
    )


def latest_gate_answer(session: Session, *, stage_run_id: int) -> GateDecisionRow | None:
    """The last answer the gate's flow run received (not CLI refusals, which never reached it)."""
    return session.scalar(
        select(GateDecisionRow)
        .where(GateDecisionRow.stage_run_id == stage_run_id, GateDecisionRow.flow_run_id.is_not(None))
        .order_by(GateDecisionRow.id.desc())
        .limit(1)
    )


def decisions(session: Session, *, cohort_id: int) -> list[GateDecisionRow]:
    return list(
        session.scalars(
            select(GateDecisionRow).where(GateDecisionRow.cohort_id == cohort_id).order_by(GateDecisionRow.id)
        )
    )


def accepted_decision(session: Session, *, stage_run_id: int) -> GateDecisionRow | None:
    return session.scalar(
        select(GateDecisionRow)
        .where(GateDecisionRow.stage_run_id == stage_run_id, GateDecisionRow.accepted.is_(True))
        .order_by(GateDecisionRow.id.desc())
    )


def waiting_gates(session: Session, *, cohort_id: int | None = None) -> list[tuple[Cohort, StageRun]]:
    query = (
        select(Cohort, StageRun)
        .join(StageRun, StageRun.cohort_id == Cohort.id)
        .where(StageRun.state == "awaiting_decision", StageRun.gate_flow_run_id.is_not(None))
        .order_by(StageRun.gate_opened_at)
    )
    if cohort_id is not None:
        query = query.where(Cohort.id == cohort_id)
    return [(cohort, stage_run) for cohort, stage_run in session.execute(query)]


def stage_summaries(session: Session, *, cohort_id: int) -> list[dict[str, Any]]:
    """One line per stage in lifecycle order: its latest round and accepted decision."""
    summaries = []
    for stage in STAGES:
        stage_run = latest_stage_run(session, cohort_id=cohort_id, stage=stage.value)
        decision = accepted_decision(session, stage_run_id=stage_run.id) if stage_run else None
        summaries.append(
            {
                "stage": stage.value,
                "state": stage_run.state if stage_run else "pending",
                "round": stage_run.round if stage_run else 0,
                "decision": decision.decision if decision else None,
                "decided_by": decision.decided_by if decision else None,
                "decided_at": decision.decided_at.isoformat() if decision else None,
                "comment": decision.comment if decision else None,
            }
        )
    return summaries
