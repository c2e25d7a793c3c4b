"""The Prefect UI's resume dialog, driven in Debian's Chromium: an administrator finds the suspended
cohort, fills the GateDecision form and submits it; mentorflow checks that answer like any other
(an approver the programme does not name is refused and the gate waits again) and the cohort moves on."""

import csv
import json
import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from models.cohorts import require_cohort
from models.db import session_scope
from models.programme import STAGES, Stage
from models.programme_file import load_programme
from models.stage_runs import decisions, latest_stage_run
from tasks.synthetic import synthetic_rows
from served import flow_run_processes, mentorflow, prefect_server, served, wait_for, worker_pool
from tasks.transition import transition_approvers

pytestmark = [pytest.mark.slow, pytest.mark.flow]
ROOT = Path(__file__).resolve().parents[2]
PROGRAMME = load_programme(ROOT / "config" / "programmes" / "demo-pilot.yaml")
CHROMIUM = Path(os.environ.get("MENTORFLOW_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
UI_TIMEOUT_MS = 30_000
SUBMIT_ATTEMPTS = 4


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium, installed by ops/chromium.sh when missing and we are root (as in CI)."""
    if not os.access(CHROMIUM, os.X_OK):
        if os.geteuid() != 0:
            pytest.skip(f"{CHROMIUM} is missing and installing it needs root: run `sudo ops/chromium.sh`")
        subprocess.run([str(ROOT / "ops" / "chromium.sh")], check=True, stdout=subprocess.DEVNULL, timeout=900)
    return CHROMIUM


@contextmanager
def browser_page(chromium: Path, profile: Path, evidence: Path) -> Iterator[Page]:
    """A headless page in a fresh profile; on any failure inside, a screenshot and the page's HTML are kept."""
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(chromium), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        context.set_default_timeout(UI_TIMEOUT_MS)
        expect.set_options(timeout=UI_TIMEOUT_MS)
        page = context.new_page()
        try:
            yield page
        except BaseException as error:
            try:
                page.screenshot(path=str(evidence.with_suffix(".png")), full_page=True)
                evidence.with_suffix(".html").write_text(page.content())
                error.add_note(f"the browser's last view: {evidence.with_suffix('.png')} (and .html)")
            except Exception:  # noqa: BLE001 - the original failure matters more than the evidence
                pass
            raise
        finally:
            context.close()


def status(env) -> dict:
    return json.loads(mentorflow(env, "cohort", "status", "ui", "--json").stdout)


def stage_of(found: dict, stage: Stage) -> dict:
    return next(s for s in found["stages"] if s["stage"] == stage.value)


def run_state(env, flow_run_id: str) -> str:
    try:
        with urllib.request.urlopen(f"{env['PREFECT_API_URL']}/flow_runs/{flow_run_id}", timeout=10) as response:
            return json.load(response)["state"]["name"]
    except OSError:  # a busy server (503 'database is locked'): ask again on the next poll
        return "unknown"


def wait_until_suspended(env, flow_run_id: str, serve_pid: int, what: str) -> None:
    """Suspended in Prefect and no process left behind: what a person finds when they open the UI."""
    wait_for(lambda: run_state(env, flow_run_id) == "Suspended", what, timeout=120, poll=2)
    wait_for(lambda: not flow_run_processes(serve_pid), "the suspended run's process to exit", timeout=60)


def form_field(dialog, label: str):
    return dialog.locator(".schema-form-property").filter(has_text=label)


def choose(page: Page, dialog, label: str, value: str, options: list[str]) -> None:
    """A Literal field renders as a closed list: open it from the keyboard (a click only focuses it)."""
    choice = form_field(dialog, label).locator("button.p-select-button__control").first
    choice.focus()
    page.keyboard.press("ArrowDown")
    listed = page.get_by_role("option")
    expect(listed).to_have_text(options)
    listed.filter(has_text=value).click()
    expect(choice).to_have_text(value)


def submit_resume_form(page: Page, heading: str, fill) -> None:
    """Open the Resume dialog of the run on screen, check it is the form for `heading`, fill it and submit."""
    page.get_by_role("button", name="Resume").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text(heading).first).to_be_visible()
    fill(dialog)
    # Prefect's server on SQLite can answer 503 'database is locked' while a run writes; the UI then
    # shows "Oops. Something went wrong." and keeps the dialog open: submit again, as a person would.
    failed = page.get_by_text("Something went wrong")
    for attempt in range(1, SUBMIT_ATTEMPTS + 1):
        failures = failed.count()
        dialog.get_by_role("button", name="Submit").click()
        wait_for(lambda: dialog.is_hidden() or failed.count() > failures, "the server's answer to the dialog",
                 timeout=UI_TIMEOUT_MS / 1000, poll=0.25)
        if dialog.is_hidden():
            break
        print(f"resume dialog: the server failed attempt {attempt}; submitting again")
        time.sleep(attempt)
    else:
        raise AssertionError(f"the server failed the resume {SUBMIT_ATTEMPTS} times (see server.log)")
    expect(page.get_by_text("Flow run resumed").first).to_be_visible()  # the toast


def submit_decision(page: Page, *, decision: str, approver: str, comment: str) -> None:
    """The GateDecision form of the scoping gate."""
    def fill(dialog) -> None:
        choose(page, dialog, "Decision", decision, ["approve", "rework", "stop"])
        form_field(dialog, "Approver").locator("textarea").fill(approver)
        form_field(dialog, "Comment").locator("textarea").fill(comment)

    submit_resume_form(page, "scoping gate (round 1)", fill)


def write_people(tmp_path: Path) -> Path:
    people = tmp_path / "people.csv"
    rows = synthetic_rows(PROGRAMME, mentees=3, mentors=4, seed=5)
    with people.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return people


def open_run_page(page: Page, env, run_id: str) -> None:
    ui = env["PREFECT_API_URL"].removesuffix("/api")
    page.goto(f"{ui}/runs")
    page.get_by_role("link", name="ui", exact=True).click()
    expect(page).to_have_url(f"{ui}/runs/flow-run/{run_id}")
    expect(page.get_by_text("Suspended", exact=True).first).to_be_visible()


def test_an_approver_resumes_a_suspended_cohort_from_the_prefect_ui(tmp_path, chromium):
    app_env = {"MENTORFLOW_HOME": str(tmp_path / "app"), "MENTORFLOW_CLOCK": "simulated",
               "MENTORFLOW_SIMULATED_START": "2027-01-11T09:00:00+00:00"}
    people = write_people(tmp_path)
    approver = PROGRAMME.approvers_for(Stage.scoping)[0]
    started = time.monotonic()

    def phase(what: str) -> None:  # shown with `pytest -rA`: where the minutes go on a busy machine
        print(f"{time.monotonic() - started:6.1f} s  {what}")

    with prefect_server(tmp_path, app_env) as env, served(env, tmp_path) as serve_process:
        # `serve` creates the app database first: importing at the same time races its migration.
        wait_for(lambda: b"cohort-lifecycle/demo-pilot" in (tmp_path / "serve.log").read_bytes(), "the deployments")
        phase("server and deployments up")
        mentorflow(env, "participants", "import", "ui", str(people), "--programme", "demo-pilot")
        wait_for(lambda: "started as flow run" in mentorflow(env, "cohort", "start", "demo-pilot", "--cohort", "ui",
                                                             "--simulate").stdout,
                 "the deployment to be registered", timeout=60, poll=2)
        waiting = wait_for(lambda: (s := status(env)) and stage_of(s, Stage.scoping)["state"] == "awaiting_decision"
                           and s, "the scoping gate")
        run_id = waiting["flow_run_id"]
        wait_until_suspended(env, run_id, serve_process.pid, "the cohort's run to be suspended")
        phase("scoping gate suspended")

        with browser_page(chromium, tmp_path / "chromium-profile", tmp_path / "ui-failure") as page:
            open_run_page(page, env, run_id)

            # Someone the programme does not name: the run resumes, mentorflow refuses and suspends again.
            submit_decision(page, decision="approve", approver="intruder@regulator.example", comment="not mine to give")
            # The dialog's answer reached the server (its toast), so the run has left Suspended by now.
            wait_until_suspended(env, run_id, serve_process.pid, "the run to wait again after the refusal")
            phase("refused in the UI, suspended again")
            page.reload()
            expect(page.get_by_text("decision refused (intruder@regulator.example is not an approver")).to_be_visible()
            assert stage_of(status(env), Stage.scoping)["decision"] is None

            submit_decision(page, decision="approve", approver=approver, comment="approved in the Prefect UI")
            moved_on = wait_for(lambda: (s := status(env)) and stage_of(s, Stage.recruitment)["state"] != "pending"
                                and s, "the cohort to move on to recruitment", timeout=120, poll=2)
            phase("approved in the UI, cohort moved on")

    scoping = stage_of(moved_on, Stage.scoping)
    assert (scoping["state"], scoping["decision"], scoping["decided_by"]) == ("approved", "approve", approver)
    assert scoping["comment"] == "approved in the Prefect UI"
    assert stage_of(moved_on, Stage.recruitment)["state"] in {"running", "awaiting_decision"}
    with session_scope(f"sqlite:///{tmp_path / 'app' / 'mentorflow.db'}") as session:
        kept = [(d.stage, d.decision, d.decided_by, d.accepted, d.flow_run_id)
                for d in decisions(session, cohort_id=require_cohort(session, name="ui").id)]
    assert kept == [("scoping", "approve", "intruder@regulator.example", False, run_id),
                    ("scoping", "approve", approver, True, run_id)], "both UI answers are kept, the refusal too"


def test_a_pilots_transition_to_business_as_usual_is_approved_from_the_prefect_ui(tmp_path, chromium):
    """Every stage gate decided with `mentorflow gate`, runs served by `mentorflow worker`; the
    transition's checklist form filled in the resume dialog."""
    app_env = {"MENTORFLOW_HOME": str(tmp_path / "app"), "MENTORFLOW_CLOCK": "simulated",
               "MENTORFLOW_SIMULATED_START": "2027-01-11T09:00:00+00:00"}
    people = write_people(tmp_path)
    with prefect_server(tmp_path, app_env) as env, worker_pool(env, tmp_path) as worker:
        mentorflow(env, "participants", "import", "ui", str(people), "--programme", "demo-pilot")
        mentorflow(env, "cohort", "start", "demo-pilot", "--cohort", "ui", "--simulate")
        for stage in STAGES:
            wait_for(lambda: stage_of(status(env), stage)["state"] == "awaiting_decision", f"the {stage.value} gate")
            mentorflow(env, "gate", "approve", "ui", stage.value, "--by", PROGRAMME.approvers_for(stage)[0],
                       "--comment", "decided from the CLI")
        waiting = wait_for(lambda: "transition" in mentorflow(env, "gate", "list").stdout and status(env),
                           "the transition gate")
        run_id = waiting["flow_run_id"]
        wait_until_suspended(env, run_id, worker.pid, "the cohort's run to be suspended at the transition")
        approver = transition_approvers(PROGRAMME)[0]

        def fill(dialog) -> None:
            choose(dialog.page, dialog, "Decision", "approve", ["approve", "reject"])
            form_field(dialog, "Approver").locator("textarea").fill(approver)
            form_field(dialog, "In House Owner").locator("textarea").fill("Priya Shah <pm@regulator.example>")
            funding = form_field(dialog, "Funding Confirmed").get_by_role("switch")
            funding.click()
            expect(funding).to_have_attribute("aria-checked", "true")
            form_field(dialog, "Admin Hours Per Week").locator("input[type=number]").fill("6")
            form_field(dialog, "Mentor Recruitment And Training").locator("textarea").fill("annual call")
            form_field(dialog, "Promotion To Future Mentees").locator("textarea").fill("staff network")
            form_field(dialog, "Comment").locator("textarea").fill("objectives met: approved in the UI")

        with browser_page(chromium, tmp_path / "chromium-profile", tmp_path / "ui-failure") as page:
            open_run_page(page, env, run_id)
            submit_resume_form(page, "transition", fill)
        final = wait_for(lambda: (s := status(env))["state"] == "completed" and s, "the cohort to complete", timeout=120)

    assert final["phase"] == "bau"
    history = json.loads(mentorflow(env, "programme", "history", "demo-pilot", "--json").stdout)
    assert history["phase"] == "bau"
    with session_scope(f"sqlite:///{tmp_path / 'app' / 'mentorflow.db'}") as session:
        cohort_id = require_cohort(session, name="ui").id
        kept = [(d.stage, d.decision, d.decided_by, d.accepted) for d in decisions(session, cohort_id=cohort_id)]
        transition = latest_stage_run(session, cohort_id=cohort_id, stage="transition")
        checklist = transition.output["checklist"]
    assert kept[-1] == ("transition", "approve", approver, True)
    assert checklist["in_house_owner"] == "Priya Shah <pm@regulator.example>"
    assert checklist["funding_confirmed"] is True and checklist["admin_hours_per_week"] == 6
