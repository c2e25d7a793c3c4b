"""Starting next year's cohort: register it and invite last cohort's mentors and outgoing mentees to mentor.

The new cohort's evaluation compares itself with the previous cohort on its own
(`models.evaluation_data.previous_cohort_id`); nothing to record for that here.
"""

from pydantic import BaseModel

from models.cohorts import cohort_by_id, programme_definition
from models.domain import Role
from models.evaluation_data import previous_cohort_id
from models.outbox import EmailRequest, queue_emails
from models.rollover import RolloverInvitation, rollover_invitations
from tasks.calendar_plan import cohort_calendar, format_moment
from tasks.cohort_context import CohortContext
from tasks.cohort_setup import register_cohort
from tasks.emails.delivery import deliver_pending
from tasks.runtime import Runtime, get_runtime
from tasks.step import step


class RolloverSummary(BaseModel):
    cohort: str
    cohort_id: int
    previous_cohort: str | None
    returning_mentors: int
    mentees_becoming_mentors: int
    emails_queued: int


def invitation_emails(context: CohortContext, invitations: list[RolloverInvitation]) -> list[EmailRequest]:
    """The call for applications, as a mentor, to each invitee; keyed `<cohort>:rollover:<email>`."""
    programme = context.programme
    closes_on = format_moment(cohort_calendar(programme).recruitment_closes, programme.calendar.timezone)
    audience_description = programme.audience.mentors.description or programme.audience.description
    return [
        context.email(
            ("rollover", invitation.email),
            to=invitation.email,
            name=invitation.name,
            template="call_for_applications",
            extra={
                "role": Role.mentor.value,
                "closes_on": closes_on,
                "audience_description": audience_description,
                "previous_cohort": invitation.previous_cohort,
                "previous_role": invitation.previous_role.value,
            },
        )
        for invitation in invitations
    ]


def summarise(
    cohort: str, cohort_id: int, previous_cohort: str | None, invitations: list[RolloverInvitation], emails_queued: int
) -> RolloverSummary:
    return RolloverSummary(
        cohort=cohort,
        cohort_id=cohort_id,
        previous_cohort=previous_cohort,
        returning_mentors=sum(i.previous_role == Role.mentor for i in invitations),
        mentees_becoming_mentors=sum(i.previous_role == Role.mentee for i in invitations),
        emails_queued=emails_queued,
    )


def start_rollover(runtime: Runtime, *, programme_ref: str, cohort: str) -> RolloverSummary:
    """Register the new cohort from its programme file, then invite last cohort's people (see invite_to_return)."""
    cohort_id, _ = register_cohort(runtime, programme_ref=programme_ref, cohort=cohort)
    return invite_to_return(runtime, cohort_id=cohort_id)


def invite_to_return(runtime: Runtime, *, cohort_id: int) -> RolloverSummary:
    """Store the invitations with their emails in one transaction, then deliver.

    Running it again creates nothing twice and sends nothing twice.
    """
    with runtime.session() as session:
        row = cohort_by_id(session, cohort_id=cohort_id)
        programme = programme_definition(row.programme)
        context = CohortContext(cohort_id=cohort_id, cohort=row.name, programme=programme, simulated=row.simulated, seed=row.seed)
        previous_id = previous_cohort_id(session, cohort_id=cohort_id)
        previous = None if previous_id is None else cohort_by_id(session, cohort_id=previous_id).name
        invitations = rollover_invitations(session, programme_slug=programme.slug, new_cohort_id=cohort_id)
        queued = queue_emails(
            session, cohort_id=cohort_id, requests=invitation_emails(context, invitations), now=runtime.clock.now()
        )
    if queued:
        deliver_pending(runtime, cohort_id=cohort_id)
    return summarise(context.cohort, cohort_id, previous, invitations, queued)


@step(name="invite-returning-mentors")
def invite_returning_mentors(cohort_id: int) -> RolloverSummary:
    """The rollover as a flow step, e.g. before recruitment in a scheduled BAU cohort."""
    return invite_to_return(get_runtime(), cohort_id=cohort_id)
