"""Repository functions for matching runs: every run kept, with its inputs' hash, result and fairness report."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.domain import MatchResult
from models.tables import MatchingRun
from tasks.matching.diff import diff_pairs

__all__ = ["diff_pairs", "latest_matching_run", "matching_runs", "record_matching_run", "run_result"]


def record_matching_run(
    session: Session,
    *,
    cohort_id: int,
    purpose: str,
    mode: str,
    result: MatchResult,
    inputs_hash: str,
    weights: dict,
    size: dict,
    seconds: float,
    now: datetime,
) -> MatchingRun:
    """Store one run beside the earlier ones (a rework or re-match never overwrites history)."""
    run = MatchingRun(
        cohort_id=cohort_id,
        purpose=purpose,
        mode=mode,
        solver=result.solver[:100],
        inputs_hash=inputs_hash,
        weights=weights,
        size=size,
        seconds=seconds,
        objective=result.objective,
        summary={
            "result": result.model_dump(mode="json"),
            "fairness": result.fairness,
            "notes": result.notes,
            "optimal": result.optimal,
            "solver": result.solver,
            "matched": len(result.pairs),
            "unmatched": len(result.unmatched),
        },
        created_at=now,
    )
    session.add(run)
    session.flush()
    return run


def run_result(run: MatchingRun) -> MatchResult:
    return MatchResult.model_validate(run.summary["result"])


def latest_matching_run(session: Session, *, cohort_id: int, purpose: str = "initial") -> MatchingRun | None:
    return session.scalar(
        select(MatchingRun)
        .where(MatchingRun.cohort_id == cohort_id, MatchingRun.purpose == purpose)
        .order_by(MatchingRun.created_at.desc(), MatchingRun.id.desc())
        .limit(1)
    )


def matching_runs(session: Session, *, cohort_id: int) -> list[MatchingRun]:
    return list(
        session.scalars(select(MatchingRun).where(MatchingRun.cohort_id == cohort_id).order_by(MatchingRun.created_at, MatchingRun.id))
    )
