"""Pilot to business-as-usual: the toolkit's checklist, checked, and the programme's phase changed."""

from prefect.client.orchestration import get_client
from prefect.exceptions import ObjectNotFound

from models.cohorts import cohort_by_id
from models.programme import ProgrammeDefinition
from models.stage_runs import latest_stage_run
from tasks.deployments import deployment_name
from tasks.runtime import get_runtime
from tasks.step import step

CHECKLIST = {
    "in_house_owner": "an in-house owner is named (governance moves from the pilot team to the organisation)",
    "funding_confirmed": "funding is confirmed",
    "admin_hours_per_week": "admin time is allocated (hours a week above 0)",
    "mentor_recruitment_and_training": "ongoing mentor recruitment and training is planned",
    "promotion_to_future_mentees": "promotion to future mentees is planned",
}


def transition_approvers(programme: ProgrammeDefinition) -> list[str]:
    named = [str(a).lower() for a in programme.governance.transition_approvers]
    return named or [str(programme.governance.sponsor.email).lower()]


def missing_checklist(answer: dict) -> list[str]:
    missing = []
    for field, meaning in CHECKLIST.items():
        value = answer.get(field)
        if field == "admin_hours_per_week":
            if not isinstance(value, int | float) or value <= 0:
                missing.append(meaning)
        elif field == "funding_confirmed":
            if value is not True:
                missing.append(meaning)
        elif not str(value or "").strip():
            missing.append(meaning)
    return missing


def transition_refusal(programme: ProgrammeDefinition, answer: dict) -> str | None:
    approver = (answer.get("approver") or "").strip().lower()
    allowed = transition_approvers(programme)
    if answer.get("decision") not in ("approve", "reject"):
        return f"decision must be approve or reject, not {answer.get('decision')!r}"
    if approver not in allowed:
        return f"{approver or 'nobody'} may not decide the transition (approvers: {', '.join(allowed)})"
    if answer["decision"] == "reject" and not (answer.get("comment") or "").strip():
        return "say why in the comment: the reasons are kept with the pilot"
    if answer["decision"] == "approve" and (missing := missing_checklist(answer)):
        return "the checklist is not complete: " + "; ".join(missing)
    return None


def evidence_summary(evaluation_output: dict | None) -> str:
    if not evaluation_output:
        return "No evaluation output found."
    objectives = evaluation_output.get("objectives", [])
    met = sum(1 for o in objectives if o.get("met"))
    lines = [f"- {'✔' if o.get('met') else '✘'} {o.get('description')}: {o.get('actual_display', '')} "
             f"(target {o.get('target_display', o.get('target'))})" for o in objectives]
    return (f"**Evaluation evidence**: {met} of {len(objectives)} objectives met.\n\n" + "\n".join(lines)
            + f"\n\n{evaluation_output.get('headline', '')}")


def transition_description(cohort: str, evidence: str, approvers: list[str]) -> str:
    checklist = "\n".join(f"- {meaning}" for meaning in CHECKLIST.values())
    return (f"## {cohort}: transition to business-as-usual\n\n{evidence}\n\n### Checklist (all needed to approve)\n"
            f"{checklist}\n\n`approve` makes the programme BAU and turns its annual schedule on; `reject` keeps the "
            f"pilot phase (say why in the comment). Approvers: {', '.join(approvers)}.")


@step(name="evaluation-evidence")
def evaluation_evidence(cohort_id: int) -> str:
    with get_runtime().session() as session:
        stage_run = latest_stage_run(session, cohort_id=cohort_id, stage="evaluation")
        return evidence_summary(stage_run.output if stage_run else None)


@step(name="apply-transition")
def apply_transition(cohort_id: int, stage_run_id: int, answer: dict) -> str:
    """Approve: the programme becomes BAU with its schedule on. Reject: it stays a pilot. Keep the checklist."""
    runtime = get_runtime()
    with runtime.session() as session:
        programme = cohort_by_id(session, cohort_id=cohort_id).programme
        if answer["decision"] == "approve":
            programme.phase, programme.schedule_active = "bau", True
        stage_run = latest_stage_run(session, cohort_id=cohort_id, stage="transition")
        stage_run.output = (stage_run.output or {}) | {"checklist": answer}
        phase, slug = programme.phase, programme.slug
    if phase == "bau":
        activate_annual_schedule(slug)
    return phase


def activate_annual_schedule(slug: str) -> bool:
    """Turn on the served deployment's annual schedule now; `mentorflow serve` also reads the phase at start."""
    try:
        with get_client(sync_client=True) as client:
            deployment = client.read_deployment_by_name(deployment_name(slug))
            for schedule in deployment.schedules:
                client.update_deployment_schedule(deployment.id, schedule.id, active=True)
    except ObjectNotFound:
        return False
    return True
