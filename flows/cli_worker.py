"""`mentorflow worker`: a Prefect worker for the mentorflow pool, with a preloaded engine beside it.

Each flow run the worker starts (`mentorflow-engine`, the deployments' command) is forked from
the engine server (flows/engine_server.py), which has imported Prefect and mentorflow once, instead
of paying about 5 s of CPU for a fresh interpreter at every resume of a cohort.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import typer

from flows.cli_output import console, fail

READY_TIMEOUT = 300  # seconds for the engine server's imports on a busy machine


def start_engine_server(socket_path: Path) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "flows.engine_server", str(socket_path)])
    deadline = time.monotonic() + READY_TIMEOUT
    while not socket_path.exists():
        if server.poll() is not None:
            fail(f"the engine server exited with code {server.returncode} before it was ready")
        if time.monotonic() > deadline:
            server.kill()
            fail(f"the engine server was not ready after {READY_TIMEOUT} s")
        time.sleep(0.1)
    return server


def worker(
    pool: str = typer.Option("mentorflow", help="the `process` work pool to poll (see `mentorflow deploy`)"),
    name: str | None = typer.Option(None, help="the worker's name in Prefect (default: Prefect's own)"),
) -> None:
    """Start `prefect worker start --pool POOL` with the preloaded engine; stops both on Ctrl-C or SIGTERM."""
    directory = Path(tempfile.mkdtemp(prefix="mentorflow-worker-"))
    socket_path = directory / "engine.sock"
    server = start_engine_server(socket_path)
    bin_dir = str(Path(sys.executable).parent)  # where `mentorflow-engine` is installed
    env = os.environ | {"MENTORFLOW_ENGINE_SOCKET": str(socket_path),
                        "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")])}
    command = [sys.executable, "-m", "prefect", "worker", "start", "--pool", pool, *(["--name", name] if name else [])]
    console.print(f"engine server ready; starting the worker for pool [bold]{pool}[/]")
    # Prefect's worker stops on SIGTERM by sending itself SIGINT, which a shell's background job ignores.
    prefect_worker = subprocess.Popen(command, env=env, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda sig, _frame: prefect_worker.send_signal(sig))
    try:
        code = prefect_worker.wait()
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(directory, ignore_errors=True)
    raise typer.Exit(code)
