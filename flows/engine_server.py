"""A preloaded flow-run engine: forks a child per flow run instead of starting a new interpreter.

Every time a suspended cohort is resumed, its worker starts a new flow-run process. Started as
`python -m prefect.engine`, that process spends about 5 s of CPU importing Prefect and mentorflow
before a second of work, which capped a 2-core machine at about 6 gates a minute. This server
imports everything once; `mentorflow-engine` (the deployments' command, flows/engine_client.py)
asks it for a flow run and it forks a child that runs `prefect.engine` with the client's
environment, working directory, arguments and standard streams.

The server stays single-threaded (no thread may hold a lock at fork time). It exits when the
process that started it (`mentorflow worker`) exits.

    python -m flows.engine_server SOCKET [--module prefect.engine] [--preload a,b,...]
"""

import argparse
import json
import os
import runpy
import selectors
import signal
import socket
import sys
import traceback

from flows.engine_client import HEADER, STREAMS

PRELOAD = ("prefect.engine", "prefect.flow_engine", "flows.lifecycle", "flows.programme_clock", "scipy.stats")


def preload(modules: list[str]) -> None:
    import importlib

    for module in modules:
        importlib.import_module(module)


def read_request(connection: socket.socket) -> tuple[dict, list[int]]:
    """A request is a length header sent with the client's standard streams, then JSON:
    {"env": {...}, "cwd": "...", "args": [...]}."""
    connection.settimeout(10)
    header, fds, _, _ = socket.recv_fds(connection, HEADER.size, len(STREAMS))
    if len(header) != HEADER.size or len(fds) != len(STREAMS):
        for fd in fds:
            os.close(fd)
        raise ValueError("malformed request")
    (length,) = HEADER.unpack(header)
    payload = bytearray()
    while len(payload) < length:
        chunk = connection.recv(length - len(payload))
        if not chunk:
            raise ValueError("request cut short")
        payload += chunk
    connection.settimeout(None)
    return json.loads(payload), fds


def run_engine(module: str, request: dict, fds: list[int]) -> int:
    """In the forked child: become the client's flow-run process and run the engine module."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = [module, *request["args"]]
    try:  # `ps` shows what the child is; best effort
        with open("/proc/self/comm", "w") as comm:
            comm.write("flow-run")
    except OSError:
        pass
    if "prefect" in sys.modules:  # Prefect read its settings from the server's environment at import
        import prefect.context
        from prefect.logging.configuration import setup_logging

        prefect.context.refresh_global_settings_context()
        setup_logging()
    sys.modules.pop(module, None)  # preloaded for its imports; it runs afresh as __main__
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        return 0
    except SystemExit as exit_:
        if exit_.code is None or isinstance(exit_.code, int):
            return exit_.code or 0
        print(exit_.code, file=sys.stderr)
        return 1
    except BaseException:  # noqa: BLE001 - the child must report, not unwind into the server's loop
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


class EngineServer:
    def __init__(self, path: str, module: str):
        self.module = module
        self.parent = os.getppid()
        self.selector = selectors.DefaultSelector()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if os.path.exists(path):
            os.unlink(path)
        self.listener.bind(path)
        os.chmod(path, 0o600)
        self.listener.listen(128)
        self.selector.register(self.listener, selectors.EVENT_READ)
        self.children: dict[int, socket.socket] = {}  # child pid -> its client's connection

    def serve_forever(self) -> None:
        while os.getppid() == self.parent:
            for key, _ in self.selector.select(timeout=0.2):
                if key.fileobj is self.listener:
                    self.accept()
                else:
                    self.client_gone(key.fileobj, key.data)
            self.reap()

    def accept(self) -> None:
        connection, _ = self.listener.accept()
        try:
            request, fds = read_request(connection)
        except (OSError, ValueError) as error:
            print(f"engine server: refused a request: {error}", file=sys.stderr)
            connection.close()
            return
        pid = os.fork()
        if pid == 0:
            self.become_child()
            os._exit(run_engine(self.module, request, fds))
        for fd in fds:
            os.close(fd)
        print(f"engine server: flow run {request['env'].get('PREFECT__FLOW_RUN_ID', '?')} forked as pid {pid}", flush=True)
        self.children[pid] = connection
        self.selector.register(connection, selectors.EVENT_READ, pid)
        try:
            connection.sendall(f"pid {pid}\n".encode())
        except OSError:
            self.client_gone(connection, pid)

    def become_child(self) -> None:
        self.selector.close()
        self.listener.close()
        for connection in self.children.values():
            connection.close()
        for signum in (signal.SIGTERM, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a fresh interpreter

    def client_gone(self, connection: socket.socket, pid: int) -> None:
        """The client closed its end before its run finished (it was killed): so is the run."""
        try:
            if connection.recv(4096):
                return  # a client says nothing after its request: ignore it
        except OSError:
            pass
        self.selector.unregister(connection)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            connection = self.children.pop(pid, None)
            if connection is None:
                continue
            if connection.fileno() in self.selector.get_map():
                self.selector.unregister(connection)
            try:
                connection.sendall(f"exit {os.waitstatus_to_exitcode(status)}\n".encode())
            except OSError:
                pass
            connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("socket")
    parser.add_argument("--module", default="prefect.engine", help="what each child runs as __main__")
    parser.add_argument("--preload", default=",".join(PRELOAD), help="modules to import once, comma-separated")
    args = parser.parse_args()
    preload([m for m in args.preload.split(",") if m])
    server = EngineServer(args.socket, args.module)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"engine server ready on {args.socket}", flush=True)
    server.serve_forever()  # runs being served finish on their own, as `python -m prefect.engine` ones would


if __name__ == "__main__":
    main()
