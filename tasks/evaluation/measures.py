"""The cohort's measures: response rates, paired pre/post change, shares, satisfaction, relationships."""

import math
import statistics
from typing import Any

from models.evaluation_data import EvaluationData, MatchRecord
from tasks.evaluation.display import share_or_none
from tasks.evaluation.funnel import COMPLETED_MATCH, SUPERSEDED, current_pairs, furthest_stage, matched_ids
from tasks.evaluation.report import PrePostChange, Relationships, ResponseRate, Satisfaction, Share

SURVEY_ORDER = ("pre", "midpoint", "post", "followup")
ROLES = ("mentee", "mentor")
TEST_NAME = "Wilcoxon signed-rank, two-sided, zero_method='pratt', normal approximation with tie correction"
CADENCE_PER_MONTH = {"weekly": 4.0, "fortnightly": 2.0, "monthly": 1.0}


def surveys_in_order(data: EvaluationData) -> list[str]:
    known = [kind for kind in SURVEY_ORDER if kind in data.responses]
    return known + sorted(kind for kind in data.responses if kind not in SURVEY_ORDER)


def response_rates(data: EvaluationData) -> list[ResponseRate]:
    """Who was asked: everyone who reached eligible for the pre survey; everyone matched for later ones.

    A respondent outside that rule was evidently asked, so they join the invited count.
    """
    reach = furthest_stage(data)
    matched = matched_ids(data)
    roles = {p.participation_id: p.role for p in data.participants}
    rates = []
    for kind in surveys_in_order(data):
        answered = set(data.responses[kind])
        asked = {pid for pid, stage in reach.items() if stage >= 1} if kind == "pre" else set(matched)
        asked |= answered & set(roles)
        for role in (*ROLES, "all"):
            invited = {pid for pid in asked if role == "all" or roles.get(pid) == role}
            responded = len(invited & answered)
            rates.append(
                ResponseRate(
                    survey=kind, role=role, invited=len(invited), responded=responded,
                    rate=share_or_none(responded, len(invited)),
                )
            )
    return rates


def response_rate(rates: list[ResponseRate], *, survey: str, role: str = "all") -> ResponseRate | None:
    return next((r for r in rates if r.survey == survey and r.role == role), None)


def _ratings(answers: dict[int, dict[str, Any]], key: str, ids: set[int]) -> dict[int, int]:
    return {
        pid: int(a[key]) for pid, a in answers.items()
        if pid in ids and isinstance(a.get(key), int | float) and not isinstance(a.get(key), bool)
    }


def _role_ids(data: EvaluationData, role: str) -> set[int]:
    return {p.participation_id for p in data.participants if p.role == role}


def pre_post_changes(data: EvaluationData) -> list[PrePostChange]:
    """Paired change per rating item, mentees always, mentors when any of them answered both."""
    changes = []
    for role in ROLES:
        ids = _role_ids(data, role)
        for item in data.programme.evaluation.ratings:
            pre = _ratings(data.responses.get("pre", {}), item.key, ids)
            post = _ratings(data.responses.get("post", {}), item.key, ids)
            paired = sorted(set(pre) & set(post))
            if role == "mentor" and not paired:
                continue
            changes.append(_paired_change(data, role, item, pre, post, paired))
    return changes


def _paired_change(data, role, item, pre: dict[int, int], post: dict[int, int], paired: list[int]) -> PrePostChange:
    differences = [post[pid] - pre[pid] for pid in paired]
    low, high = item.scale
    n = len(paired)
    test, statistic, p, note = None, None, None, ""
    minimum = data.programme.evaluation.min_n_for_test
    if n == 0:
        note = "no paired answers"
    elif n < minimum:
        note = f"no test: {n} pairs, below the minimum of {minimum}"
    elif all(d == 0 for d in differences):
        note = "no test: every paired difference is zero"
    else:
        from scipy.stats import wilcoxon  # a second to import: only when a test runs

        result = wilcoxon(differences, zero_method="pratt", method="approx")
        test, statistic, p = TEST_NAME, float(result.statistic), float(result.pvalue)
        note = f"n = {n} pairs ({sum(d == 0 for d in differences)} unchanged)"
    return PrePostChange(
        key=item.key, question=item.question, role=role, scale=item.scale,
        n_pairs=n, n_unpaired=len(set(pre) ^ set(post)),
        pre_mean=statistics.fmean(pre[pid] for pid in paired) if n else None,
        post_mean=statistics.fmean(post[pid] for pid in paired) if n else None,
        mean_change=statistics.fmean(differences) if n else None,
        median_change=float(statistics.median(differences)) if n else None,
        improved=sum(d > 0 for d in differences), unchanged=sum(d == 0 for d in differences),
        worse=sum(d < 0 for d in differences),
        improved_share=share_or_none(sum(d > 0 for d in differences), n),
        test=test, statistic=statistic, p_value=p, test_note=note,
        pre_distribution=[sum(pre[pid] == v for pid in paired) for v in range(low, high + 1)],
        post_distribution=[sum(post[pid] == v for pid in paired) for v in range(low, high + 1)],
    )


