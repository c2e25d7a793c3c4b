from prefect import flow

from models.stage_outputs import TrainedRoster
from tasks.artifacts import publish_report
from tasks.cohort_context import CohortContext
from tasks.notify import send_emails
from tasks.training import record_training, run_pre_survey, schedule_training, training_markdown


@flow(name="schedule-training", flow_run_name="{context.cohort}-schedule-training")
def prepare_training(context: CohortContext) -> None:
    send_emails(context.cohort_id, schedule_training(context))
    send_emails(context.cohort_id, run_pre_survey(context))


@flow(name="stage-training", flow_run_name="{context.cohort}-training")
def stage_training(context: CohortContext, comment: str | None = None) -> TrainedRoster:
    roster, follow_ups = record_training(context)
    send_emails(context.cohort_id, follow_ups)
    publish_report(context.cohort, "training", training_markdown(roster), [s.model_dump() for s in roster.sessions])
    return roster
