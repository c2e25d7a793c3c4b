from prefect import flow

from models.stage_outputs import ClosureRecord
from tasks.artifacts import publish_report
from tasks.closure import close_relationships, closure_markdown
from tasks.cohort_context import CohortContext
from tasks.notify import send_emails


@flow(name="stage-closure", flow_run_name="{context.cohort}-closure")
def stage_closure(context: CohortContext, comment: str | None = None) -> ClosureRecord:
    record, emails = close_relationships(context)
    send_emails(context.cohort_id, emails)
    publish_report(context.cohort, "closure", closure_markdown(record))
    return record
