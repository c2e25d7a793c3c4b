"""Reminders to participants: each kind's recipients and due day, as pure functions of a PlanInput.

Due-ness comes from dates only: a message is due from its day (in the programme's time
zone) for `reminders.grace_days`, and never once its moment has passed (no training
reminder on or after the session's day, no recruitment reminder after the window
closes). Running a planner twice on one day yields the same keys; the outbox makes the
second queueing a no-op.
"""

from datetime import date, timedelta

from models.cohort_snapshot import PersonState, SessionState, SurveyState
from models.outbox import EmailRequest
from tasks.calendar_plan import format_moment
from tasks.reminders.moments import PlanInput

REMINDED_FOR_TRAINING = frozenset({"eligible", "trained", "matched"})
AT_CLOSING_EVENT = frozenset({"matched", "completed"})
ASKED_PRE_SURVEY = frozenset({"eligible", "trained", "untrained", "matched", "unmatched", "completed"})
ASKED_POST_SURVEY = frozenset({"matched", "completed"})
SESSION_ROLE = {"mentors": "mentor", "mentees": "mentee"}


def recruitment_closing_reminders(plan: PlanInput) -> list[EmailRequest]:
    """Invited people who have not applied, `recruitment_close_lead_days` before the window closes."""
    closes = plan.calendar.recruitment_closes
    due_day = plan.day_of(closes) - timedelta(days=plan.programme.reminders.recruitment_close_lead_days)
    if plan.now >= closes or not plan.in_window(due_day):
        return []
    closes_on = format_moment(closes, plan.programme.calendar.timezone)
    return [
        plan.message("recruitment_closing_reminder", ("recruitment", "closing", person.email), to=person.email,
                     name=person.name, template="recruitment_closing_reminder",
                     extra={"role": person.role, "closes_on": closes_on})
        for person in plan.snapshot.people
        if person.status == "invited"
    ]


def session_invitees(plan: PlanInput, session: SessionState) -> list[tuple[str, str]]:
    """(email, name) of the people a session's reminder goes to."""
    people = plan.snapshot.people
    if session.audience in SESSION_ROLE:
        role = SESSION_ROLE[session.audience]
        return [(p.email, p.name) for p in people if p.role == role and p.status in REMINDED_FOR_TRAINING]
    if session.audience == "line_managers":
        managers = {p.line_manager_email for p in people
                    if p.role == "mentee" and p.status in REMINDED_FOR_TRAINING and p.line_manager_email}
        return [(manager, manager) for manager in sorted(managers)]
    return [(p.email, p.name) for p in people if p.status in AT_CLOSING_EVENT]


def training_reminders(plan: PlanInput) -> list[EmailRequest]:
    """Each session's invitees, at each of `training_lead_days` before it (never on the day itself)."""
    leads = sorted(set(plan.programme.reminders.training_lead_days), reverse=True)
    emails: list[EmailRequest] = []
    for session in plan.snapshot.sessions:
        if session.starts_at <= plan.now:
            continue
        session_day = plan.day_of(session.starts_at)
        due_days = [session_day - timedelta(days=lead) for lead in leads]
        for index, (lead, due_day) in enumerate(zip(leads, due_days)):
            next_due = due_days[index + 1] if index + 1 < len(due_days) else session_day
            if not plan.in_window(due_day, last_day=next_due - timedelta(days=1)):
                continue
            starts_at = format_moment(session.starts_at, plan.programme.calendar.timezone)
            days_before = (session_day - plan.today).days
            emails += [
                plan.message("training_reminder", ("training", "reminder", f"{lead}d", session.uid, session.sequence, email),
                             to=email, name=name, template="training_reminder",
                             extra={"session_name": session.name, "starts_at": starts_at, "days_before": days_before})
                for email, name in session_invitees(plan, session)
            ]
    return emails


def monthly_nudges(plan: PlanInput) -> list[EmailRequest]:
    """Both people of each live pair with no meeting logged this calendar month, on `monthly_nudge_day`.

    A pair is nudged from its first full calendar month on; the month it starts in is not checked.
    """
    reminders = plan.programme.reminders
    if not reminders.monthly_nudge:
        return []
    month_start = plan.today.replace(day=1)
    nudge_day = plan.today.replace(day=reminders.monthly_nudge_day)
    if not plan.in_window(nudge_day, last_day=_month_end(month_start)):
        return []
    month = f"{plan.today:%Y-%m}"
    emails: list[EmailRequest] = []
    for pair in plan.live_pairs():
        if plan.day_of(pair.started_at) > month_start:
            continue
        if any(held <= plan.now and plan.day_of(held) >= month_start for held in pair.meetings):
            continue
        mentor, mentee = plan.people.get(pair.mentor_id), plan.people.get(pair.mentee_id)
        if mentor is None or mentee is None:
            continue
        for me, partner in ((mentor, mentee), (mentee, mentor)):
            emails.append(plan.message(
                "monthly_nudge", ("nudge", month, f"m{pair.match_id}", me.email), to=me.email, name=me.name,
                template="monthly_nudge", extra={"partner_name": partner.name, "month": f"{plan.today:%B %Y}"}))
    return emails


def _month_end(month_start: date) -> date:
    return (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def survey_chasers(plan: PlanInput) -> list[EmailRequest]:
    """People asked to answer a survey who have not, `survey_chaser_days` after it opened."""
    chaser_days = plan.programme.reminders.survey_chaser_days
    emails: list[EmailRequest] = []
    for survey in plan.snapshot.surveys:
        if survey.opened_at > plan.now:
            continue
        opened_day = plan.day_of(survey.opened_at)
        if not plan.in_window(opened_day + timedelta(days=chaser_days)):
            continue
        url = f"{plan.survey_base_url}/{plan.snapshot.cohort}/{survey.kind}"
        answered = {pid for pid, submitted_at in survey.responses.items() if submitted_at <= plan.now}
        emails += [
            plan.message("survey_chaser", ("survey", survey.kind, "chaser", person.email), to=person.email,
                         name=person.name, template="survey_chaser",
                         extra={"survey_kind": survey.kind, "survey_url": url,
                                "days_since": (plan.today - opened_day).days})
            for person in survey_audience(plan, survey)
            if person.participation_id not in answered
        ]
    return emails


def survey_audience(plan: PlanInput, survey: SurveyState) -> list[PersonState]:
    """Who was asked: mentees before the start, both people of each pair at the midpoint, everyone who finished after."""
    people = plan.snapshot.people
    if survey.kind == "pre":
        return [p for p in people if p.role == "mentee" and p.status in ASKED_PRE_SURVEY]
    if survey.kind == "midpoint":
        in_pairs = {pid for pair in plan.live_pairs() if pair.started_at <= survey.opened_at
                    for pid in (pair.mentor_id, pair.mentee_id)}
        return [p for p in people if p.participation_id in in_pairs]
    return [p for p in people if p.status in ASKED_POST_SURVEY]
