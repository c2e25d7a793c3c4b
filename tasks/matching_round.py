"""The matching stage's work: run the engine on trained people, store the run and the proposed pairs,
and after approval introduce each pair."""

import time

from models.choices import cohort_choices
from models.matches import activate_proposed, cohort_matches, replace_proposed
from models.matching_runs import diff_pairs, latest_matching_run, record_matching_run, run_result
from models.domain import MatchResult, ParticipantProfile
from models.tables import MatchingRun
from models.outbox import EmailRequest
from models.participants import cohort_profiles, set_status
from models.stage_outputs import MatchingOutcome, PairLine
from tasks.calendar_plan import cohort_calendar
from tasks.cohort_context import CohortContext
from tasks.match_requests import parse_match_requests
from tasks.matching.engine import inputs_hash, match_participants
from tasks.runtime import get_runtime
from tasks.step import step

MENTEE_STATUSES = ("trained", "untrained", "matched", "unmatched")


def agreement(mentee: ParticipantProfile, mentor: ParticipantProfile, context: CohortContext) -> dict:
    cadence = context.programme.calendar.meetings
    shared = [t for t in mentee.topics if t in set(mentor.topics)]
    return {
        "goals": shared or mentee.topics,
        "meeting_frequency": f"{cadence.every}, {cadence.minutes} minutes",
        "months": context.programme.calendar.relationship_months,
    }


@step(name="run-matching")
def run_matching(context: CohortContext, comment: str | None) -> MatchingOutcome:
    runtime = get_runtime()
    runtime.clock.advance_to(cohort_calendar(context.programme).matching_at)
    requests = parse_match_requests(comment)
    policy = requests.apply_to(context.programme.matching)
    with runtime.session() as session:
        mentees = cohort_profiles(session, cohort_id=context.cohort_id, roles=["mentee"], statuses=MENTEE_STATUSES)
        mentors = cohort_profiles(session, cohort_id=context.cohort_id, roles=["mentor"], statuses=("trained", "matched", "unmatched"))
        previous = latest_matching_run(session, cohort_id=context.cohort_id)
        choices = mentee_choices(session, context, policy.mode)
        run, result, rows = match_and_propose(
            session, context, mentees, mentors, policy, purpose="initial",
            pinned=requests.pinned, forbidden=requests.forbidden, choices=choices,
        )
        by_id = {p.participation_id: p for p in mentees + mentors}
        diff = diff_pairs(run_result(previous).pairs, result.pairs) if previous else None
        return outcome(run.id, policy.mode, result, rows, by_id, diff, requests.problems)


def mentee_choices(session, context: CohortContext, mode: str) -> dict[int, list[int]] | None:
    """Imported choices when there are any; None (simulate them) for a simulated cohort without;
    for a real cohort without, an empty ranking, so the run says who has not chosen yet."""
    if mode == "assigned":
        return None
    stored = cohort_choices(session, cohort_id=context.cohort_id)
    if stored or context.simulated:
        return stored or None
    return {}


def match_and_propose(
    session, context: CohortContext, mentees: list[ParticipantProfile], mentors: list[ParticipantProfile], policy,
    *, purpose: str, pinned=(), forbidden=(), exclude=(), capacity_left=None, choices=None,
) -> tuple[MatchingRun, MatchResult, list]:
    """Run the engine, keep the run in the history, and store its pairs as proposed."""
    now = get_runtime().clock.now()
    started = time.perf_counter()
    result = match_participants(
        mentees, mentors, policy, pinned=pinned, forbidden=forbidden, exclude=exclude, capacity_left=capacity_left,
        choices=choices, suppress_below=context.programme.evaluation.suppress_below,
    )
    run = record_matching_run(
        session, cohort_id=context.cohort_id, purpose=purpose, mode=policy.mode, result=result,
        inputs_hash=inputs_hash(mentees, mentors, policy, pinned, forbidden, exclude, choices=choices),
        weights=policy.weights.model_dump(), size={"mentees": len(mentees), "mentors": len(mentors)},
        seconds=time.perf_counter() - started, now=now,
    )
    by_id = {p.participation_id: p for p in mentees + mentors}
    rows = replace_proposed(session, cohort_id=context.cohort_id, run_id=run.id, now=now, pairs=[
        {"mentor_id": p.mentor_id, "mentee_id": p.mentee_id, "score": p.score, "explanation": p.explanation,
         "agreement": agreement(by_id[p.mentee_id], by_id[p.mentor_id], context)}
        for p in result.pairs
    ])
    return run, result, rows


