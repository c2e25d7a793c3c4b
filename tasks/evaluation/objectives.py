"""Each SMART objective against its target, with the figures behind the actual value."""

from models.evaluation_data import EvaluationData
from models.programme import Objective
from tasks.evaluation.display import decimal, percent, share_or_none, signed
from tasks.evaluation.funnel import current_pairs, furthest_stage
from tasks.evaluation.measures import find_change, find_share, response_rate
from tasks.evaluation.report import ObjectiveResult, PrePostChange, Relationships, ResponseRate, Share

SHARE_MEASURES = {
    "match_rate", "completion_rate", "response_rate", "would_recommend_share", "improved_share", "outcome_share",
}


def show_measure(measure: str, value: float | None) -> str:
    if value is None:
        return "–"
    if measure in SHARE_MEASURES:
        return percent(value)
    if measure == "mean_change":
        return signed(value)
    return f"{value:.0f}"


def match_rate(data: EvaluationData) -> tuple[int, int]:
    """(mentees matched, mentees who reached eligible)."""
    reach = furthest_stage(data)
    eligible = {p.participation_id for p in data.participants if p.role == "mentee" and reach[p.participation_id] >= 1}
    matched = {m.mentee_id for m in data.matches} & eligible
    return len(matched), len(eligible)


def objective_results(
    data: EvaluationData,
    *,
    rates: list[ResponseRate],
    changes: list[PrePostChange],
    shares: list[Share],
    relationships: Relationships,
) -> list[ObjectiveResult]:
    results = []
    for objective in data.programme.objectives:
        actual, evidence = _actual(objective, data, rates, changes, shares, relationships)
        results.append(
            ObjectiveResult(
                id=objective.id, description=objective.description, measure=objective.measure,
                item=objective.item, by=objective.by, target=objective.target, actual=actual,
                met=actual is not None and actual >= objective.target - 1e-9,
                target_display=show_measure(objective.measure, objective.target),
                actual_display=show_measure(objective.measure, actual), evidence=evidence,
            )
        )
    return results


def _actual(objective: Objective, data, rates, changes, shares, relationships) -> tuple[float | None, str]:
    measure, item = objective.measure, objective.item
    if measure == "pairs_matched":
        pairs = len(current_pairs(data))
        return float(pairs), f"{pairs} pairs matched (target {objective.target:.0f})"
    if measure == "match_rate":
        matched, eligible = match_rate(data)
        return share_or_none(matched, eligible), f"{matched} of {eligible} eligible mentees matched"
    if measure == "completion_rate":
        return relationships.completion_rate, f"{relationships.completed} of {relationships.pairs} pairs completed"
    if measure == "response_rate":
        survey = item or "post"
        rate = response_rate(rates, survey=survey)
        if rate is None:
            return None, f"no {survey} survey recorded"
        return rate.rate, f"{rate.responded} of {rate.invited} participants asked answered the {survey} survey"
    if measure == "would_recommend_share":
        share = find_share(shares, "would_recommend")
        return share.share, f"{share.numerator} of {share.denominator} participants answering the post survey"
    if measure in {"improved_share", "mean_change"}:
        change = find_change(changes, item)
        if change is None or not change.n_pairs:
            return None, f"no mentee answered {item} both before and after"
        if measure == "improved_share":
            return change.improved_share, f"{change.improved} of {change.n_pairs} paired mentees improved on {item}"
        return change.mean_change, (
            f"mean {decimal(change.pre_mean)} → {decimal(change.post_mean)} on {item} "
            f"across {change.n_pairs} paired mentees"
        )
    if measure == "outcome_share":
        share = find_share(shares, f"outcome_{item}")
        if share is None or not share.denominator:
            return None, f"no mentee answered {item}"
        return share.share, f"{share.numerator} of {share.denominator} mentees answering reported {item.replace('_', ' ')}"
    raise ValueError(f"objective {objective.id!r}: unknown measure {measure!r}")
