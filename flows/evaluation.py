from prefect import flow

from models.stage_outputs import ImpactReport
from tasks.artifacts import publish_report
from tasks.cohort_context import CohortContext
from tasks.evaluation_stage import evaluate_cohort


@flow(name="stage-evaluation", flow_run_name="{context.cohort}-evaluation")
def stage_evaluation(context: CohortContext, comment: str | None = None) -> ImpactReport:
    impact, tables = evaluate_cohort(context)
    publish_report(context.cohort, "evaluation", impact.markdown, tables.get("objectives"))
    return impact
