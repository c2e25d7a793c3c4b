"""Free-text answers grouped per survey, role and question: for people to read, with nothing beside them."""

from models.evaluation_data import EvaluationData
from tasks.evaluation.measures import surveys_in_order
from tasks.evaluation.report import CommentGroup

CHOICE_KEYS = {"goals_reached"}
QUESTION_LABELS = {"comments": "Any other comments", "best_thing": "What went well", "improve": "What could be improved"}


def comment_groups(data: EvaluationData) -> list[CommentGroup]:
    structured = CHOICE_KEYS | {r.key for r in data.programme.evaluation.ratings} | {
        o.key for o in data.programme.evaluation.outcomes
    }
    roles = {p.participation_id: p.role for p in data.participants}
    groups: dict[tuple[str, str, str], list[str]] = {}
    for survey in surveys_in_order(data):
        for pid, answers in data.responses[survey].items():
            for key, value in answers.items():
                if key in structured or not isinstance(value, str) or not value.strip():
                    continue
                groups.setdefault((survey, roles.get(pid, "participant"), key), []).append(value.strip())
    return [
        CommentGroup(
            survey=survey, role=role, question=QUESTION_LABELS.get(key, key.replace("_", " ").capitalize()),
            # sorted, so the order says nothing about who answered
            comments=sorted(comments, key=str.casefold),
        )
        for (survey, role, key), comments in groups.items()
    ]
