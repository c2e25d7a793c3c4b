"""Equity of access: the funnel and outcomes by consented demographic group, never per person.

Suppression: a group under the threshold is never named or counted on its own. Small groups
fold into one combined row; when that row would itself be under the threshold, the next
smallest group joins it, so no suppressed group can be recovered by subtracting the shown
rows from the total. Outcome cells whose denominator is under the threshold show "<5", and
when only one cell of a column is hidden, the next smallest is hidden too.
"""

from models.evaluation_data import EvaluationData
from tasks.evaluation.display import percent
from tasks.evaluation.funnel import FUNNEL_STAGES, furthest_stage
from tasks.evaluation.report import EquityOutcomes, EquityRow, EquityTable, OutcomeCell
from tasks.suppression import COMBINED, fold_small_groups

ATTRIBUTE_ORDER = ("ethnicity", "gender", "disability", "age_band")
NOT_STATED = "Not stated"
TOTAL = "All"


def hidden(k: int) -> str:
    return f"<{k}"


def attributes(data: EvaluationData, role: str) -> list[str]:
    present = {a for p in data.participants if p.role == role for a in p.demographics}
    return [a for a in ATTRIBUTE_ORDER if a in present] + sorted(present - set(ATTRIBUTE_ORDER))


def _groups(data: EvaluationData, role: str, attribute: str, reach: dict[int, int]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for p in data.participants:
        if p.role == role and reach[p.participation_id] >= 0:
            groups.setdefault(p.demographics.get(attribute, NOT_STATED), []).append(p.participation_id)
    return groups


def grouping(data: EvaluationData, role: str, attribute: str, reach: dict[int, int]) -> dict[str, list[int]]:
    """Row label -> participation ids, after folding small groups: the only rows ever shown."""
    k = data.programme.evaluation.suppress_below
    groups = _groups(data, role, attribute, reach)
    shown, folded = fold_small_groups({g: len(ids) for g, ids in groups.items()}, k)
    rows = {g: groups[g] for g in shown}
    if folded:
        rows[COMBINED] = [pid for g in folded for pid in groups[g]]
    return rows


def _funnel_row(label: str, ids: list[int], reach: dict[int, int], k: int, combined: bool = False) -> EquityRow:
    numbers = {stage: sum(reach[pid] >= i for pid in ids) for i, stage in enumerate(FUNNEL_STAGES)}
    if len(ids) < k:
        return EquityRow(
            group=label, suppressed=True, combined=combined,
            counts={s: hidden(k) for s in FUNNEL_STAGES}, rates={s: hidden(k) for s in FUNNEL_STAGES},
        )
    base = numbers[FUNNEL_STAGES[0]]
    return EquityRow(
        group=label, suppressed=False, combined=combined, numbers=numbers,
        counts={s: str(n) for s, n in numbers.items()}, rates={s: percent(n / base) for s, n in numbers.items()},
    )


def equity_tables(data: EvaluationData) -> list[EquityTable]:
    reach = furthest_stage(data)
    k = data.programme.evaluation.suppress_below
    tables = []
    for role in ("mentee", "mentor"):
        everyone = [p.participation_id for p in data.participants if p.role == role and reach[p.participation_id] >= 0]
        for attribute in attributes(data, role):
            rows = grouping(data, role, attribute, reach)
            tables.append(
                EquityTable(
                    role=role, attribute=attribute, stages=list(FUNNEL_STAGES),
                    rows=[_funnel_row(label, ids, reach, k, combined=label == COMBINED) for label, ids in rows.items()],
                    total=_funnel_row(TOTAL, everyone, reach, k),
                )
            )
    return tables


def _improved(data: EvaluationData, item: str) -> dict[int, bool]:
    pre, post = data.responses.get("pre", {}), data.responses.get("post", {})
    return {
        pid: post[pid][item] > pre[pid][item]
        for pid in set(pre) & set(post)
        if isinstance(pre[pid].get(item), int) and isinstance(post[pid].get(item), int)
    }


def equity_outcomes(data: EvaluationData) -> list[EquityOutcomes]:
    """Mentees' outcomes by group: completed (of matched), gained on the first rating, would recommend."""
    reach = furthest_stage(data)
    k = data.programme.evaluation.suppress_below
    first_item = data.programme.evaluation.ratings[0].key
    improved = _improved(data, first_item)
    recommend = {
        pid: a["would_recommend"] for pid, a in data.responses.get("post", {}).items()
        if isinstance(a.get("would_recommend"), bool)
    }
    measures = {
        "completed (of matched)": lambda ids: _tally([reach[p] >= 4 for p in ids if reach[p] >= 3]),
        f"gained {first_item.replace('_', ' ')}": lambda ids: _tally([improved[p] for p in ids if p in improved]),
        "would recommend": lambda ids: _tally([recommend[p] for p in ids if p in recommend]),
    }
    everyone = [p.participation_id for p in data.participants if p.role == "mentee" and reach[p.participation_id] >= 0]
    tables = []
    for attribute in attributes(data, "mentee"):
        rows = grouping(data, "mentee", attribute, reach)
        rows[TOTAL] = everyone
        cells = {label: {name: count(ids) for name, count in measures.items()} for label, ids in rows.items()}
        table = {label: {} for label in rows}
        for name in measures:
            column = {label: cells[label][name] for label in rows}
            for label, cell in _suppress_column(column, k).items():
                table[label][name] = cell
        tables.append(EquityOutcomes(attribute=attribute, measures=list(measures), rows=table))
    return tables


def _tally(values: list[bool]) -> tuple[int, int]:
    return sum(values), len(values)


def _suppress_column(column: dict[str, tuple[int, int]], k: int) -> dict[str, OutcomeCell]:
    small = {label for label, (_, n) in column.items() if 0 < n < k}
    groups = [label for label in column if label != TOTAL]
    if len(small) == 1 and column[TOTAL][1] >= k:
        # one hidden cell could be recovered from the total: hide the next smallest as well
        candidates = sorted((column[g][1], g) for g in groups if g not in small and column[g][1] > 0)
        if candidates:
            small.add(candidates[0][1])
        else:
            small.add(TOTAL)
    cells = {}
    for label, (yes, n) in column.items():
        if label in small:
            cells[label] = OutcomeCell(shown=hidden(k))
        elif n == 0:
            cells[label] = OutcomeCell(shown="–", numerator=0, denominator=0)
        else:
            cells[label] = OutcomeCell(shown=f"{percent(yes / n)} ({yes} of {n})", numerator=yes, denominator=n)
    return cells
