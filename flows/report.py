from pathlib import Path

import typer

from flows.cli_output import console, fail
from models.cohorts import CohortNotFound, require_cohort
from tasks.evaluation.build import build_cohort_report
from tasks.runtime import get_runtime


def report(
    cohort: str = typer.Argument(..., help="the cohort's name"),
    out: Path | None = typer.Option(None, help="folder for the HTML file (default: MENTORFLOW_HOME/reports)"),
) -> None:
    runtime = get_runtime()
    try:
        with runtime.session() as session:
            found = require_cohort(session, name=cohort)
            _, path = build_cohort_report(session, cohort_id=found.id, out_dir=out or runtime.settings.reports_dir)
    except CohortNotFound as error:
        fail(str(error))
    console.print(f"report written: {path.resolve()}")
