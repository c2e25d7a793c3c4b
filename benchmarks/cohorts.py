"""Many cohorts at once on the production layout: PostgreSQL, `prefect server start`, the `mentorflow`
process work pool (prefect.yaml), and `prefect worker start` processes.

    python benchmarks/cohorts.py --cohorts 10 [--pairs 40] [--workers 2] [--limit 6] [--json] [--cli] [--plain-workers]

Imports K synthetic demo-pilot cohorts, starts them all from their deployment (what `mentorflow
cohort start --simulate` does), then decides every gate (and the pilot's transition gate) as soon as
it is paused, through Prefect's API (flows/gate_control.py; with --cli, through `mentorflow gate`),
until every run has finished or --timeout. Mail goes over SMTP to a local sink that counts
Message-IDs: a duplicate is a message delivered twice, or two outbox rows for one Message-ID.
"""

import sys
from pathlib import Path

# benchmarks/email.py would shadow the stdlib's `email`: search this folder last.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402

from cohorts_stack import remove, stack  # noqa: E402
from served import mentorflow  # noqa: E402

PROGRAMME = "demo-pilot"
FINISHED = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def import_cohorts(runtime, count: int, pairs: int) -> list[str]:
    from flows.demo import write_participants_csv
    from tasks.cohort_setup import import_participants_file, register_cohort
    from tasks.synthetic import synthetic_rows

    names = []
    for n in range(count):
        name = f"bench-{n:03d}"
        _, programme = register_cohort(runtime, programme_ref=PROGRAMME, cohort=name, simulated=True, seed=n)
        rows = synthetic_rows(programme, mentees=pairs, mentors=pairs + max(2, pairs // 5), seed=n,
                              ineligible=max(2, pairs // 10))
        import_participants_file(runtime, cohort=name, file=write_participants_csv(runtime, name, rows))
        names.append(name)
    return names


def start_cohorts(env, names: list[str], use_cli: bool) -> dict[str, str]:
    """cohort -> flow run id."""
    from flows.cli_cohort import start_served_run

    if not use_cli:
        return {name: str(start_served_run(PROGRAMME, name, simulate=True, seed=n).id) for n, name in enumerate(names)}
    started = {}
    for n, name in enumerate(names):
        output = mentorflow(env, "cohort", "start", PROGRAMME, "--cohort", name, "--simulate", "--seed", str(n)).stdout
        started[name] = re.search(r"started as flow run (\S+)", output).group(1)
    return started


def decide(env, runtime, gate: dict, use_cli: bool) -> None:
    from flows.gate_control import decide_gate, decide_transition
    from models.programme import Stage
    from models.programme_file import find_programme, load_programme
    from tasks.cohort_status import gate_approvers

    programme = load_programme(find_programme(PROGRAMME, runtime.settings.programmes_dir))
    approver = gate_approvers(programme, gate["stage"])[0]
    manager = programme.governance.programme_manager
    owner = f"{manager.name} <{manager.email}>"
    if gate["stage"] != "transition":
        if use_cli:
            mentorflow(env, "gate", "approve", gate["cohort"], gate["stage"], "--by", approver, "--comment", "benchmark")
        else:
            decide_gate(runtime, cohort=gate["cohort"], stage=Stage(gate["stage"]), decision="approve", by=approver,
                        comment="benchmark")
    elif use_cli:
        mentorflow(env, "gate", "transition", gate["cohort"], "approve", "--by", approver, "--owner", owner,
                   "--funding-confirmed", "--admin-hours", "6", "--recruitment", "annual call", "--promotion", "newsletter")
    else:
        decide_transition(runtime, cohort=gate["cohort"], answer={
            "decision": "approve", "approver": approver, "in_house_owner": owner, "funding_confirmed": True,
            "admin_hours_per_week": 6.0, "mentor_recruitment_and_training": "annual call",
            "promotion_to_future_mentees": "newsletter", "comment": "benchmark"})


def run_states(run_ids: dict[str, str]) -> dict[str, str]:
    from uuid import UUID

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import FlowRunSort

    by_id = {UUID(run_id): name for name, run_id in run_ids.items()}
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=list(by_id))),
                                      sort=FlowRunSort.ID_DESC, limit=len(by_id))  # fastapi 0.154: no nulls
    return {by_id[run.id]: run.state.type.value for run in runs if run.state}


