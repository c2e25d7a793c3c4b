"""`mentorflow programme history PROGRAMME`: the programme's cohorts with their headline figures."""

import typer

from flows.cli_output import console, fail
from models.programme_history import ProgrammeNotFound
from tasks.programme_history import history_table, programme_history
from tasks.runtime import get_runtime


def history(
    programme: str = typer.Argument(..., help="programme slug or YAML file"),
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
) -> None:
    """List the programme's cohorts in order: state, dates, pairs, completion, would-recommend, objectives met."""
    try:
        found = programme_history(get_runtime(), programme)
    except ProgrammeNotFound as error:
        fail(str(error))
    if as_json:
        print(found.model_dump_json(indent=2))
        return
    console.print(history_table(found))
    for line in found.cohorts:
        if line.headline:
            console.print(f"\n[bold]{line.cohort}[/]\n{line.headline}", highlight=False)
