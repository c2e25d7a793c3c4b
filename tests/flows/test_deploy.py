"""`mentorflow deploy`: the lifecycle of every programme file and the daily clock, registered with a work pool."""

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate

from flows.serve import deploy

pytestmark = pytest.mark.flow


def registered(pool: str) -> dict[str, object]:
    with get_client(sync_client=True) as client:
        found = {}
        for name in ("cohort-lifecycle/demo-pilot", "cohort-lifecycle/women-entrepreneurs", "programme-clock/daily"):
            deployment = client.read_deployment_by_name(name)
            assert deployment.work_pool_name == pool, name
            found[name] = deployment
        return found


def test_deploy_registers_every_programme_and_the_clock_with_the_pool(prefect_server, runtime):
    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="deploy-test", type="process"), overwrite=True)
    deploy(pool="deploy-test", schedule_pilots=False)

    found = registered("deploy-test")
    pilot, bau = found["cohort-lifecycle/demo-pilot"], found["cohort-lifecycle/women-entrepreneurs"]
    assert pilot.parameters == {"programme": "demo-pilot"} and pilot.entrypoint == "flows.lifecycle.cohort_lifecycle"
    assert [s.active for s in pilot.schedules] == [False], "a pilot's annual schedule is off"
    assert [s.active for s in bau.schedules] == [True]
    assert found["programme-clock/daily"].schedules[0].schedule.cron == runtime.settings.clock_cron
    for name, deployment in found.items():
        assert deployment.job_variables == {"command": "mentorflow-engine"}, f"{name}: not started by mentorflow-engine"
