"""The self-contained HTML report a programme lead can send to a steering committee."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tasks.evaluation import display
from tasks.evaluation.measures import find_share
from tasks.evaluation.report import EvaluationReport
from tasks.evaluation.report_markdown import headline

TEMPLATES = Path(__file__).resolve().parent / "templates"
SECTIONS = [
    ("headline", "Headline"), ("objectives", "Objectives"), ("pre-post", "Before and after"),
    ("relationships", "Relationships"), ("equity", "Equity of access"), ("comparison", "Comparison"),
    ("comments", "What participants said"), ("standards", "Standards evidence"), ("method", "Method notes"),
]

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined,
)


def _cards(report: EvaluationReport) -> list[dict[str, str]]:
    rel = report.relationships
    recommend = find_share(report.shares, "would_recommend")
    cards = [
        {"value": str(rel.pairs), "label": "pairs matched"},
        {"value": display.percent(rel.completion_rate), "label": "of pairs completed"},
    ]
    change = next((c for c in report.pre_post if c.role == "mentee" and c.n_pairs), None)
    if change is not None:
        cards.append({"value": display.percent(change.improved_share), "label": f"of mentees gained {change.key.replace('_', ' ')}"})
    cards.append({"value": display.percent(recommend.share if recommend else None), "label": "would recommend"})
    met = sum(o.met for o in report.objectives)
    cards.append({"value": f"{met} of {len(report.objectives)}", "label": "objectives met"})
    return cards


def _charts(report: EvaluationReport) -> dict:
    from tasks.evaluation import charts  # matplotlib costs half a second to import: only when drawing

    funnels = []
    for table in report.equity:
        image = charts.funnel_chart(table)
        if image:
            funnels.append((f"{table.role}s by {table.attribute}", image))
    comparison = None
    if report.comparison:
        comparison = charts.comparison_chart(report.comparison, report.cohort_name, report.previous_cohort_name or "previous")
    return {
        "objectives": charts.objectives_chart(report.objectives),
        "pre_post": [(c.key, charts.pre_post_chart(c)) for c in report.pre_post if c.n_pairs],
        "funnels": funnels,
        "comparison": comparison,
    }


def render_report_html(report: EvaluationReport) -> str:
    return _environment.get_template("report.html.j2").render(
        r=report, fmt=display, sections=SECTIONS, cards=_cards(report),
        headline_lines=headline(report).splitlines(), charts=_charts(report),
    )


def report_file_name(cohort_name: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in cohort_name)
    return f"{safe}-evaluation.html"


def write_report_html(report: EvaluationReport, out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / report_file_name(report.cohort_name)
    path.write_text(render_report_html(report), encoding="utf-8")
    return path
