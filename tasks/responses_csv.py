"""Read survey responses from CSV: check every row, fail with every problem, or return the rows.

Pure: no database; the caller passes the cohort's participant emails. `models.surveys.
record_responses` stores what this returns. Columns: config/examples/CSV-COLUMNS.md.
"""

from collections.abc import Callable
from pathlib import Path

from models.programme import ProgrammeDefinition
from models.surveys import SURVEY_KINDS, Answer, ResponseRow
from tasks.csv_rows import CsvColumns, CsvImportError, CsvProblem, RowCells, fail_on_problems, read_rows

__all__ = ["CsvImportError", "ResponseRow", "parse_responses_csv", "response_columns"]

REQUIRED_COLUMNS = ("email", "survey")
GOALS_REACHED = ("yes", "no", "partly")
Reader = Callable[[RowCells], Answer | None]


def _answer_readers(programme: ProgrammeDefinition) -> dict[str, Reader]:
    """Each answer column, in file-documentation order, and how to read its cell.

    A reader returns None for a blank cell or a wrong one (the problem is then recorded).
    """
    readers: dict[str, Reader] = {}
    for rating in programme.evaluation.ratings:
        readers[rating.key] = lambda cells, key=rating.key, scale=rating.scale: cells.integer(key, minimum=scale[0], maximum=scale[1])
    for outcome in programme.evaluation.outcomes:
        readers[outcome.key] = lambda cells, key=outcome.key: cells.yes_no(key)
    standard: dict[str, Reader] = {
        "would_recommend": lambda cells: cells.yes_no("would_recommend"),
        "satisfaction": lambda cells: cells.integer("satisfaction", minimum=1, maximum=5),
        "goals_reached": lambda cells: cells.choice("goals_reached", GOALS_REACHED),
        "meetings_held": lambda cells: cells.integer("meetings_held", minimum=0, meaning="the number of meetings held"),
        "comments": lambda cells: cells.text("comments"),
    }
    return readers | {column: read for column, read in standard.items() if column not in readers}


def response_columns(programme: ProgrammeDefinition) -> CsvColumns:
    return CsvColumns(required=REQUIRED_COLUMNS, optional=tuple(_answer_readers(programme)))


def parse_responses_csv(path: Path, programme: ProgrammeDefinition, known_emails: set[str]) -> list[ResponseRow]:
    """Every row checked; raises `CsvImportError` listing every problem if any row is bad.

    A row whose answer cells are all blank is not a response and is left out.
    """
    path = Path(path)
    known = {email.lower() for email in known_emails}
    readers = _answer_readers(programme)
    problems: list[CsvProblem] = []
    rows: list[ResponseRow] = []
    first_row_of: dict[tuple[str, str], int] = {}
    for cells in read_rows(path, CsvColumns(required=REQUIRED_COLUMNS, optional=tuple(readers)), problems):
        email = cells.email("email", required=True)
        if email is not None and email not in known:
            cells.problem("email", f"{email} is not a participant of this cohort", "check the address, or import the person with the participants CSV first")
        survey = cells.choice("survey", SURVEY_KINDS, required=True)
        answers = {column: value for column, read in readers.items() if (value := read(cells)) is not None}
        if not cells.ok or email is None or survey is None:
            continue
        if (email, survey) in first_row_of:
            cells.problem("email", f"{email} already answered the {survey} survey on row {first_row_of[email, survey]}", "keep one row per person and survey")
            continue
        first_row_of[email, survey] = cells.number
        if answers:
            rows.append(ResponseRow(row=cells.number, email=email, survey=survey, answers=answers))
    fail_on_problems(path, problems)
    return rows