def outcome(run_id, mode, result: MatchResult, rows, by_id, diff, problems: list[str]) -> MatchingOutcome:
    return MatchingOutcome(
        run_id=run_id,
        mode=mode,
        solver=result.solver,
        pairs=[
            PairLine(match_id=row.id, mentor=by_id[row.mentor_id].name, mentee=by_id[row.mentee_id].name,
                     score=round(row.score, 2), reason=row.explanation)
            for row in rows
        ],
        unmatched=[{"mentee": by_id[u.mentee_id].name, "why": u.why} for u in result.unmatched],
        objective=round(result.objective, 3),
        optimal=result.optimal,
        notes=result.notes + [f"rework request not understood: {p}" for p in problems],
        fairness=result.fairness,
        diff={k: len(v) for k, v in diff.items()} if diff else None,
    )


def matching_markdown(result: MatchingOutcome) -> str:
    fairness = result.fairness or {}
    diff = (
        f"\nChange from the previous run: {', '.join(f'{k} {v}' for k, v in result.diff.items())}\n" if result.diff else ""
    )
    unmatched = "\n".join(f"- {u['mentee']}: {u['why']}" for u in result.unmatched) or "- none"
    notes = "\n".join(f"- {n}" for n in result.notes) or "- none"
    return f"""# Matching run {result.run_id} ({result.mode})
**{len(result.pairs)} pairs** · total score {result.objective:g} · solver {result.solver} · {"optimal" if result.optimal else "near-optimal"}
· hard-rule violations: {fairness.get("hard_rule_violations", "n/a")} · mentors unused: {fairness.get("mentors_unused", "n/a")}
{diff}
## Unmatched mentees
{unmatched}

## Notes
{notes}
"""


@step(name="announce-matches")
def announce_matches_task(context: CohortContext) -> list[EmailRequest]:
    """Make the approved pairs active, set who is matched, and introduce each pair to both people."""
    runtime = get_runtime()
    starts = cohort_calendar(context.programme).relationship_starts
    runtime.clock.advance_to(starts)
    emails: list[EmailRequest] = []
    with runtime.session() as session:
        activate_proposed(session, cohort_id=context.cohort_id, started_at=starts)
        matches = cohort_matches(session, cohort_id=context.cohort_id, statuses=("active",))
        matched_ids = {m.mentor_id for m in matches} | {m.mentee_id for m in matches}
        set_status(session, participation_ids=matched_ids, status="matched")
        waiting = cohort_profiles(session, cohort_id=context.cohort_id, roles=["mentee"], statuses=("trained", "untrained"))
        set_status(session, participation_ids=[m.participation_id for m in waiting], status="unmatched",
                   reason="no suitable mentor this cohort")
        emails.extend(introduction_emails(context, matches, stage="matching"))
        for mentee in waiting:
            emails.append(unmatched_email(context, mentee, stage="matching",
                                          why="we could not find a trained mentor who fits your goals this time"))
    return emails


def introduction_emails(context: CohortContext, matches, *, stage: str) -> list[EmailRequest]:
    """Introduce each pair to both people (matches with mentor and mentee loaded)."""
    emails = []
    for match in matches:
        for me, partner, role in ((match.mentee, match.mentor, "mentee"), (match.mentor, match.mentee, "mentor")):
            emails.append(context.email(
                (stage, "introduction", match.id, me.person.email),
                to=me.person.email, name=me.person.name, template="match_introduction",
                extra={"role": role, "partner_name": partner.person.name, "partner_email": partner.person.email,
                       "reasons": match.explanation.split("; "), "goals": match.agreement.get("goals", []),
                       "meeting_frequency": match.agreement.get("meeting_frequency", ""),
                       "months": context.programme.calendar.relationship_months},
            ))
    return emails


def unmatched_email(context: CohortContext, mentee: ParticipantProfile, *, stage: str, why: str) -> EmailRequest:
    return context.email((stage, "unmatched", mentee.email), to=mentee.email, name=mentee.name,
                         template="unmatched_notice", extra={"why": why})
