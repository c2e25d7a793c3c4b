"""The evaluation stage's work: measure the cohort, write the report, publish the headline figures."""

from models.stage_outputs import ImpactReport
from tasks.cohort_context import CohortContext
from tasks.evaluation.build import build_cohort_report
from tasks.evaluation.report_markdown import headline, report_markdown, report_tables
from tasks.runtime import get_runtime
from tasks.step import step


@step(name="evaluate-cohort")
def evaluate_cohort(context: CohortContext) -> tuple[ImpactReport, dict[str, list[dict]]]:
    runtime = get_runtime()
    with runtime.session() as session:
        report, path = build_cohort_report(
            session, cohort_id=context.cohort_id, out_dir=runtime.settings.reports_dir, as_of=runtime.clock.now()
        )
    post = [r for r in report.response_rates if r.survey == "post" and r.role == "all"]
    impact = ImpactReport(
        headline=headline(report),
        objectives=[o.model_dump() for o in report.objectives],
        response_rate=(post[0].rate or 0.0) if post else 0.0,
        report_path=str(path.resolve()),
        markdown=report_markdown(report),
    )
    return impact, report_tables(report)
