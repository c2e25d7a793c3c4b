"""Charts for the HTML report, drawn with matplotlib (Agg) and returned as base64 PNG.

Only aggregated figures reach a chart; suppressed groups are left out entirely.
"""

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from tasks.evaluation.report import ComparisonRow, EquityTable, ObjectiveResult, PrePostChange  # noqa: E402

NAVY, TEAL, AMBER, GREY, RED = "#1f3b63", "#2a9d8f", "#e9a23b", "#9aa5b1", "#c8553d"
PALETTE = [NAVY, TEAL, AMBER, "#6c5b7b", "#457b9d", GREY]

plt.rcParams.update({
    "font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
    "axes.edgecolor": "#cfd6dd", "axes.titleweight": "bold", "axes.titlesize": 10, "legend.frameon": False,
})


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def pre_post_chart(change: PrePostChange) -> str:
    """How the paired people answered before and after, per scale point."""
    low, high = change.scale
    points = list(range(low, high + 1))
    figure, axes = plt.subplots(figsize=(4.6, 2.6))
    width = 0.38
    axes.bar([p - width / 2 for p in points], change.pre_distribution, width, color=GREY, label="Before")
    axes.bar([p + width / 2 for p in points], change.post_distribution, width, color=TEAL, label="After")
    axes.set_xticks(points)
    axes.set_xlabel(f"Rating ({low} = low, {high} = high)")
    axes.set_ylabel("People")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_title(f"{change.key.replace('_', ' ').capitalize()} (n = {change.n_pairs} paired)")
    axes.legend(loc="upper left")
    return _png(figure)


def funnel_chart(table: EquityTable) -> str | None:
    """Share of each shown group reaching each stage; None when no group can be shown."""
    rows = [row for row in table.rows if not row.suppressed and row.numbers]
    if not rows or table.total.suppressed:
        return None
    figure, axes = plt.subplots(figsize=(7.6, 2.8))
    stages = table.stages
    width = 0.8 / (len(rows) + 1)
    for index, row in enumerate([*rows, table.total]):
        base = row.numbers[stages[0]] or 1
        xs = [i + (index - len(rows) / 2) * width for i in range(len(stages))]
        colour = NAVY if row is table.total else PALETTE[(index + 1) % len(PALETTE)]
        label = f"{row.group} ({base})"
        axes.bar(xs, [100 * row.numbers[s] / base for s in stages], width, color=colour, label=label)
    axes.set_xticks(range(len(stages)))
    axes.set_xticklabels([s.capitalize() for s in stages])
    axes.set_ylabel("% of those who applied")
    axes.set_ylim(0, 105)
    axes.set_title(f"{table.role.capitalize()}s by {table.attribute.replace('_', ' ')}")
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return _png(figure)


def objectives_chart(objectives: list[ObjectiveResult]) -> str:
    """Each objective's actual as a share of its target; the line at 100% is the target."""
    figure, axes = plt.subplots(figsize=(6.4, 0.5 + 0.42 * len(objectives)))
    labels = [o.id.replace("_", " ") for o in objectives][::-1]
    ratios = [
        min(150.0, 100 * (o.actual or 0) / o.target) if o.target else (100.0 if o.met else 0.0) for o in objectives
    ][::-1]
    colours = [TEAL if o.met else RED for o in objectives][::-1]
    bars = axes.barh(labels, ratios, color=colours, height=0.6)
    for bar, o in zip(bars, objectives[::-1], strict=True):
        axes.text(bar.get_width() + 2, bar.get_y() + bar.get_height() / 2,
                  f"{o.actual_display} of {o.target_display}", va="center", fontsize=8)
    axes.axvline(100, color=NAVY, linestyle="--", linewidth=1)
    axes.set_xlim(0, 175)
    axes.set_xlabel("Actual as % of target (capped at 150%)")
    axes.set_title("SMART objectives against targets")
    return _png(figure)


def comparison_chart(rows: list[ComparisonRow], this_name: str, previous_name: str) -> str | None:
    """Shares side by side: this cohort against the previous one."""
    shares = [r for r in rows if r.kind == "share" and r.this is not None and r.previous is not None]
    if not shares:
        return None
    figure, axes = plt.subplots(figsize=(7.6, 0.6 + 0.5 * len(shares)))
    positions = range(len(shares))
    height = 0.38
    axes.barh([p + height / 2 for p in positions], [100 * r.previous for r in shares], height, color=GREY, label=previous_name)
    axes.barh([p - height / 2 for p in positions], [100 * r.this for r in shares], height, color=NAVY, label=this_name)
    axes.set_yticks(list(positions))
    axes.set_yticklabels([r.label for r in shares])
    axes.invert_yaxis()
    axes.set_xlim(0, 105)
    axes.set_xlabel("%")
    axes.set_title("This cohort against the previous one")
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return _png(figure)
