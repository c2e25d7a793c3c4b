"""A real `prefect server start` and `mentorflow serve` on 127.0.0.1, for end-to-end tests and benchmarks."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@contextmanager
def prefect_server(home: Path, extra_env: dict[str, str] | None = None):
    """Yield the environment that points clients at a fresh server; stop it afterwards."""
    port = free_port()
    env = os.environ | {
        "PREFECT_HOME": str(home / "prefect"),
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    } | (extra_env or {})
    log = (home / "server.log").open("w")
    server = subprocess.Popen([str(BIN / "prefect"), "server", "start"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/health")
        yield env
    finally:
        server.terminate()
        server.wait(30)
        log.close()


@contextmanager
def logged_process(command: list[str], env: dict[str, str], log_path: Path, stop_within: float = 60):
    """A long-running process writing to `log_path`; terminated (then killed) on the way out."""
    log = log_path.open("w")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(stop_within)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@contextmanager
def served(env: dict[str, str], home: Path):
    with logged_process([str(BIN / "mentorflow"), "serve"], env, home / "serve.log", stop_within=30) as process:
        yield process


@contextmanager
def worker_pool(env: dict[str, str], home: Path):
    """The `mentorflow` process pool with mentorflow's deployments, and one `mentorflow worker` on it
    (its log: home/worker.log); yields the worker's process."""
    subprocess.run([str(BIN / "prefect"), "work-pool", "create", "mentorflow", "--type", "process"],
                   env=env, check=True, capture_output=True, timeout=300)
    mentorflow(env, "deploy", "--pool", "mentorflow")
    worker_env = env | {"PREFECT_WORKER_QUERY_SECONDS": "2", "PREFECT_WORKER_PREFETCH_SECONDS": "2"}
    command = [str(BIN / "mentorflow"), "worker", "--pool", "mentorflow", "--name", "test"]
    with logged_process(command, worker_env, home / "worker.log") as process:
        yield process


def mentorflow(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([str(BIN / "mentorflow"), *args], env=env, capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"mentorflow {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def descendants(pid: int) -> list[int]:
    """Process ids below `pid` (from /proc), so a test can see whether a flow run still holds one."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        for child in children.get(current, []):
            found.append(child)
            frontier.append(child)
    return found


def wait_for(predicate, what: str, timeout: float = 180, poll: float = 1.0):
    """The predicate's first truthy value, polling until `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(poll)
    raise AssertionError(f"timed out waiting for {what}")


def flow_run_processes(serve_pid: int) -> list[int]:
    """Flow-run processes below `serve_pid` (`prefect.engine`, `mentorflow-engine`, or a run forked from
    `mentorflow worker`'s engine server, named `flow-run`): what a waiting run would still hold."""
    def is_engine(pid: int) -> bool:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            name = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            return False
        return b"prefect.engine" in command or b"mentorflow-engine" in command or name == "flow-run"

    return [pid for pid in descendants(serve_pid) if is_engine(pid)]
