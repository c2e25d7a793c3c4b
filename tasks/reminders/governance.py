"""Escalations to people who can unblock a cohort: gates waiting too long, pairs that stopped meeting.

Unlike participant reminders these have no grace cut-off: they are due for as long as the
gate still waits or the pair is still quiet, and their keys make each one go out once
(a gate's reminder and each escalation step once per gate round; a quiet pair once per
calendar month).
"""

from datetime import timedelta

from models.outbox import EmailRequest
from models.programme import Stage
from tasks.calendar_plan import add_months
from tasks.reminders.moments import PlanInput


def decide_command(cohort: str, stage: str, approver: str = "EMAIL") -> str:
    return f"mentorflow gate approve {cohort} {stage} --by {approver}"


def gate_reminders(plan: PlanInput) -> list[EmailRequest]:
    """The gate's approvers, once it has waited `gate_remind_days`."""
    emails: list[EmailRequest] = []
    cohort = plan.snapshot.cohort
    for gate, waited in _waiting_gates(plan):
        if waited < plan.programme.reminders.gate_remind_days:
            continue
        for approver in plan.programme.approvers_for(Stage(gate.stage)):
            emails.append(plan.message(
                "gate_reminder", ("gate", gate.stage, f"r{gate.round}", "reminder", approver), to=approver,
                name=approver, template="gate_reminder",
                extra={"stage": gate.stage, "days_waiting": waited,
                       "decide_command": decide_command(cohort, gate.stage, approver)}))
    return emails


def gate_escalations(plan: PlanInput) -> list[EmailRequest]:
    """The programme manager after `gate_escalate_days[0]`, the sponsor after `gate_escalate_days[1]`."""
    governance = plan.programme.governance
    ladder = list(zip(plan.programme.reminders.gate_escalate_days, (governance.programme_manager, governance.sponsor)))
    emails: list[EmailRequest] = []
    for gate, waited in _waiting_gates(plan):
        approvers = plan.programme.approvers_for(Stage(gate.stage))
        for step, (after_days, contact) in enumerate(ladder, start=1):
            if waited < after_days:
                continue
            email = str(contact.email).lower()
            emails.append(plan.message(
                "gate_escalation", ("gate", gate.stage, f"r{gate.round}", f"escalation{step}", email), to=email,
                name=contact.name, template="gate_escalation",
                extra={"stage": gate.stage, "days_waiting": waited, "approvers": approvers,
                       "decide_command": decide_command(plan.snapshot.cohort, gate.stage)}))
    return emails


def _waiting_gates(plan: PlanInput):
    for gate in plan.snapshot.gates:
        if gate.opened_at > plan.now or (gate.decided_at is not None and gate.decided_at <= plan.now):
            continue
        yield gate, (plan.today - plan.day_of(gate.opened_at)).days


def stalled_pair_alerts(plan: PlanInput) -> list[EmailRequest]:
    """The programme manager, once a calendar month, about each pair quiet for more than `stalled_after_months`."""
    months = plan.programme.reminders.stalled_after_months
    manager = plan.programme.governance.programme_manager
    emails: list[EmailRequest] = []
    for pair in plan.live_pairs():
        held = [moment for moment in pair.meetings if moment <= plan.now]
        last = max(held) if held else pair.started_at
        last_day = plan.day_of(last)
        if plan.today <= add_months(last_day, months):
            continue
        mentor, mentee = plan.people.get(pair.mentor_id), plan.people.get(pair.mentee_id)
        if mentor is None or mentee is None:
            continue
        since = f"since {last_day:%d %B %Y}" if held else f"since the pair started on {last_day:%d %B %Y}"
        emails.append(plan.message(
            "stalled_pair", ("stalled", f"{plan.today:%Y-%m}", f"m{pair.match_id}"), to=str(manager.email).lower(),
            name=manager.name, template="programme_update",
            extra={"headline": f"{mentor.name} and {mentee.name} have not met for {(plan.today - last_day) // timedelta(days=30)} months",
                   "body": f"No meeting has been logged {since}.\n\n"
                           "Please contact both people: re-energise the relationship, re-match the mentee, or close the pair."}))
    return emails
