"""Tasks that keep the lifecycle's progress in the database, so a re-entered run skips finished work."""

from pydantic import BaseModel

from models.cohorts import set_cohort_state
from models.stage_runs import accepted_decision, finish_stage_run, latest_stage_run, start_stage_run
from tasks.runtime import get_runtime
from tasks.step import step


class StageRunState(BaseModel):
    stage_run_id: int
    stage: str
    round: int
    state: str
    rework_comment: str | None
    output: dict | None


def _state(stage_run) -> StageRunState:
    return StageRunState(
        stage_run_id=stage_run.id,
        stage=stage_run.stage,
        round=stage_run.round,
        state=stage_run.state,
        rework_comment=stage_run.rework_comment,
        output=stage_run.output,
    )


@step(name="enter-stage")
def enter_stage(cohort_id: int, stage: str) -> StageRunState:
    """The stage's current round: the one in progress or decided, or a new first round."""
    runtime = get_runtime()
    with runtime.session() as session:
        stage_run = latest_stage_run(session, cohort_id=cohort_id, stage=stage)
        if stage_run is None:
            stage_run = start_stage_run(
                session, cohort_id=cohort_id, stage=stage, round=1, rework_comment=None, now=runtime.clock.now()
            )
        elif stage_run.state == "rework":
            decision = accepted_decision(session, stage_run_id=stage_run.id)
            stage_run = start_stage_run(
                session,
                cohort_id=cohort_id,
                stage=stage,
                round=stage_run.round + 1,
                rework_comment=decision.comment if decision else None,
                now=runtime.clock.now(),
            )
        return _state(stage_run)


@step(name="start-rework")
def start_rework(cohort_id: int, stage: str, previous_round: int, comment: str) -> StageRunState:
    runtime = get_runtime()
    with runtime.session() as session:
        stage_run = start_stage_run(
            session,
            cohort_id=cohort_id,
            stage=stage,
            round=previous_round + 1,
            rework_comment=comment,
            now=runtime.clock.now(),
        )
        return _state(stage_run)


@step(name="store-stage-output")
def store_stage_output(stage_run_id: int, output: dict) -> None:
    runtime = get_runtime()
    with runtime.session() as session:
        finish_stage_run(session, stage_run_id=stage_run_id, output=output, now=runtime.clock.now())


@step(name="set-cohort-state")
def mark_cohort(cohort_id: int, state: str, flow_run_id: str | None = None) -> None:
    runtime = get_runtime()
    with runtime.session() as session:
        set_cohort_state(session, cohort_id=cohort_id, state=state, now=runtime.clock.now(), flow_run_id=flow_run_id)
