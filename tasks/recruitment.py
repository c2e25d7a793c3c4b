"""Recruitment: the call for applications, eligibility and the roster against target."""

from collections import Counter

from models.domain import ParticipantProfile
from models.outbox import EmailRequest
from models.participants import cohort_profiles, set_status
from models.programme import ProgrammeDefinition
from models.stage_outputs import Roster, RosterLine
from tasks.calendar_plan import cohort_calendar, format_moment
from tasks.cohort_context import CohortContext
from tasks.eligibility import check_eligibility
from tasks.runtime import get_runtime
from tasks.step import step

APPLICANT_STATUSES = ("invited", "applied", "eligible", "ineligible")


def build_roster(
    profiles: list[ParticipantProfile], reasons: dict[int, str | None], programme: ProgrammeDefinition, closes_on: str
) -> Roster:
    eligible = [p for p in profiles if reasons[p.participation_id] is None]
    ineligible_reasons = Counter(reason.split(":")[0] for reason in reasons.values() if reason)
    return Roster(
        invited=len(profiles),
        applied=len(profiles),
        eligible_mentors=sum(p.role == "mentor" for p in eligible),
        eligible_mentees=sum(p.role == "mentee" for p in eligible),
        ineligible=len(profiles) - len(eligible),
        ineligible_reasons=dict(ineligible_reasons),
        target_pairs=programme.audience.target_pairs,
        closes_on=closes_on,
        eligible=[
            RosterLine(participation_id=p.participation_id, name=p.name, role=p.role.value, organisation=p.organisation, grade=p.grade)
            for p in eligible
        ],
    )


def roster_markdown(roster: Roster) -> str:
    reasons = "\n".join(f"| {reason} | {count} |" for reason, count in sorted(roster.ineligible_reasons.items()))
    shortfall = roster.target_pairs - min(roster.eligible_mentors, roster.eligible_mentees)
    status = "on target" if shortfall <= 0 else f"{shortfall} short of the {roster.target_pairs}-pair target"
    return f"""# Recruitment closed {roster.closes_on}
| | mentors | mentees |
|---|---|---|
| eligible | {roster.eligible_mentors} | {roster.eligible_mentees} |

Applications: {roster.applied} · ineligible: {roster.ineligible} · target: {roster.target_pairs} pairs ({status})

| reason not eligible | applicants |
|---|---|
{reasons or "| none | 0 |"}
"""


@step(name="send-call-for-applications")
def call_for_applications(context: CohortContext) -> list[EmailRequest]:
    runtime = get_runtime()
    calendar = cohort_calendar(context.programme)
    closes_on = format_moment(calendar.recruitment_closes, context.programme.calendar.timezone)
    audience = context.programme.audience
    with runtime.session() as session:
        profiles = cohort_profiles(session, cohort_id=context.cohort_id, statuses=APPLICANT_STATUSES)
    return [
        context.email(
            ("recruitment", "call", p.email),
            to=p.email,
            name=p.name,
            template="call_for_applications",
            extra={
                "role": p.role.value,
                "closes_on": closes_on,
                "audience_description": (audience.mentors if p.role == "mentor" else audience.mentees).description
                or audience.description,
            },
        )
        for p in profiles
    ]


@step(name="apply-eligibility")
def apply_eligibility(context: CohortContext) -> tuple[Roster, list[EmailRequest]]:
    """Close the window, check every application, store the outcome; returns the roster and its emails."""
    runtime = get_runtime()
    calendar = cohort_calendar(context.programme)
    with runtime.session() as session:
        profiles = cohort_profiles(session, cohort_id=context.cohort_id, statuses=APPLICANT_STATUSES)
        reasons = {p.participation_id: check_eligibility(p, context.programme) for p in profiles}
        eligible_ids = [pid for pid, reason in reasons.items() if reason is None]
        set_status(session, participation_ids=eligible_ids, status="eligible")
        for pid, reason in reasons.items():
            if reason is not None:
                set_status(session, participation_ids=[pid], status="ineligible", reason=reason)
    closes_on = format_moment(calendar.recruitment_closes, context.programme.calendar.timezone)
    roster = build_roster(profiles, reasons, context.programme, closes_on)
    emails = []
    for p in profiles:
        reason = reasons[p.participation_id]
        emails.append(
            context.email(("recruitment", "confirmation", p.email), to=p.email, name=p.name,
                          template="application_confirmation", extra={"role": p.role.value})
        )
        emails.append(
            context.email(("recruitment", "eligibility", p.email), to=p.email, name=p.name,
                          template="eligibility_outcome",
                          extra={"role": p.role.value, "eligible": reason is None, "reason": reason or ""})
        )
    return roster, emails
