"""Pure date arithmetic: when each part of a cohort falls, from the programme's calendar."""

from calendar import monthrange
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from models.programme import ProgrammeDefinition

SESSION_START = time(10, 0)
DAY_START = time(9, 0)


class CohortCalendar(BaseModel):
    recruitment_opens: datetime
    recruitment_closes: datetime
    sessions: dict[str, datetime]
    matching_at: datetime
    relationship_starts: datetime
    midpoint_at: datetime
    closure_at: datetime
    evaluation_at: datetime


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def cohort_calendar(programme: ProgrammeDefinition) -> CohortCalendar:
    calendar = programme.calendar
    zone = ZoneInfo(calendar.timezone)

    def at(day: date, clock_time: time = DAY_START) -> datetime:
        return datetime.combine(day, clock_time, tzinfo=zone)

    closes = calendar.start + timedelta(days=calendar.recruitment_days)
    sessions = {s.name: at(closes + timedelta(days=s.offset_days), SESSION_START) for s in programme.training.sessions}
    last_initial = max(
        closes + timedelta(days=s.offset_days) for s in programme.training.sessions if s.kind == "initial"
    )
    matching_day = last_initial + timedelta(days=7)
    starts = matching_day + timedelta(days=7)
    closure_day = add_months(starts, calendar.relationship_months)
    return CohortCalendar(
        recruitment_opens=at(calendar.start),
        recruitment_closes=at(closes),
        sessions=sessions,
        matching_at=at(matching_day),
        relationship_starts=at(starts),
        midpoint_at=at(add_months(starts, calendar.midpoint)),
        closure_at=at(closure_day),
        evaluation_at=at(closure_day + timedelta(days=28)),
    )


def format_moment(moment: datetime, timezone: str) -> str:
    local = moment.astimezone(ZoneInfo(timezone))
    return local.strftime("%A %d %B %Y, %H:%M ") + (local.tzname() or timezone)


def stage_dates(calendar: CohortCalendar, programme: ProgrammeDefinition) -> dict[str, tuple[datetime | None, datetime | None]]:
    """Per stage: (when its preparation may start, when its work can complete). None: no wait."""
    before_matching = [moment for moment in calendar.sessions.values() if moment < calendar.matching_at]
    longest = max(s.duration_hours for s in programme.training.sessions)
    training_done = max(before_matching) + timedelta(hours=longest)
    return {
        "scoping": (None, None),
        "recruitment": (calendar.recruitment_opens, calendar.recruitment_closes),
        "training": (None, training_done),
        "matching": (None, calendar.matching_at),
        "midpoint": (calendar.relationship_starts, calendar.midpoint_at),
        "closure": (None, calendar.closure_at),
        "evaluation": (None, calendar.evaluation_at),
    }
