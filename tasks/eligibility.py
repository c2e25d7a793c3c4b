"""Eligibility: does an applicant fit the programme's audience for their role? Pure logic."""

from models.domain import ParticipantProfile, Role
from models.programme import AudienceRule, ProgrammeDefinition


def audience_rule(programme: ProgrammeDefinition, role: Role) -> AudienceRule:
    return programme.audience.mentors if role == Role.mentor else programme.audience.mentees


def eligibility_reasons(profile: ParticipantProfile, programme: ProgrammeDefinition) -> list[str]:
    """Every reason the applicant is not eligible; empty when eligible."""
    rule = audience_rule(programme, profile.role)
    role = profile.role.value
    reasons = []
    if rule.grades is not None:
        grade_range = f"{rule.grades.min}–{rule.grades.max}"
        if profile.grade > rule.grades.max:
            reasons.append(f"grade {profile.grade} is above the {role} range {grade_range}")
        elif profile.grade < rule.grades.min:
            reasons.append(f"grade {profile.grade} is below the {role} range {grade_range}")
    if rule.nomination_required and not (profile.nominated_by or "").strip():
        reasons.append("nomination required: no nominated_by given")
    if rule.sectors is not None and not _listed(profile.sector, rule.sectors):
        reasons.append(f"sector {profile.sector or '(blank)'} not in the audience ({', '.join(rule.sectors)})")
    if rule.regions is not None and not _listed(profile.region, rule.regions):
        reasons.append(f"region {profile.region or '(blank)'} not in the audience ({', '.join(rule.regions)})")
    return reasons


def check_eligibility(profile: ParticipantProfile, programme: ProgrammeDefinition) -> str | None:
    """None when eligible, otherwise the reasons joined with "; " (for status_reason)."""
    reasons = eligibility_reasons(profile, programme)
    return "; ".join(reasons) if reasons else None


def _listed(value: str, allowed: list[str]) -> bool:
    return value.strip().casefold() in {a.strip().casefold() for a in allowed}
