"""Key figures of a cohort, and this cohort side by side with the previous one."""

from tasks.evaluation.display import figure, figure_change
from tasks.evaluation.measures import find_share, response_rate
from tasks.evaluation.report import ComparisonRow, EvaluationReport, KeyFigure, ObjectiveResult


def key_figures(report: EvaluationReport) -> list[KeyFigure]:
    rel = report.relationships
    figures = [
        KeyFigure(key="pairs", label="Pairs matched", value=float(rel.pairs), kind="count"),
        KeyFigure(key="completion_rate", label="Pairs completing", value=rel.completion_rate, kind="share"),
        KeyFigure(key="meetings_ratio", label="Meetings held / agreed", value=rel.meetings_ratio, kind="share"),
    ]
    match = next((o for o in report.objectives if o.measure == "match_rate"), None)
    if match is not None:
        figures.append(KeyFigure(key="match_rate", label="Eligible mentees matched", value=match.actual, kind="share"))
    for survey in ("pre", "post"):
        rate = response_rate(report.response_rates, survey=survey)
        if rate is not None:
            figures.append(KeyFigure(key=f"response_{survey}", label=f"Response rate, {survey} survey", value=rate.rate, kind="share"))
    for change in report.pre_post:
        if change.role != "mentee":
            continue
        name = change.key.replace("_", " ")
        figures.append(KeyFigure(key=f"post_mean_{change.key}", label=f"Mentees' {name}, mean after", value=change.post_mean, kind="mean"))
        figures.append(KeyFigure(key=f"mean_change_{change.key}", label=f"Mentees' {name}, mean change", value=change.mean_change, kind="change"))
        figures.append(KeyFigure(key=f"gained_{change.key}", label=f"Mentees who gained {name}", value=change.improved_share, kind="share"))
    recommend = find_share(report.shares, "would_recommend")
    if recommend is not None:
        figures.append(KeyFigure(key="would_recommend", label="Would recommend", value=recommend.share, kind="share"))
    overall = next((s for s in report.satisfaction if s.role == "all"), None)
    if overall is not None:
        figures.append(KeyFigure(key="satisfaction", label="Satisfaction (1–5), mean", value=overall.mean, kind="mean"))
    for share in report.shares:
        if share.key.startswith("outcome_"):
            figures.append(KeyFigure(key=share.key, label=f"Mentees: {share.label}", value=share.share, kind="share"))
    return figures


def objectives_met(objectives: list[ObjectiveResult]) -> KeyFigure:
    met = sum(o.met for o in objectives)
    return KeyFigure(key="objectives_met", label="SMART objectives met", value=float(met), kind="count")


def compare(this: list[KeyFigure], previous: list[KeyFigure]) -> list[ComparisonRow]:
    """One row per figure either cohort has, in this cohort's order."""
    previous_by_key = {f.key: f for f in previous}
    keys = [f.key for f in this] + [f.key for f in previous if f.key not in {t.key for t in this}]
    this_by_key = {f.key: f for f in this}
    rows = []
    for key in keys:
        mine, theirs = this_by_key.get(key), previous_by_key.get(key)
        template = mine or theirs
        mine_value = mine.value if mine else None
        their_value = theirs.value if theirs else None
        if mine_value is None and their_value is None:
            continue
        rows.append(
            ComparisonRow(
                key=key, label=template.label, kind=template.kind, this=mine_value, previous=their_value,
                this_display=figure(mine_value, template.kind), previous_display=figure(their_value, template.kind),
                change_display=figure_change(mine_value, their_value, template.kind),
            )
        )
    return rows
