"""Email benchmark: render and deliver N personalised messages to a local aiosmtpd server.

    python benchmarks/email.py --messages 10000 --json

Uses the production code path (compiled templates, `compose_email`, the pooled
`SmtpTransport`) but not the database. The SMTP server runs in a separate
process so the client's CPU is measured on its own; it counts messages by
Message-ID to detect duplicates. Prints one JSON object with `messages`,
`delivered`, `seconds`, `per_second` and `duplicates` (the median run of
`--runs`), plus `client_cpu_seconds`: on a shared machine wall time varies with
other load, the client's CPU time much less.
"""

import sys
from pathlib import Path

# This file is named email.py: keep its folder off the import path so `import email` finds the stdlib.
REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(REPO_ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import re  # noqa: E402
import socket  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from datetime import UTC, datetime  # noqa: E402

from tasks.emails.build import message_id_for  # noqa: E402
from tasks.emails.delivery import compose_email  # noqa: E402
from tasks.emails.render import default_renderer  # noqa: E402
from tasks.emails.samples import sample_context  # noqa: E402
from tasks.emails.transport import SmtpTransport  # noqa: E402

TEMPLATES = ["match_introduction", "monthly_nudge", "survey_request", "training_reminder", "closure_message"]
SENDER = "mentorflow <no-reply@mentorflow.local>"
DATE = datetime(2027, 5, 3, 9, 0, tzinfo=UTC)
MESSAGE_ID = re.compile(rb"^Message-ID: (\S+)", re.MULTILINE | re.IGNORECASE)


def serve(port: int, connection) -> None:
    """The SMTP server process: accept everything, count Message-IDs, report when asked."""
    from aiosmtpd.controller import Controller

    seen: Counter = Counter()

    class CountingHandler:
        async def handle_DATA(self, server, session, envelope):
            found = MESSAGE_ID.search(envelope.original_content or envelope.content)
            seen[found.group(1) if found else b""] += 1
            return "250 OK"

    controller = Controller(CountingHandler(), hostname="127.0.0.1", port=port, decode_data=False)
    controller.start()
    connection.send("ready")
    connection.recv()
    controller.stop()
    connection.send({"received": sum(seen.values()), "duplicates": sum(n - 1 for n in seen.values())})


def personalised_emails(count: int):
    renderer = default_renderer()
    bases = {template: sample_context(template) for template in TEMPLATES}
    for number in range(count):
        template = TEMPLATES[number % len(TEMPLATES)]
        key = f"bench:{template}:person{number}@bench.example:1"
        context = bases[template] | {"recipient_name": f"Person {number}", "partner_name": f"Partner {number % 997}"}
        yield compose_email(
            renderer,
            key=key,
            template=template,
            context=context,
            sender=SENDER,
            recipient=f"person{number}@bench.example",
            message_id=message_id_for(key),
            date=DATE,
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def one_run(messages: int, pool_size: int, prebuilt: bool) -> dict:
    port = free_port()
    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(target=serve, args=(port, theirs), daemon=True)
    server.start()
    ours.recv()
    default_renderer().template_names()
    transport = SmtpTransport(host="127.0.0.1", port=port, pool_size=pool_size, timeout=30)
    delivered = 0

    def count(result) -> None:
        nonlocal delivered
        delivered += result.delivered

    emails = list(personalised_emails(messages)) if prebuilt else personalised_emails(messages)
    started, started_cpu = time.perf_counter(), time.process_time()
    asyncio.run(transport.send_all(emails, count))
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - started_cpu
    ours.send("report")
    server_side = ours.recv()
    server.join(timeout=10)
    return {
        "messages": messages,
        "delivered": delivered,
        "received": server_side["received"],
        "seconds": round(seconds, 3),
        "per_second": round(delivered / seconds, 1),
        "duplicates": server_side["duplicates"],
        "client_cpu_seconds": round(cpu_seconds, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=1, help="repeat and report the median")
    parser.add_argument("--pool-size", type=int, default=16)
    parser.add_argument("--prebuilt", action="store_true", help="build every message before timing: the transport alone")
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args()

    runs = [one_run(arguments.messages, arguments.pool_size, arguments.prebuilt) for _ in range(arguments.runs)]
    median = sorted(runs, key=lambda run: run["per_second"])[len(runs) // 2]
    result = {
        "messages": arguments.messages,
        "delivered": median["delivered"],
        "seconds": median["seconds"],
        "per_second": median["per_second"],
        "duplicates": max(run["duplicates"] for run in runs),
        "pool_size": arguments.pool_size,
        "prebuilt": arguments.prebuilt,
        "runs": [run["per_second"] for run in runs],
        "client_cpu_seconds": median["client_cpu_seconds"],
        "median_of": len(runs),
    }
    if arguments.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['delivered']}/{result['messages']} messages in {result['seconds']} s: "
            f"{result['per_second']} msg/s (median of {len(runs)}; runs {result['runs']}), "
            f"{result['duplicates']} duplicates"
        )


if __name__ == "__main__":
    main()
