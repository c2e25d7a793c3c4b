"""Run by the engine server's child in tests/flows/test_engine_server.py instead of `prefect.engine`:
says who and where it is, then does what its first argument asks."""

import json
import os
import sys
import time

if __name__ == "__main__":
    report = {"args": sys.argv[1:], "cwd": os.getcwd(), "pid": os.getpid(), "ppid": os.getppid(),
              "probe_value": os.environ.get("PROBE_VALUE"), "stdin": None}
    if "prefect" in sys.modules:
        from prefect.settings import get_current_settings

        report["prefect_api_url"] = str(get_current_settings().api.url)
    action = sys.argv[1] if len(sys.argv) > 1 else ""
    if action == "read-stdin":
        report["stdin"] = sys.stdin.readline().strip()
    print(json.dumps(report), flush=True)
    if action == "exit":
        sys.exit(int(sys.argv[2]))
    if action == "crash":
        raise RuntimeError("the probe crashed on purpose")
    if action == "sleep":
        time.sleep(120)
