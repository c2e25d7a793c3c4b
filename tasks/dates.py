"""Waiting on the programme's calendar: a simulated clock jumps (and remembers where it is per
cohort, so a re-entered run resumes at the same moment); a real clock, or a simulated one set to
wait, says whether the date has come."""

from datetime import datetime

from models.cohorts import cohort_by_id
from tasks.clock import SimulatedClock
from tasks.runtime import get_runtime
from tasks.step import step


@step(name="reach-date")
def reach_date(cohort_id: int, moment: datetime) -> bool:
    """True when `moment` has come (a simulated clock is moved to it and the move is stored)."""
    runtime = get_runtime()
    if isinstance(runtime.clock, SimulatedClock) and runtime.settings.simulated_dates == "jump":
        runtime.clock.advance_to(moment)
        with runtime.session() as session:
            cohort = cohort_by_id(session, cohort_id=cohort_id)
            cohort.clock_at = runtime.clock.now()
        return True
    return runtime.clock.now() >= moment


@step(name="restore-clock")
def restore_clock(cohort_id: int) -> None:
    """A simulated clock starts where this cohort's run left it."""
    runtime = get_runtime()
    if isinstance(runtime.clock, SimulatedClock):
        with runtime.session() as session:
            stored = cohort_by_id(session, cohort_id=cohort_id).clock_at
        if stored is not None:
            runtime.clock.advance_to(stored)


@step(name="mark-waiting")
def mark_waiting(cohort_id: int, wake_at: datetime | None) -> None:
    """Record that the cohort sleeps until `wake_at` (the programme clock wakes it), or is awake (None)."""
    runtime = get_runtime()
    with runtime.session() as session:
        cohort = cohort_by_id(session, cohort_id=cohort_id)
        cohort.wake_at = wake_at
        cohort.state = "waiting" if wake_at else "running"
