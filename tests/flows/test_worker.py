"""`mentorflow worker` against a real `prefect server start`: a cohort deployed to the `mentorflow`
process pool runs, and each time it is resumed its flow-run process is forked from the worker's
preloaded engine; at each gate it holds no process."""

import pytest

from models.programme import STAGES
from served import flow_run_processes, mentorflow, prefect_server, wait_for, worker_pool
from test_served import PROGRAMME, stage_state, status, write_people

pytestmark = [pytest.mark.slow, pytest.mark.flow]


def forks_of(log_path, run_id: str) -> int:
    return log_path.read_text().count(f"engine server: flow run {run_id} forked")


def test_a_cohort_run_by_mentorflow_worker_is_forked_from_its_preloaded_engine_at_each_resume(tmp_path):
    app_env = {"MENTORFLOW_HOME": str(tmp_path / "app"), "MENTORFLOW_CLOCK": "simulated",
               "MENTORFLOW_SIMULATED_START": "2027-01-11T09:00:00+00:00"}
    people = write_people(tmp_path)
    log_path = tmp_path / "worker.log"
    with prefect_server(tmp_path, app_env) as env, worker_pool(env, tmp_path) as worker:
        mentorflow(env, "participants", "import", "served", str(people), "--programme", "demo-pilot")
        started = mentorflow(env, "cohort", "start", "demo-pilot", "--cohort", "served", "--simulate").stdout
        run_id = started.split("started as flow run ")[1].split()[0]

        wait_for(lambda: stage_state(env, "scoping") == "awaiting_decision", "the scoping gate")
        wait_for(lambda: not flow_run_processes(worker.pid), "the suspended run's process to exit", timeout=60)
        assert forks_of(log_path, run_id) == 1
        mentorflow(env, "gate", "approve", "served", "scoping", "--by", PROGRAMME.approvers_for(STAGES[0])[0])

        wait_for(lambda: stage_state(env, "recruitment") == "awaiting_decision", "the recruitment gate")
        wait_for(lambda: not flow_run_processes(worker.pid), "the suspended run's process to exit", timeout=60)
        assert forks_of(log_path, run_id) == 2, "the resumed run was not forked from the preloaded engine"
        mentorflow(env, "gate", "stop", "served", "recruitment", "--by", PROGRAMME.approvers_for(STAGES[1])[0],
                   "--comment", "stopped by the worker test")
        final = wait_for(lambda: (s := status(env))["state"] == "stopped" and s, "the cohort to stop")

    log = log_path.read_text()
    assert "Traceback" not in log and "RuntimeWarning" not in log
    outbox = list((tmp_path / "app" / "outbox").glob("*.eml"))
    assert len(outbox) == final["counts"]["messages"], "an email was written twice or lost"
