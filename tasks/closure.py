"""Closure: end each relationship formally, invite everyone to the closing event, keep the alumni."""

from models.matches import LIVE, cohort_matches, log_meetings, set_match_status
from models.outbox import Attachment, EmailRequest
from models.participants import set_status
from models.stage_outputs import ClosureRecord
from models.surveys import open_survey, store_answers
from models.training import save_session
from tasks.calendar_invites import session_invite
from tasks.calendar_plan import cohort_calendar, format_moment
from tasks.cohort_context import CohortContext
from tasks.runtime import get_runtime
from tasks.simulation import meeting_times, responds, survey_answers
from tasks.step import step
from tasks.training import session_uid, survey_url

EVENT_MINUTES = 120


@step(name="close-relationships")
def close_relationships(context: CohortContext) -> tuple[ClosureRecord, list[EmailRequest]]:
    runtime = get_runtime()
    calendar = cohort_calendar(context.programme)
    now, programme, cadence = runtime.clock.now(), context.programme, context.programme.calendar.meetings
    event_name = programme.calendar.closing_event_name
    event_at = format_moment(calendar.closure_at, programme.calendar.timezone)
    emails: list[EmailRequest] = []
    with runtime.session() as session:
        matches = cohort_matches(session, cohort_id=context.cohort_id, statuses=LIVE)
        if context.simulated:
            log_meetings(session, minutes=cadence.minutes, meetings={
                m.id: meeting_times(context.seed, m.id, m.started_at, now, cadence.per_month) for m in matches})
        set_match_status(session, match_ids=[m.id for m in matches], status="closed", closed_at=now)
        mentees = {m.mentee.id: m.mentee for m in matches}
        mentors = {m.mentor.id: m.mentor for m in matches}
        set_status(session, participation_ids=list(mentees) + list(mentors), status="completed")
        event = save_session(session, cohort_id=context.cohort_id, name=event_name, audience="all", kind="event",
                             starts_at=calendar.closure_at, duration_minutes=EVENT_MINUTES, required=False,
                             uid=session_uid(context.cohort, event_name))
        survey = open_survey(session, cohort_id=context.cohort_id, kind="post", now=now)
        if context.simulated:
            store_answers(session, survey_id=survey.id, now=now, answers={
                p.id: survey_answers(context.seed, p.id, p.role, "post", programme)
                for p in [*mentees.values(), *mentors.values()] if responds(context.seed, p.id, "post")})
        for m in matches:
            for me, partner in ((m.mentee, m.mentor), (m.mentor, m.mentee)):
                emails.append(context.email(("closure", "message", m.id, me.person.email), to=me.person.email,
                                            name=me.person.name, template="closure_message",
                                            extra={"partner_name": partner.person.name,
                                                   "months": programme.calendar.relationship_months}))
        for person in [*mentees.values(), *mentors.values()]:
            email, name = person.person.email, person.person.name
            ics = session_invite(uid=event.uid, sequence=event.sequence, summary=f"{programme.name}: {event_name}",
                                 description=f"Celebrating the end of {context.cohort}", starts_at=event.starts_at,
                                 duration_minutes=EVENT_MINUTES, timezone=programme.calendar.timezone,
                                 organiser_email=str(programme.governance.programme_manager.email), attendee_email=email)
            emails.append(context.email(("closure", "event", email), to=email, name=name,
                                        template="closing_event_invitation",
                                        extra={"event_name": event_name, "starts_at": event_at},
                                        attachments=[Attachment(filename="event.ics", content=ics,
                                                                content_type="text/calendar; method=REQUEST")]))
            emails.append(context.email(("survey", "post", email), to=email, name=name, template="survey_request",
                                        extra={"survey_kind": "post", "survey_url": survey_url(context, "post")}))
        for mentee in mentees.values():
            emails.append(context.email(("closure", "mentor-next-time", mentee.person.email), to=mentee.person.email,
                                        name=mentee.person.name, template="mentor_next_time",
                                        extra={"next_cohort_hint": "the next cohort opens for mentors in the coming year"}))
    record = ClosureRecord(closed_pairs=len(matches), completed_mentees=len(mentees), alumni=len(mentees) + len(mentors),
                           invited_to_mentor=len(mentees), closing_event=event_name, closing_event_at=event_at)
    return record, emails


def closure_markdown(record: ClosureRecord) -> str:
    return f"""# Closure
{record.closed_pairs} relationships closed formally · {record.completed_mentees} mentees completed.
Closing event: **{record.closing_event}**, {record.closing_event_at} (calendar invites sent).
Alumni list: {record.alumni} people · outgoing mentees invited to mentor next time: {record.invited_to_mentor}.
"""
