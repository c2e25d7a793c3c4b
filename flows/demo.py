"""`mentorflow demo`: a whole synthetic pilot cohort, in-process, every gate decided through Prefect's API."""

import csv
import threading
import time


import typer

from config.settings import get_settings, override_settings
from flows.cli_output import console, fail
from flows.gate_control import decide_gate, decide_transition, wait_for_gate
from flows.lifecycle import cohort_lifecycle
from models.cohorts import find_cohort
from models.programme import STAGES, Stage
from models.programme_file import find_programme, load_programme
from tasks.calendar_plan import cohort_calendar
from tasks.clock import SimulatedClock
from tasks.cohort_setup import import_participants_file, register_cohort
from tasks.cohort_status import cohort_status
from tasks.runtime import Runtime, use_runtime
from tasks.synthetic import synthetic_rows
from tasks.transition import transition_approvers

DEMO_PROGRAMME = "demo-pilot"


def free_cohort_name(runtime: Runtime, wanted: str | None) -> str:
    if wanted:
        return wanted
    with runtime.session() as session:
        name, n = "demo", 1
        while (found := find_cohort(session, name=name)) is not None and found.state in {"completed", "stopped"}:
            n += 1
            name = f"demo-{n}"
        return name


def write_participants_csv(runtime: Runtime, cohort: str, rows: list[dict[str, str]]) -> str:
    folder = runtime.settings.home / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{cohort}-participants.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def demo(
    pairs: int = typer.Option(40, min=2, help="how many pairs the synthetic cohort aims for"),
    seed: int = typer.Option(7, help="seed for the synthetic people and their behaviour"),
    cohort: str | None = typer.Option(None, help="the cohort's name (default: demo, or demo-N if demo has run)"),
) -> None:
    programme = load_programme(find_programme(DEMO_PROGRAMME, get_settings().programmes_dir))
    start = cohort_calendar(programme).recruitment_opens
    settings = override_settings(clock="simulated", simulated_start=start.isoformat(), gate_poll_seconds=0.25)
    runtime = Runtime(settings=settings, clock=SimulatedClock(start))
    use_runtime(runtime)
    began = time.perf_counter()
    name = free_cohort_name(runtime, cohort)
    cohort_id, programme = register_cohort(runtime, programme_ref=DEMO_PROGRAMME, cohort=name, simulated=True, seed=seed)
    rows = synthetic_rows(programme, mentees=pairs, mentors=pairs + max(2, pairs // 5), seed=seed, ineligible=max(2, pairs // 10))
    csv_path = write_participants_csv(runtime, name, rows)
    summary = import_participants_file(runtime, cohort=name, file=csv_path)
    console.print(f"[bold]{programme.name}[/]: cohort [bold]{name}[/], {summary.mentees} mentee and "
                  f"{summary.mentors} mentor applicants from {csv_path}")
    outcome: dict = {}
    worker = threading.Thread(target=run_lifecycle, args=(name, cohort_id, outcome), daemon=True)
    worker.start()
    for stage in STAGES:
        if not decide_when_waiting(runtime, name, cohort_id, stage, programme.approvers_for(stage)[0], worker):
            break
    if programme.phase == "pilot":
        decide_pilot_transition(runtime, name, cohort_id, programme, worker)
    worker.join(timeout=120)
    if "error" in outcome:
        fail(f"the lifecycle failed: {outcome['error']!r}")
    show_summary(runtime, name, time.perf_counter() - began)


def run_lifecycle(name: str, cohort_id: int, outcome: dict) -> None:
    try:
        outcome["state"] = cohort_lifecycle(cohort=name)
    except BaseException as error:  # reported by the main thread
        outcome["error"] = error


def decide_when_waiting(runtime: Runtime, name: str, cohort_id: int, stage: Stage, approver: str, worker) -> bool:
    stage_began = time.perf_counter()
    with console.status(f"{stage.value}: running…"):
        if not wait_for_gate(runtime, cohort_id=cohort_id, gate=stage.value, still_running=worker.is_alive):
            return False
        decide_gate(runtime, cohort=name, stage=stage, decision="approve", by=approver,
                    comment="Demo: approved on the evidence in the stage report")
    console.print(f"[green]✔[/] {stage.value:<12} approved by {approver}  "
                  f"[dim]({time.perf_counter() - stage_began:.1f} s, simulated date {runtime.clock.now():%d %b %Y})[/]")
    return True


def decide_pilot_transition(runtime: Runtime, name: str, cohort_id: int, programme, worker) -> None:
    sponsor = transition_approvers(programme)[0]
    with console.status("transition to business-as-usual: waiting…"):
        if not wait_for_gate(runtime, cohort_id=cohort_id, gate="transition", still_running=worker.is_alive):
            return
        decide_transition(runtime, cohort=name, answer={
            "decision": "approve", "approver": sponsor, "in_house_owner": f"{programme.governance.programme_manager.name} "
            f"<{programme.governance.programme_manager.email}>", "funding_confirmed": True, "admin_hours_per_week": 6.0,
            "mentor_recruitment_and_training": "annual call to senior staff; training day each January",
            "promotion_to_future_mentees": "staff network newsletter and alumni stories",
            "comment": "Demo: the pilot met its objectives; the programme moves in-house"})
    console.print(f"[green]✔[/] {'transition':<12} approved by {sponsor}: the programme is now business-as-usual")


def show_summary(runtime: Runtime, name: str, seconds: float) -> None:
    status = cohort_status(runtime, name)
    counts = status["counts"]
    settings = runtime.settings
    reports = sorted(settings.reports_dir.glob(f"{name}-*.html"))
    console.print(f"\ncohort [bold]{name}[/] {status['state']} in {seconds:.1f} s: {counts['pairs']} pairs, "
                  f"{counts['mentors']} mentors, {counts['mentees']} mentees, {counts['messages']} emails")
    console.print(f"report:   {reports[-1].resolve() if reports else '(none)'}")
    console.print(f"outbox:   {settings.outbox_dir.resolve()}")
    console.print(f"database: {settings.resolved_database_url}")
    console.print(f"status:   mentorflow cohort status {name}")


