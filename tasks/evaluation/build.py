"""Load a cohort (and the one before it), evaluate, and write the HTML report."""

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from models.evaluation_data import load_evaluation_data, previous_cohort_id
from tasks.evaluation.evaluate import evaluate
from tasks.evaluation.report import EvaluationReport
from tasks.evaluation.report_html import write_report_html


def build_cohort_report(
    session: Session, *, cohort_id: int, out_dir: Path, as_of: datetime | None = None
) -> tuple[EvaluationReport, Path]:
    data = load_evaluation_data(session, cohort_id=cohort_id, as_of=as_of)
    previous_id = previous_cohort_id(session, cohort_id=cohort_id)
    previous = load_evaluation_data(session, cohort_id=previous_id) if previous_id is not None else None
    report = evaluate(data, previous=previous)
    return report, write_report_html(report, out_dir)
