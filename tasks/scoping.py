"""Scoping: the programme charter, checked for what an approver needs before recruitment opens."""

from models.outbox import EmailRequest
from models.programme import ProgrammeDefinition
from models.stage_outputs import Charter, ObjectiveLine
from tasks.cohort_context import CohortContext


def charter_from_programme(programme: ProgrammeDefinition) -> Charter:
    governance = programme.governance
    return Charter(
        programme=programme.name,
        organisation=programme.organisation,
        phase=programme.phase.value,
        aims=programme.aims,
        objectives=[
            ObjectiveLine(id=o.id, description=o.description, measure=o.measure, target=o.target, by=o.by)
            for o in programme.objectives
        ],
        audience=programme.audience.description,
        target_pairs=programme.audience.target_pairs,
        sponsor=f"{governance.sponsor.name} <{governance.sponsor.email}>",
        programme_manager=f"{governance.programme_manager.name} <{governance.programme_manager.email}>",
        steering_committee=[f"{c.name} <{c.email}>" for c in governance.steering_committee],
        approvers={stage.value: [str(a) for a in rule.approvers] for stage, rule in governance.gates.items()},
        drivers=programme.drivers,
        barriers=programme.barriers,
        budget=programme.budget,
        admin_hours_per_week=programme.admin_hours_per_week,
        problems=charter_problems(programme),
    )


def charter_problems(programme: ProgrammeDefinition) -> list[str]:
    """Gaps the toolkit says to settle at scoping; the schema already rejects what is invalid."""
    problems = []
    if not programme.budget:
        problems.append("no budget stated")
    if programme.admin_hours_per_week is None:
        problems.append("no administration time stated")
    if not programme.drivers:
        problems.append("no drivers recorded (why the organisation wants the scheme)")
    if not programme.barriers:
        problems.append("no barriers recorded (what could stop people taking part)")
    sponsor = str(programme.governance.sponsor.email).lower()
    if sponsor not in {str(c.email).lower() for c in programme.governance.steering_committee}:
        problems.append("the sponsor is not on the steering committee")
    return problems


def charter_markdown(charter: Charter) -> str:
    objectives = "\n".join(
        f"| {o.id} | {o.description} | {o.measure} | {o.target:g} | {o.by} |" for o in charter.objectives
    )
    approvers = "\n".join(f"| {stage} | {', '.join(emails)} |" for stage, emails in charter.approvers.items())
    problems = "\n".join(f"- ⚠ {p}" for p in charter.problems) or "- none: the charter is complete"
    return f"""# Charter: {charter.programme}
**Organisation**: {charter.organisation} · **phase**: {charter.phase} · **target**: {charter.target_pairs} pairs

## Aims
{chr(10).join(f"- {aim}" for aim in charter.aims)}

## SMART objectives
| id | objective | measure | target | by |
|---|---|---|---|---|
{objectives}

## Audience
{charter.audience}

## Governance
- Sponsor: {charter.sponsor}
- Programme manager: {charter.programme_manager}
- Steering committee: {", ".join(charter.steering_committee)}

| gate | approvers |
|---|---|
{approvers}

## Budget and admin time
- Budget: {charter.budget or "not stated"}
- Admin time: {f"{charter.admin_hours_per_week:g} hours a week" if charter.admin_hours_per_week is not None else "not stated"}

## Open points
{problems}
"""


def charter_emails(context: CohortContext, charter: Charter) -> list[EmailRequest]:
    programme = context.programme
    return [
        context.email(
            ("scoping", "charter", str(member.email).lower()),
            to=str(member.email),
            name=member.name,
            template="charter_published",
            extra={
                "aims": charter.aims,
                "objectives": [{"description": o.description, "target": f"{o.target:g}", "by": o.by} for o in charter.objectives],
                "target_pairs": charter.target_pairs,
            },
        )
        for member in programme.governance.steering_committee
    ]
