"""The programme clock: once a day, send every cohort's due reminders and escalations, and wake
cohorts whose date has come.

Safe to run more than once a day: every message is keyed, so a second sweep sends nothing
more (it still delivers anything left pending by an earlier failure).
"""

from collections import Counter

from prefect import flow, get_run_logger

from tasks.notify import send_emails
from tasks.reminders.sweep import find_active_cohorts, plan_reminders
from tasks.waking import wake_due_cohorts


@flow(name="programme-clock")
def programme_clock(cohort: str | None = None) -> dict:
    """Sweep every running or waiting cohort (or the one named); returns counts of new messages per kind."""
    logger = get_run_logger()
    totals: Counter[str] = Counter()
    per_cohort: dict[str, dict[str, int]] = {}
    for cohort_id in find_active_cohorts(cohort):
        sweep = plan_reminders(cohort_id)
        send_emails(cohort_id, sweep.requests)
        per_cohort[sweep.cohort] = sweep.counts
        totals.update(sweep.counts)
        logger.info("%s: %d reminders due", sweep.cohort, len(sweep.requests))
    woken = wake_due_cohorts(cohort)
    for name in woken:
        logger.info("%s: its date has come; resumed", name)
    return {"cohorts": per_cohort, "sent": dict(sorted(totals.items())), "total": sum(totals.values()), "woken": woken}
