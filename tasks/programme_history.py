"""A programme's cohorts side by side: state, dates and headline figures (`mentorflow programme history`).

Pairs, completion and would-recommend are measured from the tables the same way the
evaluation measures them, so a cohort still running shows its figures so far. Objectives
met and the headline come from the evaluation stage's stored output, when it has run.
"""

from datetime import datetime

from pydantic import BaseModel
from rich.table import Table

from models.evaluation_data import load_evaluation_data
from models.programme_file import find_programme, load_programme
from models.programme_history import CohortRecord, programme_cohorts
from tasks.evaluation import measures
from tasks.evaluation.display import percent
from tasks.runtime import Runtime


class CohortHistory(BaseModel):
    cohort: str
    state: str
    created: str
    started: str | None
    finished: str | None
    pairs: int
    completed_pairs: int
    completion_rate: float | None
    would_recommend: float | None
    objectives_met: int | None
    objectives_total: int | None
    headline: str | None


class ProgrammeHistory(BaseModel):
    programme: str
    name: str
    phase: str
    cohorts: list[CohortHistory]


def _day(moment: datetime | None) -> str | None:
    return None if moment is None else moment.date().isoformat()


def cohort_history(
    record: CohortRecord, *, pairs: int, completed_pairs: int, completion_rate: float | None, would_recommend: float | None
) -> CohortHistory:
    """One line of history: the measured figures plus what the stored evaluation says about objectives."""
    evaluation = record.evaluation or {}
    objectives = evaluation.get("objectives")
    return CohortHistory(
        cohort=record.name,
        state=record.state,
        created=_day(record.created_at),
        started=_day(record.started_at),
        finished=_day(record.finished_at),
        pairs=pairs,
        completed_pairs=completed_pairs,
        completion_rate=completion_rate,
        would_recommend=would_recommend,
        objectives_met=None if objectives is None else sum(bool(o.get("met")) for o in objectives),
        objectives_total=None if objectives is None else len(objectives),
        headline=evaluation.get("headline"),
    )


def history_table(history: ProgrammeHistory) -> Table:
    table = Table(title=f"{history.name} ({history.programme}) · {history.phase}")
    for column in ("cohort", "state", "started", "finished", "pairs", "completed", "would recommend", "objectives met"):
        table.add_column(column, justify="right" if column in {"pairs", "completed", "would recommend"} else "left")
    for line in history.cohorts:
        objectives = "–" if line.objectives_total is None else f"{line.objectives_met} of {line.objectives_total}"
        completion = f"{line.completed_pairs} ({percent(line.completion_rate)})" if line.pairs else "–"
        table.add_row(
            line.cohort, line.state, line.started or line.created, line.finished or "–", str(line.pairs), completion,
            percent(line.would_recommend), objectives,
        )
    return table


def programme_slug(runtime: Runtime, programme: str) -> str:
    """A programme named by slug, or by its file (whose slug is then read)."""
    path = find_programme(programme, runtime.settings.programmes_dir)
    return load_programme(path).slug if path.suffix in {".yaml", ".yml"} and path.exists() else programme


def programme_history(runtime: Runtime, programme: str) -> ProgrammeHistory:
    with runtime.session() as session:
        row, records = programme_cohorts(session, programme_slug=programme_slug(runtime, programme))
        lines = []
        for record in records:
            data = load_evaluation_data(session, cohort_id=record.cohort_id, as_of=runtime.clock.now())
            relationships = measures.relationships(data)
            recommend = measures.find_share(measures.shares(data, []), "would_recommend")
            lines.append(
                cohort_history(
                    record,
                    pairs=relationships.pairs,
                    completed_pairs=relationships.completed,
                    completion_rate=relationships.completion_rate,
                    would_recommend=recommend.share if recommend else None,
                )
            )
        return ProgrammeHistory(programme=row.slug, name=row.name, phase=row.phase, cohorts=lines)
