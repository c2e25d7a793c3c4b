"""The `mentorflow` command line."""

import typer

from flows.cli_clock import clock
from flows.cli_cohort import cohort_app
from flows.cli_gate import gate_app
from flows.cli_people import choices_app, participants_app, responses_app, training_app
from flows.cli_programme import programme_app
from flows.cli_worker import worker
from flows.demo import demo
from flows.report import report
from flows.serve import deploy, serve

app = typer.Typer(help="Run formal mentoring programmes on Prefect.", no_args_is_help=True, add_completion=False)
app.add_typer(programme_app, name="programme")
app.add_typer(participants_app, name="participants")
app.add_typer(responses_app, name="responses")
app.add_typer(training_app, name="training")
app.add_typer(choices_app, name="choices")
app.add_typer(cohort_app, name="cohort")
app.add_typer(gate_app, name="gate")
app.command(help="Run a whole synthetic pilot cohort in-process, deciding every gate as its approver.")(demo)
app.command(help="Write a cohort's evaluation report as a self-contained HTML file.")(report)
app.command(help="Send every reminder and escalation due today, and wake cohorts whose date has come.")(clock)
app.command(help="Serve every programme's lifecycle deployment and the daily programme clock.")(serve)
app.command(help="Register the same deployments with a work pool, for Prefect workers.")(deploy)
app.command(help="Start a Prefect worker for the pool, with flow runs forked from a preloaded engine.")(worker)

if __name__ == "__main__":
    app()
