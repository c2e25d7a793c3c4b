"""`mentorflow clock`: run the programme clock's sweep now, or day by day on the simulated clock."""

from datetime import timedelta

import typer
from rich.table import Table

from flows.cli_output import console, fail
from flows.programme_clock import programme_clock
from models.cohorts import CohortNotFound, require_cohort
from tasks.clock import SimulatedClock
from tasks.runtime import get_runtime


def clock(
    cohort: str | None = typer.Option(None, help="sweep only this cohort (default: every running cohort)"),
    days: int = typer.Option(0, min=0, help="simulate N days (simulated clock only): sweep, move a day on, repeat"),
) -> None:
    """Send every reminder and escalation due today; safe to run more than once a day."""
    runtime = get_runtime()
    if days and not isinstance(runtime.clock, SimulatedClock):
        fail("--days moves time on, so it needs the simulated clock: set MENTORFLOW_CLOCK=simulated "
             "(and MENTORFLOW_SIMULATED_START=YYYY-MM-DDTHH:MM+00:00)")
    if cohort is not None:
        try:
            with runtime.session() as session:
                require_cohort(session, name=cohort)
        except CohortNotFound as error:
            fail(str(error))
    table = Table(title="programme clock")
    for column in ("day", "cohort", "sent"):
        table.add_column(column)
    for day in range(max(1, days)):
        if day:
            runtime.clock.advance(timedelta(days=1))
        result = programme_clock(cohort=cohort)
        for name, counts in result["cohorts"].items():
            sent = ", ".join(f"{kind}: {count}" for kind, count in counts.items()) or "nothing due"
            table.add_row(f"{runtime.clock.now():%Y-%m-%d}", name, sent)
        if not result["cohorts"]:
            table.add_row(f"{runtime.clock.now():%Y-%m-%d}", "(no running cohort)", "")
    console.print(table)
