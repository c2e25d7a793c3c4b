"""Simulated participant behaviour for demo cohorts: attendance, meetings and survey answers.

Deterministic for a seed, so a demo run can be repeated and re-entered with the same result.
Real cohorts import these records instead.
"""

import random
from datetime import datetime, timedelta

from models.programme import ProgrammeDefinition

COMMENTS = {
    "mentee": [
        "Having someone outside my team to think out loud with made a real difference.",
        "We set goals at the first meeting and kept coming back to them.",
        "I now put myself forward for things I would not have applied for a year ago.",
        "Meetings were sometimes hard to schedule around shifts.",
        "My mentor introduced me to people I would never have met otherwise.",
    ],
    "mentor": [
        "I learned as much about the organisation as my mentee did.",
        "The training day gave me a useful structure for the first sessions.",
        "More guidance on closing the relationship would help.",
    ],
}


def rng_for(seed: int, *parts: object) -> random.Random:
    return random.Random(f"{seed}:" + ":".join(str(p) for p in parts))


def attended(seed: int, participation_id: int, session_name: str, *, required: bool) -> bool:
    return rng_for(seed, "attend", participation_id, session_name).random() < (0.95 if required else 0.7)


def meeting_times(seed: int, match_id: int, start: datetime, end: datetime, per_month: float) -> list[datetime]:
    """Meetings a pair held between two moments; about one pair in ten stalls after a month or two."""
    rng = rng_for(seed, "meetings", match_id)
    stalls = rng.random() < 0.1
    stall_after = start + timedelta(days=rng.randint(20, 70))
    gap = timedelta(days=30 / per_month)
    times, moment = [], start + timedelta(days=rng.randint(3, 14))
    while moment < end:
        if not (stalls and moment > stall_after) and rng.random() < 0.92:
            times.append(moment)
        moment += gap + timedelta(days=rng.randint(-4, 4))
    return times


def responds(seed: int, participation_id: int, survey: str) -> bool:
    return rng_for(seed, "responds", participation_id, survey).random() < 0.9


def survey_answers(seed: int, participation_id: int, role: str, survey: str, programme: ProgrammeDefinition) -> dict:
    """Answers in the shape the responses CSV takes: ratings 1-5 keyed by item, outcomes yes/no as bools."""
    rng = rng_for(seed, "answers", participation_id)
    baseline = {item.key: rng.choice([1, 2, 2, 3, 3, 3]) for item in programme.evaluation.ratings}
    if survey == "pre":
        return dict(baseline)
    rng = rng_for(seed, "answers", participation_id, survey)
    if survey == "midpoint":
        return {"satisfaction": rng.choice([2, 3, 4, 4, 5, 5]), "meetings_on_track": rng.random() < 0.85}
    answers: dict = {
        key: max(1, min(5, value + rng.choice([-1, 0, 1, 1, 1, 2, 2]))) for key, value in baseline.items()
    }
    answers |= {outcome.key: rng.random() < 0.35 for outcome in programme.evaluation.outcomes}
    answers |= {
        "would_recommend": rng.random() < 0.95,
        "satisfaction": rng.choice([3, 4, 4, 5, 5, 5]),
        "goals_reached": rng.choice(["yes", "yes", "partly", "yes", "no"]),
        "comments": rng.choice(COMMENTS.get(role, COMMENTS["mentee"])),
    }
    return answers
