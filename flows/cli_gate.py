import typer
from prefect.settings import PREFECT_API_URL
from rich.table import Table

from flows.cli_output import console, fail
from flows.gate_control import GateRefused, NothingWaiting, decide_gate, decide_transition
from models.cohorts import CohortNotFound
from models.programme import Stage
from tasks.cohort_status import gates_waiting
from tasks.runtime import get_runtime

gate_app = typer.Typer(help="See and decide the gates that wait for an approver.", no_args_is_help=True)

NO_SERVER = (
    "no Prefect server to reach: set PREFECT_API_URL to the server the cohort runs on "
    "(e.g. export PREFECT_API_URL=http://127.0.0.1:4200/api after `prefect server start`)"
)


@gate_app.command("list")
def list_gates() -> None:
    """List every gate waiting for a decision."""
    waiting = gates_waiting(get_runtime())
    if not waiting:
        console.print("no gate is waiting")
        return
    table = Table(title="gates waiting for a decision")
    for column in ("cohort", "stage", "round", "waiting since", "approvers", "flow run"):
        table.add_column(column)
    for gate in waiting:
        table.add_row(gate["cohort"], gate["stage"], str(gate["round"]), gate["waiting_since"], gate["approvers"], gate["flow_run_id"])
    console.print(table)


def _decide(decision: str, cohort: str, stage: Stage, by: str, comment: str) -> None:
    if not PREFECT_API_URL.value():
        fail(NO_SERVER)
    try:
        decide_gate(get_runtime(), cohort=cohort, stage=stage, decision=decision, by=by, comment=comment)
    except (NothingWaiting, CohortNotFound) as error:
        fail(str(error))
    except GateRefused as error:
        fail(str(error), code=3)
    console.print(f"{decision} recorded for the {stage.value} gate of [bold]{cohort}[/] by {by}")


COHORT = typer.Argument(..., help="the cohort's name")
STAGE = typer.Argument(..., help="the stage whose gate waits")
BY = typer.Option(..., "--by", help="your email; you must be an approver of this gate")


@gate_app.command("approve")
def approve(cohort: str = COHORT, stage: Stage = STAGE, by: str = BY,
            comment: str = typer.Option("", help="kept with the decision")) -> None:
    """Approve the stage: the cohort goes on to the next one."""
    _decide("approve", cohort, stage, by, comment)


@gate_app.command("rework")
def rework(cohort: str = COHORT, stage: Stage = STAGE, by: str = BY,
           comment: str = typer.Option(..., help="what to change; the stage runs again with it")) -> None:
    """Send the stage back: it runs again with your comment."""
    _decide("rework", cohort, stage, by, comment)


@gate_app.command("stop")
def stop(cohort: str = COHORT, stage: Stage = STAGE, by: str = BY,
         comment: str = typer.Option(..., help="why the cohort stops")) -> None:
    """Stop the cohort here; the decision is recorded."""
    _decide("stop", cohort, stage, by, comment)


@gate_app.command("transition")
def transition(
    cohort: str = COHORT,
    decision: str = typer.Argument(..., help="approve (the programme becomes business-as-usual) or reject"),
    by: str = BY,
    owner: str = typer.Option("", help="the in-house owner: name and email"),
    funding_confirmed: bool = typer.Option(False, "--funding-confirmed", help="funding for the coming years is confirmed"),
    admin_hours: float = typer.Option(0, help="admin time allocated, hours a week"),
    recruitment: str = typer.Option("", help="how mentors will be recruited and trained from now on"),
    promotion: str = typer.Option("", help="how the scheme will be promoted to future mentees"),
    comment: str = typer.Option("", help="kept with the decision; for reject, the reasons"),
) -> None:
    """Decide a pilot's transition to business-as-usual (approve needs the whole checklist)."""
    if not PREFECT_API_URL.value():
        fail(NO_SERVER)
    answer = {"decision": decision, "approver": by, "in_house_owner": owner, "funding_confirmed": funding_confirmed,
              "admin_hours_per_week": admin_hours, "mentor_recruitment_and_training": recruitment,
              "promotion_to_future_mentees": promotion, "comment": comment}
    try:
        decide_transition(get_runtime(), cohort=cohort, answer=answer)
    except (NothingWaiting, CohortNotFound) as error:
        fail(str(error))
    except GateRefused as error:
        fail(str(error), code=3)
    console.print(f"transition {decision} recorded for [bold]{cohort}[/] by {by}")
