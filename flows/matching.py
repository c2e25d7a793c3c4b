from prefect import flow

from models.stage_outputs import MatchingOutcome
from tasks.artifacts import publish_report
from tasks.cohort_context import CohortContext
from tasks.matching_round import announce_matches_task, matching_markdown, run_matching
from tasks.notify import send_emails


@flow(name="stage-matching", flow_run_name="{context.cohort}-matching")
def stage_matching(context: CohortContext, comment: str | None = None) -> MatchingOutcome:
    result = run_matching(context, comment)
    publish_report(context.cohort, "matching", matching_markdown(result), [p.model_dump() for p in result.pairs])
    return result


@flow(name="publish-matches", flow_run_name="{context.cohort}-publish-matches")
def announce_matches(context: CohortContext) -> None:
    send_emails(context.cohort_id, announce_matches_task(context))
