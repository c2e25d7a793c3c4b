"""The cohort lifecycle: seven stages, each followed by a gate, in one flow run.

Progress lives in the database. A run that enters again (crash, retry, suspend) skips
stages already decided and reuses their stored output; emails are keyed, so nothing is
sent twice. Stages wait on the programme's calendar as well as on people.
"""

from collections.abc import Callable

from prefect import flow, get_run_logger
from prefect.runtime import flow_run
from pydantic import BaseModel

from flows.closure import stage_closure
from flows.evaluation import stage_evaluation
from flows.gate import decide_stage
from flows.matching import announce_matches, stage_matching
from flows.midpoint import stage_midpoint
from flows.recruitment import open_recruitment, stage_recruitment
from flows.scoping import stage_scoping
from flows.training import prepare_training, stage_training
from flows.transition import transition_to_bau
from flows.waits import wait_until
from models.programme import STAGES, Stage
from tasks.calendar_plan import cohort_calendar, stage_dates
from tasks.cohort_context import CohortContext, load_cohort_context
from tasks.cohort_setup import ensure_cohort
from tasks.dates import restore_clock
from tasks.stage_records import enter_stage, mark_cohort, start_rework, store_stage_output
from tasks.stage_summaries import stage_summary

STAGE_FLOWS: dict[Stage, Callable[..., BaseModel]] = {
    Stage.scoping: stage_scoping,
    Stage.recruitment: stage_recruitment,
    Stage.training: stage_training,
    Stage.matching: stage_matching,
    Stage.midpoint: stage_midpoint,
    Stage.closure: stage_closure,
    Stage.evaluation: stage_evaluation,
}

# Work that must happen before a stage's completion date (invitations go out ahead of it).
PREPARATION: dict[Stage, Callable[[CohortContext], object]] = {
    Stage.recruitment: open_recruitment,
    Stage.training: prepare_training,
}

# Work that follows an approval (e.g. introducing approved pairs); idempotent, so safe on re-entry.
AFTER_APPROVAL: dict[Stage, Callable[[CohortContext], object]] = {Stage.matching: announce_matches}


def lifecycle_run_name() -> str:
    parameters = flow_run.get_parameters()
    return parameters.get("cohort") or f"{parameters.get('programme')}-next"


@flow(name="cohort-lifecycle", flow_run_name=lifecycle_run_name, persist_result=True)
def cohort_lifecycle(cohort: str | None = None, programme: str | None = None, simulate: bool = False, seed: int = 7) -> str:
    """Run (or re-enter) a cohort. A new cohort needs its programme; without a name, a
    scheduled run names it after the programme and the year."""
    logger = get_run_logger()
    cohort_id = ensure_cohort(cohort, programme, simulate, seed)
    restore_clock(cohort_id)
    context = load_cohort_context(cohort_id)
    mark_cohort(cohort_id, "running", str(flow_run.get_id()))
    for stage in STAGES:
        if not run_stage_until_decided(context, stage):
            mark_cohort(cohort_id, "stopped")
            logger.info("cohort %s stopped at the %s gate", context.cohort, stage.value)
            return "stopped"
    if context.programme.phase == "pilot":
        transition_to_bau(context)
    mark_cohort(cohort_id, "completed")
    return "completed"


def run_stage_until_decided(context: CohortContext, stage: Stage) -> bool:
    """Run the stage and its gate until approved (True) or stopped (False)."""
    record = enter_stage(context.cohort_id, stage.value)
    while True:
        if record.state == "running":
            prepare_after, complete_after = stage_dates(cohort_calendar(context.programme), context.programme)[stage.value]
            if prepare_after:
                wait_until(context, prepare_after, f"{stage.value}-opens")
            if stage in PREPARATION:
                PREPARATION[stage](context)
            if complete_after:
                wait_until(context, complete_after, f"{stage.value}-due")
            output = STAGE_FLOWS[stage](context, comment=record.rework_comment)
            record.output = output.model_dump(mode="json")
            store_stage_output(record.stage_run_id, record.output)
            record.state = "awaiting_decision"
        if record.state == "awaiting_decision":
            summary = stage_summary(stage, record.output or {})
            verdict = decide_stage(context, stage, record.stage_run_id, record.round, summary)
            record.state = {"approve": "approved", "rework": "rework", "stop": "stopped"}[verdict.decision]
            record.rework_comment = verdict.comment
        if record.state == "rework":
            record = start_rework(context.cohort_id, stage.value, record.round, record.rework_comment or "")
            continue
        if record.state == "stopped":
            return False
        if stage in AFTER_APPROVAL:
            AFTER_APPROVAL[stage](context)
        return True
