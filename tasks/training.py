"""Training: sessions from the plan, invitations with calendar invites, attendance, who is trained."""

import re
from datetime import datetime

from models.domain import ParticipantProfile
from models.outbox import Attachment, EmailRequest
from models.participants import cohort_profiles, set_status
from models.programme import ProgrammeDefinition, TrainingSession
from models.stage_outputs import SessionLine, TrainedRoster
from models.surveys import open_survey, store_answers
from models.training import attendance_by_session, cohort_sessions, record_attendance, save_session
from tasks.calendar_invites import session_invite
from tasks.calendar_plan import cohort_calendar, format_moment
from tasks.cohort_context import CohortContext
from tasks.runtime import get_runtime
from tasks.simulation import attended, responds, survey_answers
from tasks.step import step

AUDIENCE_ROLE = {"mentors": "mentor", "mentees": "mentee"}
TRAINABLE = ("eligible", "trained", "untrained")


def session_uid(cohort: str, session_name: str) -> str:
    return f"{cohort}-{re.sub(r'[^a-z0-9]+', '-', session_name.lower()).strip('-')}@mentorflow"


def sessions_before(programme: ProgrammeDefinition, moment: datetime) -> list[TrainingSession]:
    times = cohort_calendar(programme).sessions
    return [s for s in programme.training.sessions if times[s.name] < moment]


def is_trained(profile: ParticipantProfile, required: list[int], attendance: dict[int, dict[int, bool]]) -> bool:
    """Trained means present at every required session for the person's audience held before matching."""
    return bool(required) and all(attendance.get(sid, {}).get(profile.participation_id, False) for sid in required)


def invite_attachment(context: CohortContext, row, attendee: str) -> Attachment:
    organiser = str(context.programme.governance.programme_manager.email)
    ics = session_invite(
        uid=row.uid,
        sequence=row.sequence,
        summary=f"{context.programme.name}: {row.name}",
        description=f"{row.kind.title()} session for {row.audience} of {context.programme.name}",
        starts_at=row.starts_at,
        duration_minutes=row.duration_minutes,
        timezone=context.programme.calendar.timezone,
        organiser_email=organiser,
        attendee_email=attendee,
    )
    return Attachment(filename="invite.ics", content_type="text/calendar; method=REQUEST", content=ics)


@step(name="schedule-training")
def schedule_training(context: CohortContext) -> list[EmailRequest]:
    """Create the plan's sessions and invite each audience (line managers get the briefing)."""
    runtime = get_runtime()
    programme, timezone = context.programme, context.programme.calendar.timezone
    times = cohort_calendar(programme).sessions
    emails: list[EmailRequest] = []
    with runtime.session() as session:
        people = cohort_profiles(session, cohort_id=context.cohort_id, statuses=TRAINABLE)
        for planned in programme.training.sessions:
            row = save_session(
                session,
                cohort_id=context.cohort_id,
                name=planned.name,
                audience=planned.audience,
                kind=planned.kind,
                starts_at=times[planned.name],
                duration_minutes=round(planned.duration_hours * 60),
                required=planned.required,
                uid=session_uid(context.cohort, planned.name),
            )
            starts_at = format_moment(row.starts_at, timezone)
            if planned.audience == "line_managers":
                emails += briefing_emails(context, row, people, starts_at)
                continue
            for p in (p for p in people if p.role == AUDIENCE_ROLE[planned.audience]):
                emails.append(
                    context.email(
                        ("training", "invite", row.uid, row.sequence, p.email),
                        to=p.email,
                        name=p.name,
                        template="training_invitation",
                        extra={"session_name": row.name, "starts_at": starts_at,
                               "duration_hours": f"{planned.duration_hours:g}", "kind": planned.kind},
                        attachments=[invite_attachment(context, row, p.email)],
                    )
                )
    return emails


def briefing_emails(context: CohortContext, row, people: list[ParticipantProfile], starts_at: str) -> list[EmailRequest]:
    mentees_by_manager: dict[str, list[str]] = {}
    for p in people:
        if p.role == "mentee" and p.line_manager_email:
            mentees_by_manager.setdefault(p.line_manager_email, []).append(p.name)
    return [
        context.email(
            ("training", "briefing", row.uid, row.sequence, manager),
            to=manager,
            name=manager,
            template="line_manager_briefing",
            extra={"mentee_names": sorted(names), "session_name": row.name, "starts_at": starts_at},
            attachments=[invite_attachment(context, row, manager)],
        )
        for manager, names in sorted(mentees_by_manager.items())
    ]


