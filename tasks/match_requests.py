"""What an administrator asks of a matching rework, written in the gate's comment.

    pin mentor@org.example -> mentee@org.example
    forbid mentor@org.example -> mentee@org.example
    weight goals=8 geography=0

Statements are separated by new lines or `;`; anything else is kept as a plain remark.
"""

import re

from pydantic import BaseModel, Field

from models.programme import MatchingPolicy, Weights

PAIR = re.compile(r"^(pin|forbid)\s+(\S+@\S+)\s*(?:->|→|with)\s*(\S+@\S+)$", re.IGNORECASE)
WEIGHT = re.compile(r"^weights?\s+(.+)$", re.IGNORECASE)


class MatchRequests(BaseModel):
    pinned: list[tuple[str, str]] = Field(default_factory=list)
    forbidden: list[tuple[str, str]] = Field(default_factory=list)
    weights: dict[str, float] = Field(default_factory=dict)
    remarks: list[str] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)

    def apply_to(self, policy: MatchingPolicy) -> MatchingPolicy:
        if not self.weights:
            return policy
        return policy.model_copy(update={"weights": policy.weights.model_copy(update=self.weights)})


def parse_match_requests(comment: str | None) -> MatchRequests:
    requests = MatchRequests()
    for statement in re.split(r"[;\n]", comment or ""):
        statement = statement.strip()
        if not statement:
            continue
        if pair := PAIR.match(statement):
            kind, mentor, mentee = pair.group(1).lower(), pair.group(2).lower(), pair.group(3).lower()
            (requests.pinned if kind == "pin" else requests.forbidden).append((mentor, mentee))
        elif weights := WEIGHT.match(statement):
            parse_weights(weights.group(1), requests)
        else:
            requests.remarks.append(statement)
    return requests


def parse_weights(text: str, requests: MatchRequests) -> None:
    for assignment in text.replace(",", " ").split():
        name, _, value = assignment.partition("=")
        if name not in Weights.model_fields:
            requests.problems.append(f"unknown weight {name!r} (known: {', '.join(Weights.model_fields)})")
            continue
        try:
            number = float(value)
        except ValueError:
            requests.problems.append(f"weight {name} needs a number from 0 to 10, not {value!r}")
            continue
        if not 0 <= number <= 10:
            requests.problems.append(f"weight {name} must be from 0 to 10, not {number:g}")
            continue
        requests.weights[name] = number
