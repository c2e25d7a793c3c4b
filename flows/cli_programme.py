from pathlib import Path

import typer

from config.settings import get_settings
from flows.cli_history import history
from flows.cli_output import console, errors
from models.programme_file import ProgrammeFileError, find_programme, load_programme

programme_app = typer.Typer(help="Programme files: check them before anything runs.", no_args_is_help=True)
programme_app.command("history")(history)


@programme_app.command("validate")
def validate(file: Path = typer.Argument(..., help="a programme YAML file, or a programme's slug")) -> None:
    """Check a programme file; print every problem with its path in the file (exit 2 when invalid)."""
    path = find_programme(str(file), get_settings().programmes_dir)
    try:
        programme = load_programme(path)
    except ProgrammeFileError as error:
        errors.print(f"[bold red]{path}[/]: {len(error.problems)} problem(s)", highlight=False)
        for problem in error.problems:
            errors.print(f"  {problem}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    console.print(
        f"[green]valid[/]: {programme.name} ({programme.slug}), {programme.phase.value}, "
        f"{programme.audience.target_pairs} pairs, matching {programme.matching.mode}"
    )


@programme_app.command("list")
def list_programmes() -> None:
    """List the programme files in the programmes folder."""
    for path in sorted(get_settings().programmes_dir.glob("*.yaml")):
        console.print(path.stem, highlight=False)