@step(name="run-pre-survey")
def run_pre_survey(context: CohortContext) -> list[EmailRequest]:
    """Ask mentees for their baseline ratings before the relationship starts."""
    runtime = get_runtime()
    with runtime.session() as session:
        mentees = cohort_profiles(session, cohort_id=context.cohort_id, roles=["mentee"], statuses=TRAINABLE)
        survey = open_survey(session, cohort_id=context.cohort_id, kind="pre", now=runtime.clock.now())
        if context.simulated:
            answers = {
                m.participation_id: survey_answers(context.seed, m.participation_id, "mentee", "pre", context.programme)
                for m in mentees
                if responds(context.seed, m.participation_id, "pre")
            }
            store_answers(session, survey_id=survey.id, answers=answers, now=runtime.clock.now())
    return [
        context.email(("survey", "pre", m.email), to=m.email, name=m.name, template="survey_request",
                      extra={"survey_kind": "pre", "survey_url": survey_url(context, "pre")})
        for m in mentees
    ]


def survey_url(context: CohortContext, kind: str) -> str:
    return f"{get_runtime().settings.survey_base_url}/{context.cohort}/{kind}"


@step(name="record-training-attendance")
def record_training(context: CohortContext) -> tuple[TrainedRoster, list[EmailRequest]]:
    """Take attendance (simulated for demo cohorts, imported otherwise) and set who is trained."""
    runtime = get_runtime()
    matching_at = cohort_calendar(context.programme).matching_at
    before_matching = {s.name for s in sessions_before(context.programme, matching_at)}
    timezone = context.programme.calendar.timezone
    emails: list[EmailRequest] = []
    with runtime.session() as session:
        people = cohort_profiles(session, cohort_id=context.cohort_id, statuses=TRAINABLE)
        rows = [r for r in cohort_sessions(session, cohort_id=context.cohort_id) if r.name in before_matching]
        if context.simulated:
            for row in rows:
                audience = [p for p in people if AUDIENCE_ROLE.get(row.audience) == p.role]
                marks = {p.participation_id: attended(context.seed, p.participation_id, row.name, required=row.required) for p in audience}
                record_attendance(session, session_id=row.id, attended_by=marks, now=runtime.clock.now())
        attendance = attendance_by_session(session, cohort_id=context.cohort_id)
        lines, trained, untrained = [], [], []
        for row in rows:
            audience = [p for p in people if AUDIENCE_ROLE.get(row.audience) == p.role]
            present = sum(attendance.get(row.id, {}).get(p.participation_id, False) for p in audience)
            lines.append(SessionLine(name=row.name, audience=row.audience, kind=row.kind,
                                     starts_at=format_moment(row.starts_at, timezone), invited=len(audience), attended=present))
        for p in people:
            required = [r.id for r in rows if r.required and AUDIENCE_ROLE.get(r.audience) == p.role]
            (trained if is_trained(p, required, attendance) else untrained).append(p)
            for r in rows:
                if r.required and r.id in required and not attendance.get(r.id, {}).get(p.participation_id, False):
                    emails.append(context.email(("training", "missed", r.uid, p.email), to=p.email, name=p.name,
                                                template="training_missed", extra={"session_name": r.name}))
        set_status(session, participation_ids=[p.participation_id for p in trained], status="trained")
        set_status(session, participation_ids=[p.participation_id for p in untrained], status="untrained",
                   reason="missed a required training session")
    briefed = len({p.line_manager_email for p in people if p.role == "mentee" and p.line_manager_email})
    roster = TrainedRoster(
        sessions=lines,
        trained_mentors=sum(p.role == "mentor" for p in trained),
        trained_mentees=sum(p.role == "mentee" for p in trained),
        untrained_mentors=sum(p.role == "mentor" for p in untrained),
        untrained_mentees=sum(p.role == "mentee" for p in untrained),
        line_managers_briefed=briefed,
    )
    return roster, emails


def training_markdown(roster: TrainedRoster) -> str:
    sessions = "\n".join(f"| {s.name} | {s.audience} | {s.starts_at} | {s.attended}/{s.invited} |" for s in roster.sessions)
    return f"""# Training
| session | audience | when | attended |
|---|---|---|---|
{sessions}

Trained: **{roster.trained_mentors} mentors**, **{roster.trained_mentees} mentees**.
Not trained (missed a required session): {roster.untrained_mentors} mentors, {roster.untrained_mentees} mentees — untrained mentors are not matched.
Line managers briefed: {roster.line_managers_briefed}.
"""
