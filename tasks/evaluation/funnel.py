"""How far each participant got: applied → eligible → trained → matched → completed.

A participation holds one current status, so the furthest stage reached is read from the
status and from the records that prove a stage (attendance at initial training, a match,
a closed match).
"""

from models.evaluation_data import EvaluationData

FUNNEL_STAGES: tuple[str, ...] = ("applied", "eligible", "trained", "matched", "completed")

# index into FUNNEL_STAGES of the furthest stage a status proves; -1 = not applied
_STATUS_REACH = {
    "invited": -1,
    "applied": 0,
    "ineligible": 0,
    "withdrawn": 0,
    "eligible": 1,
    "untrained": 1,
    "trained": 2,
    "unmatched": 2,
    "matched": 3,
    "completed": 4,
}

# pairs that count as one relationship: a `rematched` match was replaced by a new one
SUPERSEDED = "rematched"
COMPLETED_MATCH = "closed"


def furthest_stage(data: EvaluationData) -> dict[int, int]:
    """participation id -> index of the furthest funnel stage reached (-1 when never applied)."""
    reach = {p.participation_id: _STATUS_REACH.get(p.status, 0) for p in data.participants}
    for record in data.attendance:
        if record.attended and record.kind == "initial" and record.participation_id in reach:
            reach[record.participation_id] = max(reach[record.participation_id], 2)
    for match in data.matches:
        stage = 4 if match.status == COMPLETED_MATCH else 3
        for pid in (match.mentor_id, match.mentee_id):
            if pid in reach:
                reach[pid] = max(reach[pid], stage)
    return reach


def matched_ids(data: EvaluationData) -> set[int]:
    return {pid for m in data.matches for pid in (m.mentor_id, m.mentee_id)}


def current_pairs(data: EvaluationData):
    """Relationships, not rows: a pair replaced at a re-match is not counted again."""
    return [m for m in data.matches if m.status != SUPERSEDED]
