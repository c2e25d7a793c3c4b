"""A small fixed cohort for the evaluation tests; every expected figure is worked out by hand in the tests.

Mentees 1-16, mentors 101-113. Confidence pre→post for mentees 1-8 (paired):
2→4, 3→3, 2→3, 1→3, 3→2, 2→4, 3→3, 2→5 (differences 2, 0, 1, 2, -1, 2, 0, 3);
mentees 9 and 10 answered only the pre survey, mentee 11 only the post.
"""

from datetime import UTC, datetime
from pathlib import Path

from models.evaluation_data import (
    AttendanceRecord,
    EvaluationData,
    GateRecord,
    MatchRecord,
    MidpointActions,
    ParticipantRecord,
)
from models.programme import Objective
from models.programme_file import load_programme

PROGRAMME_FILE = Path(__file__).resolve().parents[2] / "config" / "programmes" / "demo-pilot.yaml"
TRAINING_DAY = datetime(2027, 2, 22, 9, tzinfo=UTC)
MATCH_DAY = datetime(2027, 3, 1, 9, tzinfo=UTC)

# one person each holds these values: they must never appear in any output
UNIQUE_VALUES = ("Non-binary", "Pacific Islander")

OBJECTIVES = [
    Objective(id="pairs", description="Match at least 10 pairs", measure="pairs_matched", target=10),
    Objective(id="matching", description="Match 80% of eligible mentees", measure="match_rate", target=0.8),
    Objective(id="completion", description="85% of pairs complete", measure="completion_rate", target=0.85),
    Objective(id="responses", description="70% answer the post survey", measure="response_rate", item="post", target=0.7),
    Objective(id="recommend", description="90% would recommend", measure="would_recommend_share", target=0.9),
    Objective(id="confidence", description="60% gain confidence", measure="improved_share", item="confidence", target=0.6),
    Objective(id="confidence_change", description="+1 point confidence", measure="mean_change", item="confidence", target=1.0),
    Objective(id="promotion", description="Half promoted", measure="outcome_share", item="promoted", target=0.5),
]

MENTEE_STATUS = {
    **{pid: "completed" for pid in range(1, 9)},
    9: "matched", 10: "completed", 11: "matched", 12: "withdrawn",
    13: "ineligible", 14: "applied", 15: "invited", 16: "unmatched",
}
MENTOR_STATUS = {
    **{pid: "completed" for pid in range(101, 109)},
    109: "matched", 110: "matched", 111: "completed", 112: "matched", 113: "untrained",
}
ETHNICITY = {
    **{pid: "Black British" for pid in range(1, 6)},
    **{pid: "Asian British" for pid in range(6, 12)},
    **{pid: "Mixed" for pid in (12, 13, 14, 16)},  # a group of 4: must be suppressed
    15: "Arab",
    **{pid: "White British" for pid in range(101, 107)},
    **{pid: "Asian British" for pid in range(107, 113)},
    113: "Pacific Islander",
}
GENDER = {**{pid: "Woman" for pid in range(1, 11)}, **{pid: "Man" for pid in (11, 12, 13, 14)}, 16: "Non-binary"}
CONFIDENCE = {1: (2, 4), 2: (3, 3), 3: (2, 3), 4: (1, 3), 5: (3, 2), 6: (2, 4), 7: (3, 3), 8: (2, 5), 9: (2, None), 10: (3, None), 11: (None, 4)}
RECOMMEND = {**{pid: True for pid in (1, 2, 3, 4, 6, 7, 8, 11)}, 5: False, **{pid: True for pid in range(101, 108)}, 108: False}
SATISFACTION = {1: 5, 2: 4, 3: 4, 4: 5, 5: 2, 6: 5, 7: 4, 8: 5, 11: 4, **{pid: 4 for pid in range(101, 109)}}
PROMOTED_POST = {1: True, 2: False, 3: False, 4: True, 5: False, 6: False, 7: False, 8: True, 11: False}
GOALS = {1: "yes", 2: "partly", 3: "yes", 4: "yes", 5: "no", 6: "yes", 7: "partly", 8: "yes", 11: "yes"}
COMMENTS = {1: "My mentor helped me prepare for interviews", 5: "We struggled to find time", 101: "A rewarding year"}


