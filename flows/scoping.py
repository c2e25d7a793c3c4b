from prefect import flow

from models.stage_outputs import Charter
from tasks.artifacts import publish_report
from tasks.cohort_context import CohortContext
from tasks.notify import send_emails
from tasks.scoping import charter_emails, charter_from_programme, charter_markdown


@flow(name="stage-scoping", flow_run_name="{context.cohort}-scoping")
def stage_scoping(context: CohortContext, comment: str | None = None) -> Charter:
    charter = charter_from_programme(context.programme)
    publish_report(context.cohort, "scoping", charter_markdown(charter))
    send_emails(context.cohort_id, charter_emails(context, charter))
    return charter
