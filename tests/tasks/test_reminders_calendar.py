"""The programme calendar, day by day: which reminder goes to whom on which day, over a whole cohort.

A whole year is described in one in-memory snapshot (the planner ignores anything dated after
`now`), and a simulated clock moves one day at a time from the call for applications to the
evaluation, planning and "queueing" (a set of keys, as the outbox does) each day.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.cohort_snapshot import CohortSnapshot, GateState, PairState, PersonState, SessionState, SurveyState
from tasks.calendar_plan import cohort_calendar
from tasks.clock import SimulatedClock
from tasks.reminders.plan import PLANNERS, cohort_due_to_wake, due_messages, milestones_reached, unsent
from tasks.training import session_uid
from models.programme import REMINDER_KINDS

LONDON = ZoneInfo("Europe/London")
SWEEP_TIME = time(7, 0)
PM, SPONSOR = "pm@regulator.example", "sponsor@regulator.example"


def local(day: date, hour: int = 14) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=LONDON)


def person(pid: int, email: str, role: str, status: str = "matched", manager: str | None = None) -> PersonState:
    return PersonState(participation_id=pid, email=email, name=email.split("@")[0].title(), role=role, status=status,
                       line_manager_email=manager)


def sessions_of(programme) -> list[SessionState]:
    times = cohort_calendar(programme).sessions
    return [
        SessionState(name=s.name, audience=s.audience, kind=s.kind, uid=session_uid("demo", s.name), sequence=0,
                     starts_at=times[s.name], duration_minutes=round(s.duration_hours * 60))
        for s in programme.training.sessions
    ]


@pytest.fixture
def year(programme) -> CohortSnapshot:
    """Jane mentors Sam and they meet most months; Ola and Kit stop meeting after May; Ivy never applies."""
    calendar = cohort_calendar(programme)
    starts = calendar.relationship_starts
    jane_sam_months = [(2027, m) for m in (4, 5, 7, 9, 10, 12)] + [(2028, 1), (2028, 2)]
    jane_sam = [local(date(y, m, 5)) for y, m in jane_sam_months] + [local(date(2027, 8, 25))]
    return CohortSnapshot(
        cohort_id=1, cohort="demo", state="running",
        people=[
            person(1, "jane@x.org", "mentor"), person(2, "sam@x.org", "mentee", manager="lm@x.org"),
            person(3, "ola@x.org", "mentor"), person(4, "kit@x.org", "mentee"),
            person(5, "ivy@x.org", "mentee", status="invited"), person(6, "ned@x.org", "mentee", status="ineligible"),
        ],
        sessions=sessions_of(programme),
        pairs=[
            PairState(match_id=11, mentor_id=1, mentee_id=2, status="active", started_at=starts, meetings=jane_sam),
            PairState(match_id=12, mentor_id=3, mentee_id=4, status="active", started_at=starts,
                      meetings=[local(date(2027, 4, 12)), local(date(2027, 5, 12))]),
        ],
        surveys=[
            SurveyState(kind="pre", opened_at=calendar.recruitment_closes,
                        responses={2: local(date(2027, 2, 20)), 4: local(date(2027, 2, 10))}),
            SurveyState(kind="midpoint", opened_at=calendar.midpoint_at, responses={1: local(date(2027, 9, 10))}),
            SurveyState(kind="post", opened_at=calendar.closure_at),
        ],
        gates=[
            GateState(stage="recruitment", round=1, opened_at=calendar.recruitment_closes,
                      decided_at=calendar.recruitment_closes + timedelta(days=1)),
            GateState(stage="midpoint", round=1, opened_at=calendar.midpoint_at + timedelta(minutes=30),
                      decided_at=local(date(2027, 9, 30))),
        ],
    )


def run_days(snapshot, programme, first: date, last: date) -> list[tuple[str, str, date]]:
    """Sweep once a day; returns (recipient, kind, day) for every newly queued message."""
    clock = SimulatedClock(datetime.combine(first, SWEEP_TIME, tzinfo=LONDON))
    queued: set[str] = set()
    sent = []
    while clock.now().date() <= last:
        fresh = unsent(due_messages(snapshot, programme, clock.now()), queued)
        queued.update(r.key for r in fresh)
        sent += [(r.recipient, r.purpose, clock.now().date()) for r in fresh]
        clock.advance(timedelta(days=1))
    return sent


def for_person(sent, email: str) -> list[tuple[str, date]]:
    return [(kind, day) for recipient, kind, day in sent if recipient == email]


@pytest.fixture
def whole_cohort(year, programme):
    calendar = cohort_calendar(programme)
    return run_days(year, programme, calendar.recruitment_opens.date(), calendar.evaluation_at.date())


def test_a_mentor_gets_training_reminders_nudges_in_quiet_months_and_the_post_survey_chaser(whole_cohort):
    d = date
    assert for_person(whole_cohort, "jane@x.org") == [
        ("training_reminder", d(2027, 2, 15)), ("training_reminder", d(2027, 2, 21)),  # training day 22 Feb
        ("training_reminder", d(2027, 6, 1)), ("training_reminder", d(2027, 6, 7)),  # webinar 1, 8 June
        ("monthly_nudge", d(2027, 6, 20)),  # no meeting in June
        ("monthly_nudge", d(2027, 8, 20)),  # August's meeting is on the 25th, after the nudge day
        ("training_reminder", d(2027, 9, 29)), ("training_reminder", d(2027, 10, 5)),  # webinar 2, 6 October
        ("monthly_nudge", d(2027, 11, 20)),
        ("survey_chaser", d(2028, 3, 16)),  # post survey opened at closure, 9 March
    ]


def test_a_mentee_gets_induction_reminders_and_chasers_only_for_surveys_she_has_not_answered(whole_cohort):
    d = date
    assert for_person(whole_cohort, "sam@x.org") == [
        ("survey_chaser", d(2027, 2, 15)),  # pre survey opened 8 Feb; answered on the 20th
        ("training_reminder", d(2027, 2, 16)), ("training_reminder", d(2027, 2, 22)),  # induction 23 Feb
        ("monthly_nudge", d(2027, 6, 20)), ("monthly_nudge", d(2027, 8, 20)),
        ("survey_chaser", d(2027, 9, 16)),  # midpoint check-in opened 9 Sept
        ("monthly_nudge", d(2027, 11, 20)),
        ("survey_chaser", d(2028, 3, 16)),
    ]
    assert for_person(whole_cohort, "kit@x.org")[:3] == [
        ("training_reminder", d(2027, 2, 16)), ("training_reminder", d(2027, 2, 22)), ("monthly_nudge", d(2027, 6, 20))]
    assert [day.month for kind, day in for_person(whole_cohort, "kit@x.org") if kind == "monthly_nudge"] == [
        6, 7, 8, 9, 10, 11, 12, 1, 2]


def test_line_managers_and_people_still_invited_get_their_reminders(whole_cohort):
    assert for_person(whole_cohort, "lm@x.org") == [
        ("training_reminder", date(2027, 2, 17)), ("training_reminder", date(2027, 2, 23))]
    assert for_person(whole_cohort, "ivy@x.org") == [("recruitment_closing_reminder", date(2027, 2, 1))]
    assert for_person(whole_cohort, "ned@x.org") == []


def test_a_waiting_gate_reminds_then_escalates_and_a_quiet_pair_reaches_the_manager_monthly(whole_cohort):
    d = date
    stalled = [d(2027, 7, 13)] + [d(2027, m, 1) for m in range(8, 13)] + [d(2028, m, 1) for m in (1, 2, 3)]
    assert for_person(whole_cohort, PM) == sorted(
        [("gate_reminder", d(2027, 9, 12)), ("gate_escalation", d(2027, 9, 16))]
        + [("stalled_pair", day) for day in stalled],
        key=lambda item: item[1],
    )
    assert for_person(whole_cohort, SPONSOR) == [("gate_escalation", d(2027, 9, 23))]


def test_planning_twice_on_one_day_gives_the_same_keys(year, programme):
    now = local(date(2027, 9, 16), 7)
    first, second = due_messages(year, programme, now), due_messages(year, programme, now + timedelta(hours=5))
    assert [r.key for r in first] == [r.key for r in second]
    assert "demo:training:reminder:7d:demo-mentor-webinar-2@mentorflow:0:jane@x.org" not in {r.key for r in first}
    assert {"demo:survey:midpoint:chaser:sam@x.org", "demo:gate:midpoint:r1:escalation1:pm@regulator.example"} <= {
        r.key for r in first}
    assert unsent(second, {r.key for r in first}) == []


def test_a_reminder_whose_moment_has_passed_is_not_sent_late(year, programme):
    sent = run_days(year, programme, date(2027, 2, 22), date(2027, 2, 28))  # first sweep: training day itself
    assert not [s for s in sent if s[0] == "jane@x.org" and s[1] == "training_reminder"]
    late = run_days(year, programme, date(2027, 2, 17), date(2027, 2, 18))  # two days after the 7-day reminder
    assert ("sam@x.org", "training_reminder", date(2027, 2, 17)) in late  # within the grace period
    assert ("jane@x.org", "training_reminder", date(2027, 2, 17)) in late
    too_late = run_days(year, programme, date(2027, 2, 18), date(2027, 2, 19))
    assert not [s for s in too_late if s[0] == "jane@x.org"]


def test_a_changed_session_is_reminded_again_under_its_new_sequence(year, programme):
    moved = year.model_copy(update={"sessions": [s.model_copy(update={"sequence": 1}) for s in year.sessions]})
    now = local(date(2027, 2, 15), 7)
    keys = {r.key for r in due_messages(moved, programme, now)}
    assert "demo:training:reminder:7d:demo-mentor-training-day@mentorflow:1:jane@x.org" in keys


def test_programmes_switch_kinds_off_by_name_and_ask_for_easy_read(year, programme):
    reminders = programme.reminders.model_copy(update={"disabled": ["monthly_nudge", "stalled_pair"], "easy_read": True})
    quieter = programme.model_copy(update={"reminders": reminders})
    sent = run_days(year, quieter, date(2027, 6, 1), date(2027, 8, 31))
    assert {kind for _, kind, _ in sent} == {"training_reminder"}
    assert all(r.easy_read for r in due_messages(year, quieter, local(date(2027, 6, 1), 7)))


def test_every_kind_a_programme_may_name_has_a_planner_and_unknown_names_are_refused(programme):
    assert set(PLANNERS) == set(REMINDER_KINDS)
    with pytest.raises(ValueError, match="unknown kind"):
        programme.reminders.model_validate({"disabled": ["monthly_nudges"]})


def test_every_planned_message_renders(year, programme):
    from tasks.emails.render import default_renderer

    renderer = default_renderer()
    moments = [local(day, 7) for day in (date(2027, 2, 1), date(2027, 2, 15), date(2027, 6, 20), date(2027, 9, 23))]
    requests = [r for now in moments for r in due_messages(year, programme, now)]
    assert {r.purpose for r in requests} == set(REMINDER_KINDS)
    for request in requests:
        assert renderer.render(request.template, request.context, easy_read=request.easy_read).subject


def test_milestones_wake_a_stage_still_running_once_its_date_has_passed(year, programme):
    calendar = cohort_calendar(programme)
    waiting = year.model_copy(update={"stages": {"scoping": "approved", "recruitment": "running"}})
    assert milestones_reached(waiting, programme, calendar.recruitment_closes - timedelta(hours=1)) == []
    assert milestones_reached(waiting, programme, calendar.recruitment_closes) == ["recruitment_closes"]
    assert cohort_due_to_wake(waiting, programme, calendar.recruitment_closes)


def test_masterclasses_a_programme_adds_are_reminded_like_any_session(hybrid_programme):
    calendar = cohort_calendar(hybrid_programme)
    snapshot = CohortSnapshot(cohort_id=2, cohort="demo", state="running", sessions=sessions_of(hybrid_programme),
                              people=[person(1, "mia@x.org", "mentee")])
    sent = run_days(snapshot, hybrid_programme, calendar.recruitment_opens.date(), calendar.midpoint_at.date())
    expected = [
        calendar.sessions[name].date() - timedelta(days=lead)
        for name in ("Mentee induction", "Masterclass month 4", "Masterclass month 6") for lead in (7, 1)
    ]
    assert for_person(sent, "mia@x.org") == [("training_reminder", day) for day in expected]