def drive(env, runtime, run_ids: dict[str, str], timeout: float, use_cli: bool,
          worker_processes: list) -> tuple[dict[str, str], Counter, list[str]]:
    """Decide every gate once it is paused, until every run has finished, the timeout, or no worker is
    left; returns (states, gates decided, errors)."""
    from flows.gate_control import flow_run_state
    from tasks.cohort_status import gates_waiting

    decided: set[tuple] = set()
    gates: Counter = Counter()
    errors: list[str] = []
    deadline = time.monotonic() + timeout
    states = run_states(run_ids)
    while time.monotonic() < deadline and not all(states.get(name) in FINISHED for name in run_ids):
        if all(process.poll() is not None for process in worker_processes):
            errors.append(f"every worker exited (codes {[p.returncode for p in worker_processes]}); see worker-N.log")
            break
        for gate in gates_waiting(runtime):
            if time.monotonic() >= deadline:
                break
            key = (gate["cohort"], gate["stage"], gate["round"])
            if gate["cohort"] not in run_ids or key in decided or flow_run_state(gate["flow_run_id"]) != "PAUSED":
                continue
            try:
                decide(env, runtime, gate, use_cli)
                gates[gate["stage"]] += 1
            except Exception as error:  # noqa: BLE001 - reported, and the gate is tried no more
                errors.append(f"{key}: {error!r}"[:300])
            decided.add(key)
        time.sleep(1)
        states = run_states(run_ids)
    return states, gates, errors


def duplicates(runtime, delivered: Counter) -> dict:
    from sqlalchemy import text

    with runtime.session() as session:
        rows = dict(session.execute(text("SELECT state, count(*) FROM messages GROUP BY state")).all())
        twice = session.execute(text("SELECT count(*) FROM (SELECT message_id FROM messages GROUP BY message_id "
                                     "HAVING count(*) > 1) AS d")).scalar_one()
    return {"outbox_rows": rows, "outbox_duplicate_message_ids": twice, "delivered": sum(delivered.values()),
            "delivered_twice": sum(n - 1 for n in delivered.values() if n > 1)}


def benchmark(args, home: Path) -> dict:
    start = "2027-01-11T09:00:00+00:00"  # demo-pilot's recruitment opens (the served end-to-end test's start)
    app_env = {"MENTORFLOW_HOME": str(home / "app"), "MENTORFLOW_CLOCK": "simulated", "MENTORFLOW_SIMULATED_START": start}
    with stack(home, app_env, worker_count=args.workers, limit=args.limit, preloaded=not args.plain_workers) as (env, delivered, deployed):
        from tasks.runtime import get_runtime

        runtime = get_runtime()
        names = import_cohorts(runtime, args.cohorts, args.pairs)
        began = time.perf_counter()
        run_ids = start_cohorts(env, names, args.cli)
        states, gates, errors = drive(env, runtime, run_ids, args.timeout, args.cli, deployed.pop("worker_processes"))
        seconds = time.perf_counter() - began
        mail = duplicates(runtime, delivered)
    outcome = Counter(states.get(name, "UNKNOWN") for name in names)
    return {
        "cohorts": args.cohorts, "completed": outcome["COMPLETED"],
        "failed": sum(n for state, n in outcome.items() if state in FINISHED - {"COMPLETED"}),
        "unfinished": sum(n for state, n in outcome.items() if state not in FINISHED),
        "seconds": round(seconds, 1), "gates_decided": sum(gates.values()),
        "gates_per_minute": round(sum(gates.values()) / seconds * 60, 1),
        "duplicate_emails": mail["outbox_duplicate_message_ids"] + mail["delivered_twice"],
        "run_states": dict(outcome), "gates": dict(gates), "mail": mail, "errors": errors[:10],
        "pairs": args.pairs, "workers": args.workers, "limit": args.limit, "decided_with": "cli" if args.cli else "api",
        "workers_kind": "prefect worker start" if args.plain_workers else "mentorflow worker",
        **deployed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cohorts", type=int, default=2)
    parser.add_argument("--pairs", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=6, help="flow runs the pool runs at once (its concurrency limit)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for every cohort")
    parser.add_argument("--plain-workers", action="store_true",
                        help="`prefect worker start` (a new interpreter per flow run) instead of `mentorflow worker`")
    parser.add_argument("--cli", action="store_true", help="start cohorts and decide gates with the mentorflow CLI")
    parser.add_argument("--keep", action="store_true", help="keep the working directory (logs, outbox, database)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="mentorflow-cohorts-"))
    try:
        result = benchmark(args, home)
    finally:
        if not args.keep:
            remove(home)
    if args.json:
        print(json.dumps(result))
        return
    print(f"{result['cohorts']} cohorts of {args.pairs} pairs, {args.workers} workers, pool limit {args.limit}: "
          f"{result['completed']} completed, {result['failed']} failed, {result['unfinished']} unfinished "
          f"in {result['seconds']} s")
    print(f"gates decided: {result['gates_decided']} ({result['gates_per_minute']}/min) {result['gates']}")
    print(f"mail: {result['mail']}; duplicates: {result['duplicate_emails']}")
    for error in result["errors"]:
        print(f"error: {error}")
    if args.keep:
        print(f"logs and data: {home}")


if __name__ == "__main__":
    main()