def _participants() -> list[ParticipantRecord]:
    people = []
    for pid, status in {**MENTEE_STATUS, **MENTOR_STATUS}.items():
        demographics = {"ethnicity": ETHNICITY[pid]}
        if pid in GENDER:
            demographics["gender"] = GENDER[pid]
        people.append(ParticipantRecord(participation_id=pid, role="mentee" if pid < 100 else "mentor", status=status, demographics=demographics))
    return people


def _matches(eighth_pair_status: str) -> list[MatchRecord]:
    monthly = {"goals": ["leadership"], "meeting_frequency": "monthly"}
    held = [12, 12, 10, 12, 6, 12, 12, 12]
    matches = [
        MatchRecord(match_id=i, mentor_id=100 + i, mentee_id=i, status="closed", agreement=monthly,
                    meetings_held=held[i - 1], months_active=12, started_at=MATCH_DAY)
        for i in range(1, 9)
    ]
    matches[7].status = eighth_pair_status
    matches += [
        MatchRecord(match_id=9, mentor_id=109, mentee_id=9, status="ended_early", agreement={"goals": ["policy"]},
                    meetings_held=2, months_active=4, started_at=MATCH_DAY),
        MatchRecord(match_id=10, mentor_id=110, mentee_id=10, status="rematched", agreement=monthly,
                    meetings_held=1, months_active=3, started_at=MATCH_DAY),
        MatchRecord(match_id=11, mentor_id=111, mentee_id=10, status="closed",
                    agreement={"goals": ["finance"], "meeting_frequency": "fortnightly"},
                    meetings_held=8, months_active=8, started_at=MATCH_DAY),
        MatchRecord(match_id=12, mentor_id=112, mentee_id=11, status="active", agreement={},
                    meetings_held=5, months_active=6, started_at=MATCH_DAY),
    ]
    return matches


def _responses() -> dict[str, dict[int, dict]]:
    pre, post = {}, {}
    for pid, (before, after) in CONFIDENCE.items():
        if before is not None:
            pre[pid] = {"confidence": before}
        if after is not None:
            post[pid] = {"confidence": after}
    for pid in SATISFACTION:
        answers = post.setdefault(pid, {})
        answers.update(would_recommend=RECOMMEND[pid], satisfaction=SATISFACTION[pid])
        if pid in PROMOTED_POST:
            answers.update(promoted=PROMOTED_POST[pid], goals_reached=GOALS[pid], meetings_held=10)
        if pid in COMMENTS:
            answers["comments"] = COMMENTS[pid]
    followup = {2: {"promoted": True}, 6: {"promoted": True}}
    return {"pre": pre, "post": post, "followup": followup}


def _attendance() -> list[AttendanceRecord]:
    mentors = [
        AttendanceRecord(participation_id=pid, session_name="Mentor training day", audience="mentors", kind="initial",
                         required=True, attended=pid != 112, starts_at=TRAINING_DAY)
        for pid in range(101, 113)
    ]
    mentees = [
        AttendanceRecord(participation_id=pid, session_name="Mentee induction", audience="mentees", kind="initial",
                         required=True, attended=True, starts_at=TRAINING_DAY)
        for pid in [*range(1, 13), 16]
    ]
    return mentors + mentees


def evaluation_cohort(*, name: str = "spring-2027", eighth_pair_status: str = "closed", min_n_for_test: int = 10) -> EvaluationData:
    programme = load_programme(PROGRAMME_FILE)
    plan = programme.evaluation.model_copy(update={"min_n_for_test": min_n_for_test})
    programme = programme.model_copy(update={"objectives": OBJECTIVES, "evaluation": plan})
    return EvaluationData(
        cohort_id=1 if name == "spring-2027" else 2,
        cohort_name=name,
        programme=programme,
        participants=_participants(),
        responses=_responses(),
        matches=_matches(eighth_pair_status),
        attendance=_attendance(),
        midpoint=MidpointActions(reviewed=True, flagged=3, reenergised=2, rematched=1, closed_early=1),
        stage_states={"closure": "approved"},
        gate_decisions=[GateRecord(stage="scoping", decision="approve", accepted=True),
                        GateRecord(stage="matching", decision="approve", accepted=False)],
    )
