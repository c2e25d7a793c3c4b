from pathlib import Path

import typer

from flows.cli_output import console, fail
from models.programme_file import ProgrammeFileError
from tasks.choices_import import import_choices_file
from tasks.cohort_setup import SetupError, import_attendance_file, import_participants_file, import_responses_file
from tasks.csv_rows import CsvImportError
from tasks.runtime import get_runtime

participants_app = typer.Typer(help="Load a cohort's mentors and mentees.", no_args_is_help=True)
training_app = typer.Typer(help="Training records: attendance registers.", no_args_is_help=True)
responses_app = typer.Typer(help="Load survey answers (pre, midpoint, post, follow-up).", no_args_is_help=True)
choices_app = typer.Typer(help="Mentees' ranked choices of mentor (mentee_choice and hybrid matching).", no_args_is_help=True)


@participants_app.command("import")
def import_participants(
    cohort: str = typer.Argument(..., help="the cohort's name"),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="a participants CSV (columns in README)"),
    programme: str | None = typer.Option(None, help="programme slug or file; needed when the cohort is new"),
) -> None:
    """Import participants; nothing is stored unless every row is valid."""
    try:
        summary = import_participants_file(get_runtime(), cohort=cohort, file=file, programme_ref=programme)
    except (CsvImportError, ProgrammeFileError, SetupError) as error:
        fail(str(error), code=2)
    console.print(f"imported into [bold]{cohort}[/]: {summary.mentors} mentors, {summary.mentees} mentees "
                  f"({summary.model_dump(exclude={'mentors', 'mentees'})})")


@responses_app.command("import")
def import_responses(
    cohort: str = typer.Argument(..., help="the cohort's name"),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="a responses CSV (columns in README)"),
) -> None:
    """Import survey responses; nothing is stored unless every row is valid."""
    try:
        count = import_responses_file(get_runtime(), cohort=cohort, file=file)
    except (CsvImportError, SetupError) as error:
        fail(str(error), code=2)
    console.print(f"recorded {count} responses for [bold]{cohort}[/]")


@training_app.command("attendance")
def import_attendance(
    cohort: str = typer.Argument(..., help="the cohort's name"),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV with email, session, attended (yes/no)"),
) -> None:
    """Import a training register; send the training stage back (rework) to recount who is trained."""
    try:
        count = import_attendance_file(get_runtime(), cohort=cohort, file=file)
    except (CsvImportError, SetupError) as error:
        fail(str(error), code=2)
    console.print(f"recorded {count} attendance marks for [bold]{cohort}[/]")


@choices_app.command("import")
def import_choices(
    cohort: str = typer.Argument(..., help="the cohort's name"),
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="a choices CSV (columns in config/examples/CSV-COLUMNS.md)"),
) -> None:
    """Import mentees' ranked mentor choices before the matching stage; nothing is stored unless every row is valid."""
    try:
        count = import_choices_file(get_runtime(), cohort=cohort, file=file)
    except (CsvImportError, SetupError) as error:
        fail(str(error), code=2)
    console.print(f"recorded the ranked choices of {count} mentees for [bold]{cohort}[/]")
