"""Midpoint review: check in with every pair, flag the ones that stall, re-energise or re-match them."""

from datetime import datetime

from models.matches import LIVE, activate_proposed, cohort_matches, log_meetings, meeting_counts, set_match_status
from models.outbox import EmailRequest
from models.participants import cohort_profiles, set_status
from models.stage_outputs import HealthLine, MidpointReview
from models.surveys import answered, open_survey, store_answers
from tasks.calendar_plan import cohort_calendar
from tasks.cohort_context import CohortContext
from tasks.matching_round import introduction_emails, match_and_propose, unmatched_email
from tasks.runtime import get_runtime
from tasks.simulation import meeting_times, responds, survey_answers
from tasks.step import step
from tasks.training import survey_url

STALLED_SHARE = 0.5
LOW_RATING = 2


def months_between(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).days / 30.44)


def health_flag(meetings: int, expected: int, rating: float | None) -> str | None:
    if meetings < STALLED_SHARE * expected:
        return f"stalled: {meetings} of {expected} expected meetings"
    if rating is not None and rating <= LOW_RATING:
        return f"low satisfaction ({rating:g}/5)"
    return None


def action_for(flag: str | None, meetings: int) -> str | None:
    """Pairs that never really started are re-matched; others are re-energised by the programme manager."""
    if flag is None:
        return None
    return "re-match" if meetings <= 1 else "re-energise"


@step(name="review-midpoint")
def review_midpoint(context: CohortContext) -> tuple[MidpointReview, list[EmailRequest]]:
    runtime = get_runtime()
    calendar = cohort_calendar(context.programme)
    runtime.clock.advance_to(calendar.midpoint_at)
    now, cadence = runtime.clock.now(), context.programme.calendar.meetings
    emails: list[EmailRequest] = []
    with runtime.session() as session:
        matches = cohort_matches(session, cohort_id=context.cohort_id, statuses=LIVE)
        survey = open_survey(session, cohort_id=context.cohort_id, kind="midpoint", now=now)
        if context.simulated:
            log_meetings(session, minutes=cadence.minutes, meetings={
                m.id: meeting_times(context.seed, m.id, m.started_at, now, cadence.per_month) for m in matches})
            store_answers(session, survey_id=survey.id, now=now, answers={
                p.id: survey_answers(context.seed, p.id, p.role, "midpoint", context.programme)
                for m in matches for p in (m.mentor, m.mentee) if responds(context.seed, p.id, "midpoint")})
        counts = meeting_counts(session, match_ids=[m.id for m in matches], until=now)
        answers = answered(session, cohort_id=context.cohort_id, kind="midpoint")
        health: list[HealthLine] = []
        for m in matches:
            ratings = [answers[p.id]["satisfaction"] for p in (m.mentor, m.mentee) if "satisfaction" in answers.get(p.id, {})]
            rating = sum(ratings) / len(ratings) if ratings else None
            expected = max(1, round(months_between(m.started_at, now) * cadence.per_month))
            flag = health_flag(counts[m.id], expected, rating)
            health.append(HealthLine(match_id=m.id, mentor=m.mentor.person.name, mentee=m.mentee.person.name,
                                     meetings=counts[m.id], expected_meetings=expected,
                                     rating=None if rating is None else round(rating, 1),
                                     flag=flag, action=action_for(flag, counts[m.id])))
            for person, partner in ((m.mentor, m.mentee), (m.mentee, m.mentor)):
                emails.append(context.email(("midpoint", "checkin", m.id, person.person.email), to=person.person.email,
                                            name=person.person.name, template="midpoint_checkin",
                                            extra={"partner_name": partner.person.name,
                                                   "survey_url": survey_url(context, "midpoint")}))
        responders = sum(p.id in answers for m in matches for p in (m.mentor, m.mentee))
        set_match_status(session, match_ids=[h.match_id for h in health if h.action == "re-energise"], status="stalled")
        rematched, rematch_emails = rematch(session, context, [h.match_id for h in health if h.action == "re-match"], now)
        emails.extend(rematch_emails)
    for line in (h for h in health if h.action == "re-energise"):
        emails.append(context.email(
            ("midpoint", "reenergise", line.match_id), to=str(context.programme.governance.programme_manager.email),
            name=context.programme.governance.programme_manager.name, template="programme_update",
            extra={"headline": f"Pair {line.mentor} and {line.mentee} needs a conversation",
                   "body": f"{line.flag}. Please contact both people to re-energise the relationship."}))
    review = MidpointReview(
        pairs=len(matches), responses=responders,
        response_rate=round(responders / (2 * len(matches)), 3) if matches else 0.0,
        flagged=sum(h.flag is not None for h in health),
        reenergised=sum(h.action == "re-energise" for h in health),
        rematched=rematched, closed_early=sum(h.action == "re-match" for h in health) - rematched, health=health,
    )
    return review, emails


