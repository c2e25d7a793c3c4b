"""The production layout of docs/operations.md on one machine, for benchmarks/cohorts.py: a throwaway
PostgreSQL cluster (ops/postgres.sh), `prefect server start` on it, the `mentorflow` process work pool
with prefect.yaml deployed, `prefect worker start` processes, and an SMTP sink that counts Message-IDs.

Prefect and mentorflow read their settings once, at import: `stack` puts the environment in place
(os.environ) before anything imports them.
"""

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "flows"))

from served import BIN, free_port, prefect_server  # noqa: E402  (the end-to-end tests' harness)

EXPORT = re.compile(r"^export (\w+)='(.*)'$", re.MULTILINE)
MESSAGE_ID = re.compile(rb"^Message-ID: (\S+)", re.MULTILINE | re.IGNORECASE)


@contextmanager
def postgres(home: Path):
    """A fresh cluster under `home` on a free port (durability off: it is thrown away); yields the two URLs."""
    home.chmod(0o755)  # as root, ops/postgres.sh runs PostgreSQL as `postgres`, which must reach the directory
    env = os.environ | {"MENTORFLOW_PG_DIR": str(home / "pg"), "MENTORFLOW_PG_PORT": str(free_port()),
                        "MENTORFLOW_PG_OPTIONS": "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"}
    script = str(ROOT / "ops" / "postgres.sh")
    started = subprocess.run([script], env=env, capture_output=True, text=True, check=True, cwd=home)
    try:
        yield dict(EXPORT.findall(started.stdout))
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, cwd=home)


@contextmanager
def smtp_sink():
    """A local SMTP server that accepts everything; yields (port, Counter of Message-IDs received)."""
    from aiosmtpd.controller import Controller

    seen: Counter = Counter()

    class CountingHandler:
        async def handle_DATA(self, server, session, envelope):
            found = MESSAGE_ID.search(envelope.original_content or envelope.content)
            seen[found.group(1).decode() if found else ""] += 1
            return "250 OK"

    port = free_port()
    controller = Controller(CountingHandler(), hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    try:
        yield port, seen
    finally:
        controller.stop()


def prefect(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([str(BIN / "prefect"), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"prefect {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def deploy(env: dict[str, str], limit: int) -> dict:
    """The ops team's commands: the work pool, its concurrency limit, then `mentorflow deploy`
    (not `prefect deploy --all`, which stops after the first deployment here: docs/operations.md)."""
    prefect(env, "work-pool", "create", "mentorflow", "--type", "process")
    prefect(env, "work-pool", "set-concurrency-limit", "mentorflow", str(limit))
    result = subprocess.run([str(BIN / "mentorflow"), "deploy", "--pool", "mentorflow"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"mentorflow deploy failed:\n{result.stdout}\n{result.stderr}")
    return {"deployments": re.findall(r"^(\S+/\S+):", result.stdout, re.MULTILINE)}


@contextmanager
def workers(env: dict[str, str], home: Path, count: int, preloaded: bool):
    """`mentorflow worker` (flow runs forked from a preloaded engine) or, with `preloaded` off, plain
    `prefect worker start` (a new interpreter per flow run). No `--limit`: with one, a worker crashes
    (`this borrower is already holding one of this CapacityLimiter's tokens`) when a run it ran is
    resumed before that run's process has exited. The pool's concurrency limit bounds the runs instead
    (suspended runs do not count)."""
    start = [str(BIN / "mentorflow"), "worker"] if preloaded else [str(BIN / "prefect"), "worker", "start"]
    env = env | {"PATH": os.pathsep.join([str(BIN), env.get("PATH", os.environ.get("PATH", ""))])}
    processes, logs = [], []
    try:
        for n in range(count):
            logs.append((home / f"worker-{n}.log").open("w"))
            processes.append(subprocess.Popen(
                [*start, "--pool", "mentorflow", "--name", f"bench-{n}"], env=env, cwd=home, stdout=logs[-1], stderr=subprocess.STDOUT))
        yield processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()


@contextmanager
def stack(home: Path, app_env: dict[str, str], *, worker_count: int, limit: int, preloaded: bool = True):
    """Yield (env for clients, Counter of delivered Message-IDs, what was deployed and the worker processes)."""
    with ExitStack() as stack:
        urls = stack.enter_context(postgres(home))
        smtp_port, delivered = stack.enter_context(smtp_sink())
        extra = app_env | urls | {
            "MENTORFLOW_MAIL_TRANSPORT": "smtp", "MENTORFLOW_SMTP_HOST": "127.0.0.1", "MENTORFLOW_SMTP_PORT": str(smtp_port),
            "PREFECT_WORKER_QUERY_SECONDS": "2", "PREFECT_WORKER_PREFETCH_SECONDS": "2",
        }
        env = stack.enter_context(prefect_server(home, extra))
        os.environ.update(env)
        deployed = deploy(env, limit)
        running = stack.enter_context(workers(env, home, worker_count, preloaded))
        yield env, delivered, deployed | {"worker_processes": running}


def remove(home: Path) -> None:
    shutil.rmtree(home, ignore_errors=True)
