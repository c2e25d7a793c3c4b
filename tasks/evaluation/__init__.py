"""Evaluation of a cohort: measures, objectives, equity, comparison, standards evidence and the reports."""

from tasks.evaluation.evaluate import evaluate
from tasks.evaluation.report import EvaluationReport
from tasks.evaluation.report_markdown import headline, report_markdown, report_tables

__all__ = ["EvaluationReport", "evaluate", "headline", "report_markdown", "report_tables"]
