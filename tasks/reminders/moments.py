"""What every reminder kind needs to decide what is due today: the cohort, the programme, the day."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from models.cohort_snapshot import CohortSnapshot, PairState, PersonState
from models.outbox import EmailRequest
from models.programme import ProgrammeDefinition
from tasks.calendar_plan import CohortCalendar, cohort_calendar
from tasks.cohort_context import CohortContext

LIVE_PAIR_STATUSES = frozenset({"active", "stalled"})


@dataclass
class PlanInput:
    snapshot: CohortSnapshot
    programme: ProgrammeDefinition
    now: datetime
    survey_base_url: str
    zone: ZoneInfo = field(init=False)
    today: date = field(init=False)
    calendar: CohortCalendar = field(init=False)
    context: CohortContext = field(init=False)
    people: dict[int, PersonState] = field(init=False)

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("reminder planning needs a timezone-aware `now`")
        self.zone = ZoneInfo(self.programme.calendar.timezone)
        self.today = self.day_of(self.now)
        self.calendar = cohort_calendar(self.programme)
        self.context = CohortContext(
            cohort_id=self.snapshot.cohort_id, cohort=self.snapshot.cohort, programme=self.programme,
            simulated=self.snapshot.simulated, seed=self.snapshot.seed,
        )
        self.people = {p.participation_id: p for p in self.snapshot.people}

    @property
    def grace(self) -> timedelta:
        return timedelta(days=self.programme.reminders.grace_days)

    def day_of(self, moment: datetime) -> date:
        """The calendar day of `moment` in the programme's time zone."""
        return moment.astimezone(self.zone).date()

    def in_window(self, due_day: date, last_day: date | None = None) -> bool:
        """Due from `due_day` for the grace period, never after `last_day`."""
        end = due_day + self.grace
        if last_day is not None:
            end = min(end, last_day)
        return due_day <= self.today <= end

    def live_pairs(self) -> list[PairState]:
        """Pairs running at `now`: started, not closed, and before the relationship period ends."""
        if self.now >= self.calendar.closure_at:
            return []
        return [
            pair
            for pair in self.snapshot.pairs
            if pair.status in LIVE_PAIR_STATUSES
            and pair.started_at <= self.now
            and (pair.closed_at is None or pair.closed_at > self.now)
        ]

    def message(
        self, kind: str, key: tuple, *, to: str, name: str, template: str, extra: dict
    ) -> EmailRequest:
        """One keyed email whose outbox `purpose` is the reminder kind."""
        request = self.context.email(key, to=to, name=name, template=template, extra=extra)
        return request if request.purpose == kind else request.model_copy(update={"purpose": kind})
