"""`mentorflow-engine`: the command a worker runs for each flow run of mentorflow's deployments.

With `MENTORFLOW_ENGINE_SOCKET` set (`mentorflow worker` sets it), the run is forked from the
preloaded engine server (flows/engine_server.py): this process passes on its environment, working
directory, arguments and standard streams, forwards signals to the run, and exits as the run does,
so the worker sees it as the flow-run process. Otherwise, or if the server does not answer, it
becomes `python -m prefect.engine`, as a worker would have started it.

Only the standard library is imported here: this process starts for every resume.
"""

import io
import json
import os
import signal
import socket
import struct
import sys
import time

# The request, shared with flows/engine_server.py: a length header sent with the standard streams'
# file descriptors, then that many bytes of JSON.
HEADER = struct.Struct("!I")
STREAMS = (0, 1, 2)
FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT)


def become_plain_engine() -> None:
    os.execv(sys.executable, [sys.executable, "-m", "prefect.engine", *sys.argv[1:]])


def connect(path: str) -> socket.socket | None:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(path)
    except OSError:
        connection.close()
        return None
    return connection


def send_request(connection: socket.socket) -> None:
    payload = json.dumps({"env": dict(os.environ), "cwd": os.getcwd(), "args": sys.argv[1:]}).encode()
    socket.send_fds(connection, [HEADER.pack(len(payload))], list(STREAMS))
    connection.sendall(payload)


def read_pid(reader: io.TextIOBase) -> int:
    first = reader.readline().split()
    if len(first) != 2 or first[0] != "pid":
        raise ConnectionError(f"engine server answered {first!r}")
    return int(first[1])


def wait_for_exit(reader: io.TextIOBase, pid: int) -> int:
    try:
        line = reader.readline().split()
    except OSError:
        line = []
    if len(line) == 2 and line[0] == "exit":
        return int(line[1])
    while True:  # the server went away first: the run goes on alone, so wait for it to end
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return 1
        time.sleep(1)


def exit_like(code: int) -> None:
    """Exit as the run did: by the same signal if it was killed, so the worker reports it the same way."""
    if code < 0:
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    sys.exit(code)


def main() -> None:
    path = os.environ.get("MENTORFLOW_ENGINE_SOCKET")
    connection = connect(path) if path else None
    if connection is None:
        become_plain_engine()
        return
    # Signals that arrive before the fork answer are held, then passed on to the run.
    held: list[int] = []
    run_pid: list[int] = []

    def forward(signum, _frame) -> None:
        if run_pid:
            try:
                os.kill(run_pid[0], signum)
            except ProcessLookupError:
                pass
        else:
            held.append(signum)

    for signum in FORWARDED:
        signal.signal(signum, forward)
    try:
        send_request(connection)
    except OSError as error:  # not sent, so nothing was forked: run the engine here instead
        print(f"mentorflow-engine: the engine server did not take the run ({error}); starting it here", file=sys.stderr)
        connection.close()
        for signum in FORWARDED:
            signal.signal(signum, signal.SIG_DFL)
        if held:
            sys.exit(128 + held[0])
        become_plain_engine()
        return
    reader = connection.makefile("r")
    try:
        pid = read_pid(reader)
    except (OSError, ConnectionError, ValueError) as error:  # it may have forked: starting another could run twice
        sys.exit(f"mentorflow-engine: no answer from the engine server after the request: {error}")
    run_pid.append(pid)
    for signum in held:
        forward(signum, None)
    exit_like(wait_for_exit(reader, pid))


if __name__ == "__main__":
    main()
