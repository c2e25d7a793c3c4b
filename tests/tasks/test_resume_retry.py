"""Resuming a run tries again on the server's passing refusals, and only on those."""

from uuid import uuid4

import pytest

import tasks.resuming as resuming


def flaky_resume(failures: list[Exception], calls: list):
    def resume(flow_run_id, run_input=None):
        calls.append(run_input)
        if failures:
            raise failures.pop(0)

    return resume


def test_a_form_not_yet_saved_and_a_locked_database_are_tried_again(monkeypatch):
    calls = []
    failures = [RuntimeError("Cannot resume this run: Run input schema not found."),
                RuntimeError("(sqlite3.OperationalError) database is locked")]
    monkeypatch.setattr(resuming, "resume_flow_run", flaky_resume(failures, calls))
    monkeypatch.setattr(resuming.time, "sleep", lambda seconds: None)
    resuming.resume_with_retry(str(uuid4()), {"decision": "approve"})
    assert len(calls) == 3 and not failures


def test_any_other_refusal_is_raised_at_once(monkeypatch):
    calls = []
    monkeypatch.setattr(resuming, "resume_flow_run", flaky_resume([RuntimeError("Cannot resume a run that isn't paused!")], calls))
    with pytest.raises(RuntimeError, match="isn't paused"):
        resuming.resume_with_retry(str(uuid4()), None)
    assert len(calls) == 1
