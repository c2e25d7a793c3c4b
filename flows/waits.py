"""Waiting for a date in the programme's calendar.

A simulated clock jumps. A run from a deployment suspends (no process held) and the
programme clock resumes it when the date comes. An in-process run with the real clock
sleeps until the date, holding its process: real programmes are served (`mentorflow serve`).
"""

import time
from datetime import datetime

from prefect import get_run_logger
from prefect.flow_runs import suspend_flow_run

from flows.gate import running_from_deployment
from tasks.cohort_context import CohortContext
from tasks.dates import mark_waiting, reach_date
from tasks.runtime import get_runtime


def wait_until(context: CohortContext, moment: datetime, label: str) -> None:
    while not reach_date(context.cohort_id, moment):
        if running_from_deployment():
            get_run_logger().info("cohort %s sleeps until %s (%s)", context.cohort, moment.isoformat(), label)
            mark_waiting(context.cohort_id, moment)
            # A new key per attempt: a run woken early, or re-entered before the date, sleeps again.
            suspend_flow_run(key=f"date-{label}-{get_runtime().clock.now():%Y%m%dT%H%M%S}", timeout=None)
        else:
            remaining = (moment - get_runtime().clock.now()).total_seconds()
            time.sleep(max(1.0, min(remaining, get_runtime().settings.date_poll_seconds)))
    mark_waiting(context.cohort_id, None)
