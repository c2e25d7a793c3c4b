"""The gate after each stage: wait for an authorised decision, keep it, hand it back.

In-process runs wait in a `stage-gate` sub-flow that pauses (the process stays alive).
Runs from a deployment suspend the cohort's own flow run instead (Prefect cannot suspend a
sub-flow): no process is held, and on resume the flow runs again from the top, skips what
the database says is done, and reads the decision stored under the same pause key.
"""

from collections.abc import Callable
from typing import Literal

from prefect import flow, get_run_logger
from prefect.flow_runs import pause_flow_run, suspend_flow_run
from prefect.input import RunInput
from prefect.runtime import deployment, flow_run
from pydantic import Field

from models.outbox import EmailRequest
from models.programme import Stage
from tasks.cohort_context import CohortContext
from tasks.gates import GateVerdict, gate_description, keep_decision, last_refusal, mark_gate_open, refusal_reason
from tasks.notify import send_emails
from tasks.runtime import get_runtime

Check = Callable[[dict], str | None]


class GateDecision(RunInput):
    decision: Literal["approve", "rework", "stop"] = Field(
        description="approve: go on; rework: run the stage again; stop: end the cohort"
    )
    approver: str = Field(description="your email address, as the programme's governance lists it")
    comment: str = Field(default="", description="kept with the decision; for rework, say what to change")


def running_from_deployment() -> bool:
    return deployment.get_id() is not None


def wait_for_answer(form: type[RunInput], key: str, *, suspend: bool) -> dict:
    if suspend:
        return suspend_flow_run(wait_for_input=form, key=key, timeout=None).model_dump()
    settings = get_runtime().settings
    answer = pause_flow_run(
        wait_for_input=form,
        timeout=int(settings.gate_timeout_days * 86400),
        poll_interval=settings.gate_poll_seconds,
        key=key,
    )
    return answer.model_dump()


def await_decision(
    context: CohortContext, *, gate: str, stage_run_id: int, round: int, form: type[RunInput], check: Check,
    approvers: list[str], summary: str, suspend: bool,
) -> GateVerdict:
    """Open the gate, tell its approvers, and wait until an answer passes `check`; every answer is kept."""
    logger = get_run_logger()
    run_id = str(flow_run.get_id())
    attempt = mark_gate_open(stage_run_id, run_id)
    send_emails(context.cohort_id, gate_waiting_emails(context, gate, round, summary, approvers))
    while True:
        answer = wait_for_answer(with_refusal_notice(form, last_refusal(stage_run_id)),
                                 f"gate-{gate}-r{round}-d{attempt}", suspend=suspend)
        verdict = keep_decision(stage_run_id, answer, check(answer), run_id)
        if verdict.accepted:
            logger.info("%s gate: %s by %s", gate, verdict.decision, verdict.decided_by)
            return verdict
        logger.warning("%s gate: decision refused (%s); still waiting", gate, verdict.refusal_reason)
        attempt += 1


def with_refusal_notice(form: type[RunInput], notice: str | None) -> type[RunInput]:
    if notice is None:
        return form
    return form.with_initial_data(description=f"> **Not accepted**: {notice}. The gate still waits.\n\n{form._description or ''}")


def stage_form(context: CohortContext, stage: Stage, round: int, summary: str) -> type[GateDecision]:
    approvers = context.programme.approvers_for(stage)
    description = gate_description(context.cohort, stage, round, summary, approvers)
    return GateDecision.with_initial_data(description=description, decision="approve", approver="", comment="")


def decide_stage(context: CohortContext, stage: Stage, stage_run_id: int, round: int, summary: str) -> GateVerdict:
    """The gate after a stage, in whichever way this run can wait."""
    if running_from_deployment():
        return stage_decision(context, stage, stage_run_id, round, summary, suspend=True)
    return stage_gate(context, stage, stage_run_id, round, summary)


@flow(name="stage-gate", flow_run_name="{context.cohort}-{stage}-gate-r{round}")
def stage_gate(context: CohortContext, stage: Stage, stage_run_id: int, round: int, summary: str) -> GateVerdict:
    return stage_decision(context, stage, stage_run_id, round, summary, suspend=False)


def stage_decision(
    context: CohortContext, stage: Stage, stage_run_id: int, round: int, summary: str, *, suspend: bool
) -> GateVerdict:
    def check(answer: dict) -> str | None:
        return refusal_reason(context.programme, stage, decision=answer.get("decision"), approver=answer.get("approver"))

    return await_decision(
        context, gate=stage.value, stage_run_id=stage_run_id, round=round, form=stage_form(context, stage, round, summary),
        check=check, approvers=context.programme.approvers_for(stage), summary=summary, suspend=suspend,
    )


def gate_waiting_emails(context: CohortContext, gate: str, round: int, summary: str, approvers: list[str]) -> list[EmailRequest]:
    return [
        context.email(
            ("gate", gate, f"r{round}", approver),
            to=approver,
            name=approver,
            template="gate_waiting",
            extra={
                "stage": gate,
                "summary_text": summary,
                "decide_command": f"mentorflow gate approve {context.cohort} {gate} --by {approver}",
                "waiting_since": "today",
            },
        )
        for approver in approvers
    ]
