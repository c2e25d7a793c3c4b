"""Read training attendance from CSV (a register export): every row checked, all or nothing.

Columns: `email` (a participant of the cohort), `session` (a training session's name from the
programme file), `attended` (yes/no).
"""

from pathlib import Path

from pydantic import BaseModel

from tasks.csv_rows import CsvColumns, CsvProblem, fail_on_problems, read_rows

COLUMNS = CsvColumns(required=("email", "session", "attended"))


class AttendanceRow(BaseModel):
    email: str
    session: str
    attended: bool


def parse_attendance_csv(path: Path, *, sessions: set[str], known_emails: set[str]) -> list[AttendanceRow]:
    path = Path(path)
    problems: list[CsvProblem] = []
    rows: list[AttendanceRow] = []
    seen: set[tuple[str, str]] = set()
    by_lower = {name.lower(): name for name in sessions}
    for cells in read_rows(path, COLUMNS, problems):
        email = cells.email("email", required=True)
        if email is not None and email not in known_emails:
            cells.problem("email", f"{email} is not a participant of this cohort",
                          "check the address, or import the person with the participants CSV first")
        session = cells.text("session", required=True)
        if session is not None and session.lower() not in by_lower:
            cells.problem("session", f"no training session named {session!r}",
                          f"use one of the programme's sessions: {', '.join(sorted(sessions))}")
        attended = cells.yes_no("attended")
        if attended is None and cells.has("attended"):
            cells.problem("attended", "blank", "write yes or no")
        if email and session and (email, session.lower()) in seen:
            cells.problem("email", f"{email} appears twice for {session!r}", "keep one row per person and session")
        if cells.ok and email and session and attended is not None:
            seen.add((email, session.lower()))
            rows.append(AttendanceRow(email=email, session=by_lower[session.lower()], attended=attended))
    fail_on_problems(path, problems)
    return rows
