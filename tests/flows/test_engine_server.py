"""The preloaded engine (flows/engine_server.py) and `mentorflow-engine` (flows/engine_client.py):
a flow-run process forked from a long-lived server behaves, to the worker that started it, like
`python -m prefect.engine`: the same arguments, environment, directory and streams, its exit code,
and signals that reach the run."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from served import BIN, descendants, wait_for

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


@pytest.fixture
def engine_server(tmp_path):
    """A server whose children run tests/flows/engine_probe.py; Prefect preloaded, with an API URL
    that the clients' own environment overrides."""
    socket_path = tmp_path / "engine.sock"
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
                        "PREFECT_API_URL": "http://127.0.0.1:9/server-side/api"}
    server = subprocess.Popen([sys.executable, "-m", "flows.engine_server", str(socket_path),
                               "--module", "engine_probe", "--preload", "prefect,prefect.settings"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wait_for(lambda: socket_path.exists() or server.poll() is not None, "the engine server", timeout=120, poll=0.1)
    assert server.poll() is None, server.stdout.read()
    yield server, socket_path
    server.terminate()
    server.wait(30)


def client(socket_path: Path | None, cwd: Path, *args: str, **popen) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "MENTORFLOW_ENGINE_SOCKET"}
    env |= {"PROBE_VALUE": "from the client", "PREFECT_API_URL": "http://127.0.0.1:9/client-side/api"}
    if socket_path:
        env["MENTORFLOW_ENGINE_SOCKET"] = str(socket_path)
    return subprocess.Popen([str(BIN / "mentorflow-engine"), *args], env=env, cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_run_is_forked_from_the_server_with_the_clients_arguments_environment_directory_and_streams(engine_server, tmp_path):
    server, socket_path = engine_server
    run = client(socket_path, tmp_path, "read-stdin", "--flag", stdin=subprocess.PIPE)
    out, err = run.communicate("hello from stdin\n", timeout=60)
    assert run.returncode == 0, err
    report = json.loads(out)
    assert report["ppid"] == server.pid, "the run was not forked from the engine server"
    assert report["args"] == ["read-stdin", "--flag"]
    assert Path(report["cwd"]) == tmp_path
    assert report["probe_value"] == "from the client"
    assert report["stdin"] == "hello from stdin"
    assert report["prefect_api_url"] == "http://127.0.0.1:9/client-side/api", "Prefect kept the server's settings"


def test_the_clients_exit_code_is_the_runs(engine_server, tmp_path):
    _, socket_path = engine_server
    exiting = client(socket_path, tmp_path, "exit", "3")
    exiting.communicate(timeout=60)
    assert exiting.returncode == 3
    crashing = client(socket_path, tmp_path, "crash")
    _, err = crashing.communicate(timeout=60)
    assert crashing.returncode == 1
    assert "the probe crashed on purpose" in err


def test_a_signal_to_the_client_reaches_the_run(engine_server, tmp_path):
    _, socket_path = engine_server
    run = client(socket_path, tmp_path, "sleep")
    report = json.loads(run.stdout.readline())
    run.send_signal(signal.SIGTERM)
    run.wait(30)
    assert run.returncode == -signal.SIGTERM, "the client should end as the run did: by SIGTERM"
    wait_for(lambda: not alive(report["pid"]), "the run to end", timeout=10, poll=0.1)


def test_a_killed_client_takes_its_run_with_it(engine_server, tmp_path):
    server, socket_path = engine_server
    run = client(socket_path, tmp_path, "sleep")
    report = json.loads(run.stdout.readline())
    assert report["pid"] in descendants(server.pid)
    run.kill()
    run.wait(30)
    wait_for(lambda: not alive(report["pid"]), "the orphaned run to be killed", timeout=10, poll=0.1)


def test_runs_go_on_while_others_are_running(engine_server, tmp_path):
    _, socket_path = engine_server
    sleeper = client(socket_path, tmp_path, "sleep")
    json.loads(sleeper.stdout.readline())
    quick = [client(socket_path, tmp_path, "exit", str(n)) for n in range(4)]
    assert [q.wait(60) for q in quick] == [0, 1, 2, 3]
    sleeper.terminate()
    sleeper.wait(30)


def test_without_a_server_the_client_becomes_the_plain_prefect_engine(tmp_path):
    run = client(tmp_path / "no-such.sock", tmp_path, "not-a-flow-run-id")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 1
    assert "Invalid flow run id" in out + err, "the client did not hand over to `python -m prefect.engine`"
