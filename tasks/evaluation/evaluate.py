"""evaluate(): every measure of a cohort, and the previous cohort beside it. Pure."""

from models.evaluation_data import EvaluationData
from tasks.evaluation import measures
from tasks.evaluation.comparison import compare, key_figures
from tasks.evaluation.equity import COMBINED, equity_outcomes, equity_tables
from tasks.evaluation.objectives import objective_results
from tasks.evaluation.qualitative import comment_groups
from tasks.evaluation.report import EvaluationReport
from tasks.evaluation.standards import standards_evidence


def evaluate(data: EvaluationData, *, previous: EvaluationData | None = None) -> EvaluationReport:
    plan = data.programme.evaluation
    rates = measures.response_rates(data)
    changes = measures.pre_post_changes(data)
    shares = measures.shares(data, changes)
    relationships = measures.relationships(data)
    objectives = objective_results(data, rates=rates, changes=changes, shares=shares, relationships=relationships)
    report = EvaluationReport(
        cohort_name=data.cohort_name,
        programme_name=data.programme.name,
        programme_slug=data.programme.slug,
        organisation=data.programme.organisation,
        suppress_below=plan.suppress_below,
        min_n_for_test=plan.min_n_for_test,
        response_rates=rates,
        pre_post=changes,
        shares=shares,
        satisfaction=measures.satisfaction(data),
        relationships=relationships,
        objectives=objectives,
        equity=equity_tables(data),
        equity_outcomes=equity_outcomes(data),
        comments=comment_groups(data),
        standards=standards_evidence(
            data, rates=rates, changes=changes, relationships=relationships, objectives=objectives
        ),
        method_notes=method_notes(data),
    )
    report.key_figures = key_figures(report)
    if previous is not None:
        earlier = evaluate(previous)
        report.previous_cohort_name = earlier.cohort_name
        report.previous_key_figures = earlier.key_figures
        report.comparison = compare(report.key_figures, earlier.key_figures)
    return report


def method_notes(data: EvaluationData) -> list[str]:
    plan = data.programme.evaluation
    k = plan.suppress_below
    return [
        "Pre and post answers are paired by person: only people who answered a rating both before and after "
        "count towards its change; people with only one of the two are listed as unpaired and left out.",
        f"Significance: {measures.TEST_NAME} (scipy.stats.wilcoxon). Zero differences (no change) stay in the "
        "ranking and are then dropped (Pratt's method); tied differences share their average rank. "
        f"No test is run below {plan.min_n_for_test} pairs; n is shown beside every result.",
        "'Gained' means a higher rating after than before. Shares are of the people who answered that question.",
        "Response rates: the pre survey counts everyone found eligible as asked; later surveys count everyone matched.",
        "Completion rate: pairs formally closed at the end of the relationship, over all pairs; a pair replaced "
        "at a re-match is counted once, through its replacement.",
        "Meetings: held against the agreed frequency (the programme's cadence where a pair agreed none) "
        "times the months the relationship ran.",
        f"Equity: demographic answers are used only where the person consented. Any group under {k} people is "
        f"never shown on its own: small groups are combined into '{COMBINED}', and when that "
        f"would still be under {k} the next smallest group joins it, so no hidden group can be worked out from "
        f"the total. Outcome figures with fewer than {k} people answering show '<{k}'. Charts leave hidden groups out.",
        "Free-text comments are shown per question, sorted alphabetically, with no names or demographic details.",
    ]