def rematch(session, context: CohortContext, match_ids: list[int], now: datetime) -> tuple[int, list[EmailRequest]]:
    """End the listed pairs and match their mentees again with mentors' remaining capacity, never the former
    partner. Returns the number re-matched, and the emails: an introduction for each new pair, a notice
    for each mentee left without a mentor."""
    if not match_ids:
        return 0, []
    ending = [m for m in cohort_matches(session, cohort_id=context.cohort_id) if m.id in set(match_ids)]
    set_match_status(session, match_ids=match_ids, status="rematched", closed_at=now)
    live = cohort_matches(session, cohort_id=context.cohort_id, statuses=LIVE)
    mentors = cohort_profiles(session, cohort_id=context.cohort_id, roles=["mentor"], statuses=("matched", "trained"))
    load = {m.mentor_id: 0 for m in live}
    for m in live:
        load[m.mentor_id] += 1
    capacity_left = {p.participation_id: max(0, p.capacity - load.get(p.participation_id, 0)) for p in mentors}
    mentee_ids = {m.mentee_id for m in ending}
    mentees = [p for p in cohort_profiles(session, cohort_id=context.cohort_id, roles=["mentee"]) if p.participation_id in mentee_ids]
    exclude = [(m.mentor_id, m.mentee_id) for m in ending]
    _, result, rows = match_and_propose(session, context, mentees, mentors, context.programme.matching,
                                        purpose="rematch", exclude=exclude, capacity_left=capacity_left)
    activate_proposed(session, cohort_id=context.cohort_id, started_at=now)
    new_ids = {row.id for row in rows}
    emails = introduction_emails(context, [m for m in cohort_matches(session, cohort_id=context.cohort_id, statuses=LIVE)
                                           if m.id in new_ids], stage="midpoint")
    unplaced = {u.mentee_id for u in result.unmatched}
    set_status(session, participation_ids=unplaced, status="unmatched",
               reason="no mentor with room at the midpoint re-match")
    emails += [unmatched_email(context, p, stage="midpoint", why="no mentor with room was free for a new match at the midpoint")
               for p in mentees if p.participation_id in unplaced]
    return len(result.pairs), emails


def midpoint_markdown(review: MidpointReview) -> str:
    flagged = "\n".join(
        f"| {h.mentor} | {h.mentee} | {h.meetings}/{h.expected_meetings} | {h.rating if h.rating is not None else '–'} | {h.flag} | {h.action} |"
        for h in review.health if h.flag
    )
    return f"""# Midpoint review
{review.pairs} pairs · check-in response rate {review.response_rate:.0%} · **{review.flagged} flagged**:
{review.reenergised} to re-energise, {review.rematched} re-matched, {review.closed_early} closed without a new mentor.

| mentor | mentee | meetings | rating | flag | action |
|---|---|---|---|---|---|
{flagged or "| – | – | – | – | none | – |"}
"""