def find_change(changes: list[PrePostChange], key: str, role: str = "mentee") -> PrePostChange | None:
    return next((c for c in changes if c.key == key and c.role == role), None)


def _bool_answers(answers: dict[int, dict[str, Any]], key: str, ids: set[int]) -> list[bool]:
    return [a[key] for pid, a in answers.items() if pid in ids and isinstance(a.get(key), bool)]


def outcome_answers(data: EvaluationData, key: str) -> list[bool]:
    """Mentees' answer to an outcome, from the follow-up where they answered it, else from post."""
    mentees = _role_ids(data, "mentee")
    latest: dict[int, bool] = {}
    for kind in ("post", "followup"):
        for pid, answers in data.responses.get(kind, {}).items():
            if pid in mentees and isinstance(answers.get(key), bool):
                latest[pid] = answers[key]
    return list(latest.values())


def shares(data: EvaluationData, changes: list[PrePostChange]) -> list[Share]:
    """The seeds' style: '% who gained confidence', '% would recommend', '% promoted'."""
    result = []
    for change in changes:
        if change.role == "mentee" and change.n_pairs:
            result.append(Share(
                key=f"gained_{change.key}", label=f"gained {change.key.replace('_', ' ')}",
                population="paired mentees (pre and post)", numerator=change.improved,
                denominator=change.n_pairs, share=change.improved_share,
            ))
    post = data.responses.get("post", {})
    for role, population in (("mentee", "mentees"), ("mentor", "mentors"), ("all", "participants")):
        ids = _role_ids(data, role) if role != "all" else {p.participation_id for p in data.participants}
        answers = _bool_answers(post, "would_recommend", ids)
        result.append(Share(
            key="would_recommend" if role == "all" else f"would_recommend_{role}",
            label="would recommend", population=f"{population} answering the post survey",
            numerator=sum(answers), denominator=len(answers), share=share_or_none(sum(answers), len(answers)),
        ))
    for outcome in data.programme.evaluation.outcomes:
        answers = outcome_answers(data, outcome.key)
        result.append(Share(
            key=f"outcome_{outcome.key}", label=outcome.key.replace("_", " "),
            population="mentees answering (follow-up, else post)",
            numerator=sum(answers), denominator=len(answers), share=share_or_none(sum(answers), len(answers)),
        ))
    return result


def find_share(items: list[Share], key: str) -> Share | None:
    return next((s for s in items if s.key == key), None)


def satisfaction(data: EvaluationData) -> list[Satisfaction]:
    post = data.responses.get("post", {})
    roles = {p.participation_id: p.role for p in data.participants}
    result = []
    for role in (*ROLES, "all"):
        scores = [
            int(a["satisfaction"]) for pid, a in post.items()
            if (role == "all" or roles.get(pid) == role)
            and isinstance(a.get("satisfaction"), int | float) and not isinstance(a.get("satisfaction"), bool)
        ]
        result.append(Satisfaction(role=role, n=len(scores), mean=statistics.fmean(scores) if scores else None))
    return result


def agreed_meetings_per_month(match: MatchRecord, default: float) -> float:
    agreed = next(
        (match.agreement[k] for k in ("meeting_frequency", "frequency", "cadence", "meetings") if match.agreement.get(k)),
        None,
    )
    if isinstance(agreed, dict):
        agreed = agreed.get("every")
    if isinstance(agreed, int | float) and not isinstance(agreed, bool):
        return float(agreed)
    return CADENCE_PER_MONTH.get(str(agreed).lower(), default) if agreed else default


def relationships(data: EvaluationData) -> Relationships:
    pairs = current_pairs(data)
    default = data.programme.calendar.meetings.per_month
    expected = {m.match_id: agreed_meetings_per_month(m, default) * m.months_active for m in pairs}
    completed = sum(m.status == COMPLETED_MATCH for m in pairs)
    matched_mentees = {m.mentee_id for m in data.matches}
    goals = [
        str(a["goals_reached"]).lower() for pid, a in data.responses.get("post", {}).items()
        if pid in matched_mentees and a.get("goals_reached")
    ]
    held = sum(m.meetings_held for m in pairs)
    total_expected = sum(expected.values())
    return Relationships(
        pairs=len(pairs), completed=completed, completion_rate=share_or_none(completed, len(pairs)),
        ended_early=sum(m.status == "ended_early" for m in data.matches),
        rematched=sum(m.status == SUPERSEDED for m in data.matches),
        still_open=sum(m.status in {"active", "stalled"} for m in pairs),
        meetings_held=held, meetings_expected=round(total_expected, 1),
        meetings_ratio=held / total_expected if total_expected else None,
        pairs_meeting_cadence=sum(m.meetings_held >= math.floor(expected[m.match_id] + 1e-9) for m in pairs),
        goals_answered=len(goals),
        goals_reached={answer: goals.count(answer) for answer in ("yes", "partly", "no")},
    )
