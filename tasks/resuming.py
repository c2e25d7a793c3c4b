"""Resuming a paused or suspended flow run through Prefect's API, trying again on passing refusals."""

import time
from uuid import UUID

from prefect.flow_runs import resume_flow_run

# Answers worth trying again: SQLite behind Prefect's server says 'database is locked' (or 503) under
# load, and a run shows as paused a moment before its form's schema is saved ('Run input schema not found').
TRANSIENT_RESUME_ERRORS = ("locked", "503", "run input schema not found")


def resume_with_retry(flow_run_id: str, run_input: dict | None = None, attempts: int = 6) -> None:
    for attempt in range(attempts):
        try:
            resume_flow_run(UUID(flow_run_id), run_input=run_input)
            return
        except Exception as error:  # noqa: BLE001 - the API raises several kinds for a busy server
            transient = any(reason in str(error).lower() for reason in TRANSIENT_RESUME_ERRORS)
            if attempt == attempts - 1 or not transient:
                raise
            time.sleep(0.5 * 2**attempt)
