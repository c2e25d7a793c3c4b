"""`mentorflow serve` and `mentorflow deploy`: every programme's cohort-lifecycle deployment and the
daily programme clock, served from this process or registered with a work pool for workers.

Runs from these deployments wait at gates and dates by suspending: no process is held, and
this server (or any worker) picks a run up again when it is resumed.
"""

import typer
from prefect import serve as prefect_serve
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron, RRule
from prefect.settings import PREFECT_API_URL

from flows.cli_output import console, fail
from flows.lifecycle import cohort_lifecycle
from flows.programme_clock import programme_clock
from tasks.deployments import CLOCK_DEPLOYMENT, ENGINE_COMMAND, lifecycle_plans
from tasks.runtime import get_runtime

SCHEDULE_PILOTS = typer.Option(False, help="also turn on the annual schedule of programmes still in pilot")


def mentorflow_deployments(*, schedule_pilots: bool, work_pool: str | None = None) -> list[RunnerDeployment]:
    if not PREFECT_API_URL.value():
        fail("deployments need a Prefect server: `prefect server start`, then "
             "export PREFECT_API_URL=http://127.0.0.1:4200/api")
    runtime = get_runtime()
    pool = {"work_pool_name": work_pool, "job_variables": {"command": ENGINE_COMMAND}} if work_pool else {}
    deployments = []
    for plan in lifecycle_plans(runtime, schedule_pilots=schedule_pilots):
        schedules = [RRule(plan.rrule, timezone=plan.timezone, active=plan.schedule_active)] if plan.rrule else None
        deployments.append(cohort_lifecycle.to_deployment(
            name=plan.slug, parameters={"programme": plan.slug}, schedules=schedules,
            description=f"Cohorts of {plan.slug} ({plan.phase}); annual schedule {'on' if plan.schedule_active else 'off'}",
            tags=["mentorflow", plan.slug], entrypoint_type=EntrypointType.MODULE_PATH, **pool,
        ))
        console.print(f"cohort-lifecycle/{plan.slug}: {plan.phase}, schedule {'on' if plan.schedule_active else 'off'}")
    deployments.append(programme_clock.to_deployment(
        name=CLOCK_DEPLOYMENT, schedules=[Cron(runtime.settings.clock_cron, timezone="UTC")],
        tags=["mentorflow"], entrypoint_type=EntrypointType.MODULE_PATH, **pool,
    ))
    console.print(f"programme-clock/{CLOCK_DEPLOYMENT}: daily at `{runtime.settings.clock_cron}` UTC")
    return deployments


def serve(
    schedule_pilots: bool = SCHEDULE_PILOTS,
    limit: int = typer.Option(10, help="how many flow runs this process runs at once"),
) -> None:
    """Serve the deployments from this process (needs PREFECT_API_URL: runs must outlive this process)."""
    prefect_serve(*mentorflow_deployments(schedule_pilots=schedule_pilots), limit=limit)


def deploy(
    pool: str = typer.Option("mentorflow", help="the `process` work pool the workers poll"),
    schedule_pilots: bool = SCHEDULE_PILOTS,
) -> None:
    """Register the deployments with a work pool, for `prefect worker start --pool POOL` on any machine.
    The programme files decide what is registered, with each programme's phase as the database has it."""
    for deployment in mentorflow_deployments(schedule_pilots=schedule_pilots, work_pool=pool):
        deployment.apply()
    console.print(f"registered with work pool [bold]{pool}[/]; start workers with `prefect worker start --pool {pool}`")
