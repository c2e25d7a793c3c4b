from prefect import flow

from models.stage_outputs import Roster
from tasks.artifacts import publish_report
from tasks.cohort_context import CohortContext
from tasks.notify import send_emails
from tasks.recruitment import apply_eligibility, call_for_applications, roster_markdown
from tasks.rollover import invite_returning_mentors


@flow(name="open-recruitment", flow_run_name="{context.cohort}-open-recruitment")
def open_recruitment(context: CohortContext) -> None:
    send_emails(context.cohort_id, call_for_applications(context))
    # Circular mentorship: last cohort's mentors are asked back and its outgoing mentees asked to mentor.
    invite_returning_mentors(context.cohort_id)


@flow(name="stage-recruitment", flow_run_name="{context.cohort}-recruitment")
def stage_recruitment(context: CohortContext, comment: str | None = None) -> Roster:
    roster, outcome_emails = apply_eligibility(context)
    send_emails(context.cohort_id, outcome_emails)
    table = [line.model_dump(exclude={"participation_id"}) for line in roster.eligible]
    publish_report(context.cohort, "recruitment", roster_markdown(roster), table)
    return roster
