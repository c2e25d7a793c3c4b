import json

import typer
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound
from prefect.settings import PREFECT_API_URL
from rich.table import Table

from flows.cli_output import console, fail
from flows.lifecycle import cohort_lifecycle
from models.cohorts import CohortNotFound
from models.programme_file import ProgrammeFileError
from tasks.cohort_setup import register_cohort
from tasks.cohort_status import cohort_status
from tasks.deployments import deployment_name
from tasks.runtime import get_runtime

cohort_app = typer.Typer(help="Start cohorts and see where they stand.", no_args_is_help=True)

SERVER_NEEDED = (
    "a cohort waits at gates for decisions from other terminals or the UI, so it needs a Prefect server.\n"
    "  Start one:  prefect server start\n"
    "  Then:       export PREFECT_API_URL=http://127.0.0.1:4200/api\n"
    "(`mentorflow demo` runs a whole cohort on an embedded server instead.)"
)


@cohort_app.command("start")
def start(
    programme: str = typer.Argument(..., help="programme slug or YAML file"),
    cohort: str = typer.Option(..., "--cohort", help="the new cohort's name, e.g. 2027-pilot"),
    simulate: bool = typer.Option(False, help="simulate attendance, meetings and survey answers (demos, training)"),
    seed: int = typer.Option(7, help="seed for simulated behaviour"),
    in_process: bool = typer.Option(False, "--in-process", help="run here even when the programme is served"),
) -> None:
    """Start (or re-enter) a cohort: as a run of the served deployment, or here, waiting at each gate."""
    if not PREFECT_API_URL.value():
        fail(SERVER_NEEDED)
    try:
        _, definition = register_cohort(get_runtime(), programme_ref=programme, cohort=cohort, simulated=simulate, seed=seed)
    except ProgrammeFileError as error:
        fail(str(error), code=2)
    if not in_process:
        run = start_served_run(definition.slug, cohort, simulate=simulate, seed=seed)
        if run is not None:
            console.print(f"cohort [bold]{cohort}[/] started as flow run {run.id} of {deployment_name(definition.slug)}; "
                          f"decide its gates with `mentorflow gate approve {cohort} STAGE --by EMAIL`")
            return
        console.print(f"no deployment {deployment_name(definition.slug)} is served (`mentorflow serve`): running here")
    console.print(f"cohort [bold]{cohort}[/] running; decide its gates with `mentorflow gate approve {cohort} STAGE --by EMAIL`")
    result = cohort_lifecycle(cohort=cohort)
    console.print(f"cohort [bold]{cohort}[/]: {result}")


def start_served_run(slug: str, cohort: str, *, simulate: bool, seed: int):
    try:
        return run_deployment(
            name=deployment_name(slug), parameters={"cohort": cohort, "programme": slug, "simulate": simulate, "seed": seed},
            flow_run_name=cohort, timeout=0,
        )
    except ObjectNotFound:
        return None


@cohort_app.command("status")
def status(
    cohort: str = typer.Argument(..., help="the cohort's name"),
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
) -> None:
    """Show each stage's state and decision, the cohort's counts, and any decision that was refused."""
    try:
        found = cohort_status(get_runtime(), cohort)
    except CohortNotFound as error:
        fail(str(error))
    if as_json:
        print(json.dumps(found, indent=2, default=str))
        return
    table = Table(title=f"{found['cohort']} · {found['programme']} ({found['phase']}) · {found['state']}")
    for column in ("stage", "state", "round", "decision", "decided by", "decided at"):
        table.add_column(column)
    for stage in found["stages"]:
        table.add_row(stage["stage"], stage["state"], str(stage["round"]), stage["decision"] or "",
                      stage["decided_by"] or "", (stage["decided_at"] or "")[:16])
    console.print(table)
    console.print(", ".join(f"{name}: {count}" for name, count in found["counts"].items()))
    for refused in found["refused"]:
        console.print(f"refused: {refused['stage']} {refused['decision']} by {refused['decided_by']} "
                      f"at {refused['decided_at'][:16]}: {refused['reason']}", highlight=False)
