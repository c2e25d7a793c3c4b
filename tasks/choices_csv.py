"""Read mentees' ranked choices of mentor from CSV: every row checked, all or nothing.

Columns: `mentee_email` (a mentee of the cohort), then `choice_1`, `choice_2`, ... up to
`choice_10`: mentors' email addresses, first choice first. At least `choice_1` is required;
later columns may be left blank, but a choice may not follow a blank one, and a mentor may be
named once per row. One row per mentee.
"""

from pathlib import Path

from pydantic import BaseModel

from tasks.csv_rows import CsvColumns, CsvProblem, fail_on_problems, read_rows

MAX_CHOICES = 10
CHOICE_COLUMNS = tuple(f"choice_{n}" for n in range(1, MAX_CHOICES + 1))
COLUMNS = CsvColumns(required=("mentee_email", "choice_1"), optional=CHOICE_COLUMNS[1:])


class ChoiceRow(BaseModel):
    mentee_email: str
    mentor_emails: list[str]  # ranked, first choice first


def parse_choices_csv(path: Path, *, mentee_emails: set[str], mentor_emails: set[str]) -> list[ChoiceRow]:
    path = Path(path)
    problems: list[CsvProblem] = []
    rows: list[ChoiceRow] = []
    seen: dict[str, int] = {}
    for cells in read_rows(path, COLUMNS, problems):
        mentee = cells.email("mentee_email", required=True)
        if mentee is not None and mentee not in mentee_emails:
            cells.problem("mentee_email", f"{mentee} is not a mentee of this cohort",
                          "check the address, or import the person as a mentee with the participants CSV first")
        if mentee is not None and mentee in seen:
            cells.problem("mentee_email", f"{mentee} already has choices on row {seen[mentee]}", "keep one row per mentee")
        ranked = _ranked_mentors(cells, mentor_emails)
        if mentee is not None:
            seen.setdefault(mentee, cells.number)
        if cells.ok and mentee is not None:
            rows.append(ChoiceRow(mentee_email=mentee, mentor_emails=ranked))
    fail_on_problems(path, problems)
    return rows


def _ranked_mentors(cells, mentor_emails: set[str]) -> list[str]:
    ranked: list[str] = []
    blank_after: str | None = None
    for column in CHOICE_COLUMNS:
        if not cells.has(column):
            continue
        mentor = cells.email(column, required=column == "choice_1")
        if mentor is None:
            blank_after = blank_after or column
            continue
        if blank_after is not None:
            cells.problem(column, f"a choice after the blank {blank_after}", f"move the choices up so none follows a blank, or fill in {blank_after}")
        elif mentor not in mentor_emails:
            cells.problem(column, f"{mentor} is not a mentor of this cohort", "choose one of the cohort's mentors")
        elif mentor in ranked:
            cells.problem(column, f"{mentor} is chosen twice", "name each mentor once per row")
        else:
            ranked.append(mentor)
    return ranked
