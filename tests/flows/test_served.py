"""Served deployments against a real `prefect server start`: a cohort suspends at every gate,
holds no process while it waits, and is brought back by `mentorflow gate` from another process."""

import csv
import json
import time
from pathlib import Path

import pytest

from models.programme import STAGES
from models.programme_file import load_programme
from tasks.synthetic import synthetic_rows
from served import flow_run_processes, mentorflow, prefect_server, served, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.flow]
PROGRAMME = load_programme(Path(__file__).resolve().parents[2] / "config" / "programmes" / "demo-pilot.yaml")


def status(env) -> dict:
    return json.loads(mentorflow(env, "cohort", "status", "served", "--json").stdout)


def write_people(tmp_path: Path) -> Path:
    people = tmp_path / "people.csv"
    rows = synthetic_rows(PROGRAMME, mentees=6, mentors=8, seed=5, ineligible=1)
    with people.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return people


def start_served_cohort(env, tmp_path: Path, people: Path) -> None:
    mentorflow(env, "participants", "import", "served", str(people), "--programme", "demo-pilot")
    wait_for(lambda: b"cohort-lifecycle/demo-pilot" in (tmp_path / "serve.log").read_bytes(), "the deployments")
    started = wait_for(lambda: (r := mentorflow(env, "cohort", "start", "demo-pilot", "--cohort", "served",
                                                "--simulate")) and "started as flow run" in r.stdout and r,
                       "the deployment to be registered", timeout=60, poll=2)
    assert "cohort-lifecycle/demo-pilot" in started.stdout


def stage_state(env, stage: str) -> str:
    return next(s for s in status(env)["stages"] if s["stage"] == stage)["state"]


def test_a_served_cohort_suspends_at_each_gate_and_resumes_from_the_cli(tmp_path):
    app_env = {"MENTORFLOW_HOME": str(tmp_path / "app"), "MENTORFLOW_CLOCK": "simulated",
               "MENTORFLOW_SIMULATED_START": "2027-01-11T09:00:00+00:00"}
    people = write_people(tmp_path)

    with prefect_server(tmp_path, app_env) as env, served(env, tmp_path) as serve_process:
        start_served_cohort(env, tmp_path, people)

        for stage in STAGES:
            wait_for(lambda: stage_state(env, stage.value) == "awaiting_decision"
                     and stage.value in mentorflow(env, "gate", "list").stdout,
                     f"the {stage.value} gate")
            wait_for(lambda: not flow_run_processes(serve_process.pid), "the suspended run's process to exit", timeout=60)
            approver = PROGRAMME.approvers_for(stage)[0]
            mentorflow(env, "gate", "approve", "served", stage.value, "--by", approver, "--comment", "served test")

        wait_for(lambda: "transition" in mentorflow(env, "gate", "list").stdout, "the transition gate")
        assert not flow_run_processes(serve_process.pid)
        mentorflow(env, "gate", "transition", "served", "approve", "--by", "sponsor@regulator.example",
                   "--owner", "Priya Shah <pm@regulator.example>", "--funding-confirmed", "--admin-hours", "6",
                   "--recruitment", "annual call", "--promotion", "staff network")
        final = wait_for(lambda: (s := status(env))["state"] == "completed" and s, "the cohort to complete")

    assert all(s["decision"] == "approve" for s in final["stages"])
    assert final["phase"] == "bau"
    outbox = list((tmp_path / "app" / "outbox").glob("*.eml"))
    assert len(outbox) == final["counts"]["messages"], "an email was written twice or lost"


def test_a_served_cohort_sleeping_until_a_date_is_woken_by_the_programme_clock(tmp_path):
    """Simulated time that waits like real time: the run suspends until recruitment closes (8 Feb 2027)
    and `mentorflow clock`, stepping day by day in another process, resumes it on that day."""
    app_env = {"MENTORFLOW_HOME": str(tmp_path / "app"), "MENTORFLOW_CLOCK": "simulated",
               "MENTORFLOW_SIMULATED_DATES": "wait", "MENTORFLOW_SIMULATED_START": "2027-01-11T09:00:00+00:00"}
    with prefect_server(tmp_path, app_env) as env, served(env, tmp_path) as serve_process:
        start_served_cohort(env, tmp_path, write_people(tmp_path))
        wait_for(lambda: stage_state(env, "scoping") == "awaiting_decision", "the scoping gate")
        mentorflow(env, "gate", "approve", "served", "scoping", "--by", PROGRAMME.approvers_for(STAGES[0])[0])

        wait_for(lambda: status(env)["state"] == "waiting", "the cohort to sleep until recruitment closes")
        wait_for(lambda: not flow_run_processes(serve_process.pid), "the sleeping run's process to exit", timeout=60)
        assert stage_state(env, "recruitment") == "running"

        day_before = env | {"MENTORFLOW_SIMULATED_START": "2027-02-07T09:00:00+00:00"}
        mentorflow(day_before, "clock", "--days", "1")
        time.sleep(5)
        assert status(env)["state"] == "waiting", "woken before its date"

        mentorflow(day_before, "clock", "--days", "2")
        wait_for(lambda: stage_state(env, "recruitment") == "awaiting_decision", "recruitment to finish after waking")
        assert status(env)["state"] == "running"
        mentorflow(env, "gate", "stop", "served", "recruitment", "--by", PROGRAMME.approvers_for(STAGES[1])[0],
                   "--comment", "woken and decided")
        final = wait_for(lambda: (s := status(env))["state"] == "stopped" and s, "the cohort to stop")

    outbox = list((tmp_path / "app" / "outbox").glob("*.eml"))
    assert len(outbox) == final["counts"]["messages"], "an email was written twice or lost"
