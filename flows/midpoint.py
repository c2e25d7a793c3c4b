from prefect import flow

from models.stage_outputs import MidpointReview
from tasks.artifacts import publish_report
from tasks.cohort_context import CohortContext
from tasks.midpoint import midpoint_markdown, review_midpoint
from tasks.notify import send_emails


@flow(name="stage-midpoint", flow_run_name="{context.cohort}-midpoint")
def stage_midpoint(context: CohortContext, comment: str | None = None) -> MidpointReview:
    review, emails = review_midpoint(context)
    send_emails(context.cohort_id, emails)
    table = [h.model_dump(exclude={"match_id"}) for h in review.health]
    publish_report(context.cohort, "midpoint", midpoint_markdown(review), table)
    return review
