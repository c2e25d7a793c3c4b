"""What the cohort's records show against MENTOR's Elements of Effective Practice and the ISMPE headings."""

from models.evaluation_data import EvaluationData
from models.programme import STAGES
from tasks.evaluation.funnel import COMPLETED_MATCH, current_pairs, furthest_stage
from tasks.evaluation.measures import response_rate
from tasks.evaluation.report import ObjectiveResult, PrePostChange, Relationships, ResponseRate, StandardEvidence

EEP = "MENTOR Elements of Effective Practice"
ISMPE = "ISMPE"
FREQUENCY_KEYS = ("meeting_frequency", "frequency", "cadence", "meetings")


def _trained_before(data: EvaluationData, role: str) -> tuple[int, int]:
    """(matched people of `role` who attended initial training before their first match, matched people)."""
    first_match = {}
    for match in data.matches:
        pid = match.mentor_id if role == "mentor" else match.mentee_id
        if pid not in first_match or (match.started_at and first_match[pid] and match.started_at < first_match[pid]):
            first_match[pid] = match.started_at
    trained = set()
    for record in data.attendance:
        if record.attended and record.kind == "initial" and record.participation_id in first_match:
            starts, matched = record.starts_at, first_match[record.participation_id]
            if starts is None or matched is None or _naive(starts) <= _naive(matched):
                trained.add(record.participation_id)
    return len(trained), len(first_match)


def _naive(moment):
    return moment.replace(tzinfo=None)


def _agreed(data: EvaluationData) -> tuple[int, int]:
    pairs = current_pairs(data)
    agreed = sum(bool(m.agreement.get("goals")) and any(m.agreement.get(k) for k in FREQUENCY_KEYS) for m in pairs)
    return agreed, len(pairs)


