"""The evaluation as markdown (the Prefect artifact), the gate's headline and rows for table artifacts."""

from tasks.evaluation.display import decimal, p_value, percent, signed
from tasks.evaluation.measures import find_share, response_rate
from tasks.evaluation.report import EvaluationReport, PrePostChange


def _main_change(report: EvaluationReport) -> PrePostChange | None:
    return next((c for c in report.pre_post if c.role == "mentee"), None)


def _change_line(change: PrePostChange) -> str:
    name = change.key.replace("_", " ").capitalize()
    if not change.n_pairs:
        return f"{name}: no mentee answered both before and after."
    test = p_value(change.p_value) if change.test else change.test_note
    return (
        f"{name}: mean {decimal(change.pre_mean)} → {decimal(change.post_mean)} ({signed(change.mean_change)}) "
        f"for {change.n_pairs} paired mentees; {percent(change.improved_share)} improved ({test})."
    )


def headline(report: EvaluationReport) -> str:
    """3–6 lines of headline figures for the evaluation gate's description."""
    rel = report.relationships
    met = [o for o in report.objectives if o.met]
    missed = [o for o in report.objectives if not o.met]
    lines = [
        f"Cohort {report.cohort_name}: {rel.pairs} pairs, {rel.completed} completed ({percent(rel.completion_rate)}); "
        f"{rel.rematched} re-matched, {rel.ended_early} ended early.",
    ]
    change = _main_change(report)
    if change is not None:
        lines.append(_change_line(change))
    recommend = find_share(report.shares, "would_recommend")
    overall = next((s for s in report.satisfaction if s.role == "all"), None)
    post = response_rate(report.response_rates, survey="post")
    lines.append(
        f"{percent(recommend.share if recommend else None)} would recommend; satisfaction "
        f"{decimal(overall.mean if overall else None)}/5; post survey response {percent(post.rate if post else None)}."
    )
    objective_line = f"Objectives: {len(met)} of {len(report.objectives)} met"
    if missed:
        objective_line += "; missed: " + ", ".join(f"{o.id} {o.actual_display} vs {o.target_display}" for o in missed)
    lines.append(objective_line + ".")
    if report.previous_cohort_name:
        moved = [r for r in report.comparison if r.key in {"completion_rate", "would_recommend"} and r.previous is not None]
        detail = "; ".join(f"{r.label.lower()} {r.this_display} vs {r.previous_display}" for r in moved)
        lines.append(f"Against {report.previous_cohort_name}: {detail or 'no shared figures'}.")
    return "\n".join(lines)


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell).replace("|", "/") for cell in row) + " |" for row in rows]
    return lines


def report_tables(report: EvaluationReport) -> dict[str, list[dict]]:
    """Rows for Prefect table artifacts: objectives, pre/post change and response rates."""
    return {
        "objectives": [
            {
                "objective": o.id, "description": o.description, "target": o.target_display,
                "actual": o.actual_display, "met": "yes" if o.met else "no", "evidence": o.evidence,
            }
            for o in report.objectives
        ],
        "pre_post": [
            {
                "item": c.key, "role": c.role, "n_pairs": c.n_pairs, "unpaired": c.n_unpaired,
                "pre_mean": decimal(c.pre_mean), "post_mean": decimal(c.post_mean),
                "mean_change": signed(c.mean_change), "median_change": signed(c.median_change),
                "improved": percent(c.improved_share), "p_value": p_value(c.p_value) if c.test else c.test_note,
            }
            for c in report.pre_post
        ],
        "response_rates": [
            {"survey": r.survey, "role": r.role, "asked": r.invited, "answered": r.responded, "rate": percent(r.rate)}
            for r in report.response_rates
        ],
    }


def report_markdown(report: EvaluationReport) -> str:
    tables = report_tables(report)
    rel = report.relationships
    lines = [f"# Evaluation: {report.programme_name}, cohort {report.cohort_name}", "", *headline(report).splitlines()]
    lines += ["", "## Objectives", ""]
    lines += _table(
        ["Objective", "Target", "Actual", "Met", "Evidence"],
        [[f"{r['objective']}: {r['description']}", r["target"], r["actual"], r["met"], r["evidence"]] for r in tables["objectives"]],
    )
    lines += ["", "## Before and after (paired)", ""]
    lines += _table(
        ["Item", "Role", "n", "Before", "After", "Mean change", "Median change", "Improved", "Test"],
        [[r["item"], r["role"], r["n_pairs"], r["pre_mean"], r["post_mean"], r["mean_change"], r["median_change"],
          r["improved"], r["p_value"]] for r in tables["pre_post"]],
    )
    lines += ["", "## Shares", ""]
    lines += _table(
        ["Measure", "Of", "Share"],
        [[s.label, f"{s.numerator} of {s.denominator} {s.population}", percent(s.share)] for s in report.shares],
    )
    lines += ["", "## Response rates", ""]
    lines += _table(
        ["Survey", "Role", "Answered", "Rate"],
        [[r["survey"], r["role"], f"{r['answered']} of {r['asked']}", r["rate"]] for r in tables["response_rates"]],
    )
    goals = ", ".join(f"{k} {v}" for k, v in rel.goals_reached.items())
    lines += [
        "", "## Relationships", "",
        f"- Pairs: {rel.pairs}; completed {rel.completed} ({percent(rel.completion_rate)}); still open {rel.still_open}",
        f"- Re-matched: {rel.rematched}; ended early: {rel.ended_early}",
        f"- Meetings held: {rel.meetings_held} of {rel.meetings_expected:.0f} agreed ({percent(rel.meetings_ratio)}); "
        f"{rel.pairs_meeting_cadence} of {rel.pairs} pairs met at the agreed frequency",
        f"- Goals reached ({rel.goals_answered} mentees answering): {goals}",
    ]
    if report.comparison:
        lines += ["", f"## Compared with cohort {report.previous_cohort_name}", ""]
        lines += _table(
            ["Measure", report.cohort_name, report.previous_cohort_name, "Change"],
            [[r.label, r.this_display, r.previous_display, r.change_display] for r in report.comparison],
        )
    if report.standards:
        lines += ["", "## Standards evidence", ""]
        lines += [f"- **{s.heading}**: {s.shows} (source: {s.source})" for s in report.standards]
    lines += ["", f"_Groups under {report.suppress_below} people are suppressed; the full report holds the equity tables._"]
    return "\n".join(lines) + "\n"
