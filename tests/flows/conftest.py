"""Flow tests share one Prefect test server (it costs 15-25 s to start)."""

import threading
from dataclasses import dataclass, field

import pytest
from prefect.testing.utilities import prefect_test_harness

from flows.gate_control import decide_gate, decide_transition, wait_for_gate
from flows.lifecycle import cohort_lifecycle
from models.programme import Stage
from tasks.cohort_setup import import_participants_file, register_cohort
from tasks.runtime import Runtime
from tasks.synthetic import synthetic_rows
from flows.demo import write_participants_csv


@pytest.fixture(scope="session")
def prefect_server():
    with prefect_test_harness(server_startup_timeout=120):
        yield


@dataclass
class RunningCohort:
    runtime: Runtime
    name: str
    cohort_id: int
    thread: threading.Thread | None = None
    outcome: dict = field(default_factory=dict)

    def start(self) -> "RunningCohort":
        def run() -> None:
            try:
                self.outcome["state"] = cohort_lifecycle(cohort=self.name)
            except BaseException as error:  # surfaced by the test through `outcome`
                self.outcome["error"] = error

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        return self

    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def wait_for_gate(self, stage: Stage | str) -> None:
        gate = getattr(stage, "value", stage)
        assert wait_for_gate(self.runtime, cohort_id=self.cohort_id, gate=gate, still_running=self.running), (
            f"the lifecycle ended before the {gate} gate: {self.outcome}"
        )

    def decide(self, stage: Stage, decision: str = "approve", by: str | None = None, comment: str = "") -> None:
        self.wait_for_gate(stage)
        approver = by or self.approver(stage)
        decide_gate(self.runtime, cohort=self.name, stage=stage, decision=decision, by=approver, comment=comment)

    def decide_transition(self, **answer) -> None:
        self.wait_for_gate("transition")
        decide_transition(self.runtime, cohort=self.name, answer=answer)

    def approver(self, stage: Stage) -> str:
        from tasks.cohort_context import load_cohort_context

        return load_cohort_context.fn(self.cohort_id).programme.approvers_for(stage)[0]

    def finish(self, timeout: float = 120) -> str:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the lifecycle did not finish"
        if "error" in self.outcome:
            raise self.outcome["error"]
        return self.outcome["state"]


@pytest.fixture
def cohort(prefect_server, runtime, programme) -> RunningCohort:
    """A small simulated cohort of the demo pilot (8 pairs), imported through the real CSV path."""
    cohort_id, definition = register_cohort(runtime, programme_ref="demo-pilot", cohort="pilot-test", simulated=True, seed=3)
    rows = synthetic_rows(definition, mentees=8, mentors=10, seed=3, ineligible=2)
    import_participants_file(runtime, cohort="pilot-test", file=write_participants_csv(runtime, "pilot-test", rows))
    return RunningCohort(runtime=runtime, name="pilot-test", cohort_id=cohort_id)