def standards_evidence(
    data: EvaluationData,
    *,
    rates: list[ResponseRate],
    changes: list[PrePostChange],
    relationships: Relationships,
    objectives: list[ObjectiveResult],
) -> list[StandardEvidence]:
    reach = furthest_stage(data)
    applied = [p for p in data.participants if reach[p.participation_id] >= 0]
    decided = [p for p in applied if reach[p.participation_id] >= 1 or p.status == "ineligible"]
    eligible = sum(reach[p.participation_id] >= 1 for p in applied)
    target = data.programme.audience.target_pairs
    mentors_trained, mentors_matched = _trained_before(data, "mentor")
    mentees_trained, mentees_matched = _trained_before(data, "mentee")
    agreed, pairs = _agreed(data)
    mid = data.midpoint
    closed = sum(m.status in {COMPLETED_MATCH, "ended_early"} or m.closed_at is not None for m in current_pairs(data))
    evidence = [
        StandardEvidence(
            frameworks=[f"{EEP}: 1 Recruitment", f"{ISMPE}: Selection and matching"],
            heading="Recruitment against target",
            shows=f"{relationships.pairs} pairs matched against a target of {target}; {len(applied)} people applied",
            source="participations and the programme's target", ok=relationships.pairs >= target,
        ),
        StandardEvidence(
            frameworks=[f"{EEP}: 2 Screening", f"{ISMPE}: Selection and matching"],
            heading="Every applicant screened for eligibility",
            shows=f"{len(decided)}/{len(applied)} decided ({eligible} eligible, {len(decided) - eligible} not eligible)",
            source="participation statuses", ok=len(decided) == len(applied),
        ),
        StandardEvidence(
            frameworks=[f"{EEP}: 3 Training", f"{ISMPE}: Training and briefing"],
            heading="Every mentor trained before being matched",
            shows=f"{mentors_trained}/{mentors_matched}", source="training attendance and matches",
            ok=mentors_trained == mentors_matched,
        ),
        StandardEvidence(
            frameworks=[f"{EEP}: 3 Training", f"{ISMPE}: Training and briefing"],
            heading="Every mentee inducted before being matched",
            shows=f"{mentees_trained}/{mentees_matched}", source="training attendance and matches",
            ok=mentees_trained == mentees_matched,
        ),
        StandardEvidence(
            frameworks=[f"{EEP}: 4 Matching and initiating", f"{ISMPE}: Selection and matching"],
            heading="Each pair agreed goals and a meeting frequency",
            shows=f"{agreed}/{pairs}", source="match agreements", ok=agreed == pairs,
        ),
        StandardEvidence(
            frameworks=[f"{EEP}: 5 Monitoring and support", f"{ISMPE}: Processes for measurement and review"],
            heading="Relationship problems spotted and acted on at midpoint",
            shows=(
                f"{mid.flagged} flagged, {mid.reenergised} re-energised, {mid.rematched} re-matched, "
                f"{mid.closed_early} closed early"
            ),
            source=mid.source, ok=mid.reviewed,
        ),
        StandardEvidence(
            frameworks=[f"{EEP}: 5 Monitoring and support"],
            heading="Pairs meeting at the agreed frequency",
            shows=(
                f"{relationships.pairs_meeting_cadence}/{relationships.pairs} pairs; "
                f"{relationships.meetings_held} of {relationships.meetings_expected:.0f} agreed meetings held"
            ),
            source="meeting records and match agreements",
        ),
    ]
    midpoint_rate = response_rate(rates, survey="midpoint")
    if midpoint_rate is not None:
        evidence.append(StandardEvidence(
            frameworks=[f"{EEP}: 5 Monitoring and support"], heading="Midpoint check-in answered",
            shows=f"{midpoint_rate.responded}/{midpoint_rate.invited}", source="midpoint survey responses",
        ))
    evidence.append(StandardEvidence(
        frameworks=[f"{EEP}: 6 Closure"], heading="Closure held for every relationship",
        shows=f"{closed}/{relationships.pairs} relationships formally closed; closure stage {data.stage_states.get('closure', 'not run')}",
        source="match closure records and the closure stage", ok=closed == relationships.pairs,
    ))
    pre, post = response_rate(rates, survey="pre"), response_rate(rates, survey="post")
    paired = max((c.n_pairs for c in changes if c.role == "mentee"), default=0)
    evidence.append(StandardEvidence(
        frameworks=[f"{ISMPE}: Processes for measurement and review"],
        heading="Outcomes measured before and after",
        shows=(
            f"pre survey {pre.responded if pre else 0}/{pre.invited if pre else 0}, "
            f"post survey {post.responded if post else 0}/{post.invited if post else 0}; {paired} mentees paired"
        ),
        source="survey responses", ok=paired > 0,
    ))
    met = sum(o.met for o in objectives)
    evidence.append(StandardEvidence(
        frameworks=[f"{ISMPE}: Clarity of purpose"], heading="SMART objectives set at scoping and measured",
        shows=f"{len(objectives)} objectives, each with a measure and a target; {met}/{len(objectives)} met",
        source="the programme file and this evaluation",
    ))
    with_data = sum(bool(p.demographics) for p in data.participants)
    evidence.append(StandardEvidence(
        frameworks=[f"{ISMPE}: Maintaining high standards of ethics and care"],
        heading="Demographic data held with consent and reported only in groups",
        shows=(
            f"{with_data}/{len(data.participants)} participants gave consented answers; "
            f"groups under {data.programme.evaluation.suppress_below} suppressed"
        ),
        source="consented demographic records",
    ))
    accepted = {g.stage for g in data.gate_decisions if g.accepted and g.decision == "approve"}
    refused = sum(not g.accepted for g in data.gate_decisions)
    evidence.append(StandardEvidence(
        frameworks=[f"{ISMPE}: Administration and support"], heading="Each stage approved at its gate by a named approver",
        shows=f"{len(accepted & {s.value for s in STAGES})}/{len(STAGES)} stages approved; {refused} decision(s) by non-approvers refused",
        source="gate decisions",
    ))
    return evidence
