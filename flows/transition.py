"""The transition-to-bau gate that ends a pilot cohort."""

from typing import Literal

from prefect import flow
from prefect.input import RunInput
from pydantic import Field

from flows.gate import await_decision, running_from_deployment
from tasks.cohort_context import CohortContext
from tasks.stage_records import enter_stage, store_stage_output
from tasks.transition import apply_transition, evaluation_evidence, transition_approvers, transition_description, transition_refusal


class TransitionDecision(RunInput):
    decision: Literal["approve", "reject"] = Field(description="approve: the programme becomes business-as-usual")
    approver: str = Field(description="your email address")
    in_house_owner: str = Field(default="", description="name and email of the programme's owner in the organisation")
    funding_confirmed: bool = Field(default=False, description="funding for the coming years is confirmed")
    admin_hours_per_week: float = Field(default=0, description="admin time allocated, hours a week")
    mentor_recruitment_and_training: str = Field(default="", description="how mentors will be recruited and trained")
    promotion_to_future_mentees: str = Field(default="", description="how the scheme will be promoted to mentees")
    comment: str = Field(default="", description="kept with the decision; for reject, the reasons")


def transition_to_bau(context: CohortContext) -> str:
    """Decide the pilot's future; returns the programme's phase afterwards."""
    record = enter_stage(context.cohort_id, "transition")
    if record.state in {"approved", "rejected"}:
        return "bau" if record.state == "approved" else "pilot"
    if running_from_deployment():
        return decide_transition(context, record.stage_run_id, suspend=True)
    return transition_gate(context, record.stage_run_id)


@flow(name="transition-to-bau", flow_run_name="{context.cohort}-transition-to-bau")
def transition_gate(context: CohortContext, stage_run_id: int) -> str:
    return decide_transition(context, stage_run_id, suspend=False)


def decide_transition(context: CohortContext, stage_run_id: int, *, suspend: bool) -> str:
    evidence = evaluation_evidence(context.cohort_id)
    store_stage_output(stage_run_id, {"evidence": evidence})
    approvers = transition_approvers(context.programme)
    form = TransitionDecision.with_initial_data(
        description=transition_description(context.cohort, evidence, approvers), decision="approve", approver=""
    )
    verdict = await_decision(
        context, gate="transition", stage_run_id=stage_run_id, round=1, form=form,
        check=lambda answer: transition_refusal(context.programme, answer), approvers=approvers,
        summary=evidence, suspend=suspend,
    )
    return apply_transition(context.cohort_id, stage_run_id, verdict.answer)
