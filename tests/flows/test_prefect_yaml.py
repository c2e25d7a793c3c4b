"""prefect.yaml (what `prefect deploy --all` registers for a worker pool) matches the programme files
and names flows a worker can import. No server: the file is parsed and its entrypoints are loaded."""

from pathlib import Path

import pytest
import yaml
from prefect.client.schemas.schedules import CronSchedule, RRuleSchedule
from prefect.flows import load_flow_from_entrypoint

from config.settings import Settings
from models.programme_file import load_programme

ROOT = Path(__file__).resolve().parents[2]
PROGRAMME_FILES = sorted((ROOT / "config" / "programmes").glob("*.yaml"))


@pytest.fixture(scope="module")
def prefect_yaml() -> dict:
    return yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def deployments(prefect_yaml) -> dict[str, dict]:
    found = prefect_yaml["deployments"]
    assert len({d["name"] for d in found}) == len(found), "two deployments share a name"
    return {d["name"]: d for d in found}


def flow_name(entrypoint: str) -> str:
    return load_flow_from_entrypoint(entrypoint, use_placeholder_flow=False).name


def test_every_entrypoint_is_a_module_path_to_a_flow(deployments):
    for name, deployment in deployments.items():
        entrypoint = deployment["entrypoint"]
        assert ":" not in entrypoint and not entrypoint.endswith(".py"), f"{name}: {entrypoint} is not a module path"
        assert flow_name(entrypoint) in {"cohort-lifecycle", "programme-clock"}


def test_one_lifecycle_deployment_per_programme_file(deployments):
    lifecycle = {name for name, d in deployments.items() if flow_name(d["entrypoint"]) == "cohort-lifecycle"}
    assert lifecycle == {load_programme(path).slug for path in PROGRAMME_FILES}
    for path in PROGRAMME_FILES:
        programme = load_programme(path)
        deployment = deployments[programme.slug]
        assert deployment["parameters"] == {"programme": programme.slug}


def test_annual_schedules_follow_the_programme_files_and_a_pilots_is_off(deployments):
    for path in PROGRAMME_FILES:
        programme = load_programme(path)
        schedules = deployments[programme.slug].get("schedules") or []
        if not programme.schedule:
            assert not schedules
            continue
        (schedule,) = schedules
        assert schedule["rrule"] == programme.schedule
        assert schedule["timezone"] == programme.calendar.timezone
        assert schedule["active"] is (programme.phase.value != "pilot")
        RRuleSchedule(rrule=schedule["rrule"], timezone=schedule["timezone"])


def test_the_programme_clock_runs_daily(deployments):
    clock = deployments["daily"]
    assert flow_name(clock["entrypoint"]) == "programme-clock"
    (schedule,) = clock["schedules"]
    assert schedule["cron"] == Settings.model_fields["clock_cron"].default
    assert schedule.get("active", True) is True
    CronSchedule(cron=schedule["cron"], timezone=schedule["timezone"])


def test_every_deployment_goes_to_the_mentorflow_pool_and_pulls_nothing(prefect_yaml, deployments):
    for name, deployment in deployments.items():
        assert deployment["work_pool"]["name"] == "mentorflow", name
        steps = deployment.get("pull", prefect_yaml.get("pull")) or []
        assert not any("git_clone" in key for step in steps for key in step), f"{name} pulls from git"


def test_workers_start_runs_with_mentorflow_engine_like_mentorflow_deploy(prefect_yaml, deployments):
    from tasks.deployments import ENGINE_COMMAND

    pools = [d["work_pool"] for d in deployments.values()]
    assert all(pool["job_variables"] == {"command": ENGINE_COMMAND} for pool in pools)
    assert all(pool["name"] == "mentorflow" for pool in pools)
