"""Read a cohort's participants CSV: check every row, fail with every problem, or return the rows.

Pure: no database. `models.participants.import_participants` stores what this returns.
The columns are documented in config/examples/CSV-COLUMNS.md.
"""

from pathlib import Path

from models.domain import Role
from models.participants import DEMOGRAPHIC_ATTRIBUTES, ParticipantRow
from models.programme import ProgrammeDefinition
from tasks.csv_rows import CsvColumns, CsvImportError, CsvProblem, RowCells, fail_on_problems, read_rows

__all__ = ["CsvImportError", "PARTICIPANT_COLUMNS", "ParticipantRow", "parse_participants_csv"]

DEMOGRAPHIC_COLUMNS = DEMOGRAPHIC_ATTRIBUTES
PARTICIPANT_COLUMNS = CsvColumns(
    required=("email", "name", "role", "organisation", "sector", "region", "grade", "topics"),
    optional=(
        "team", "line_manager_email", "capacity", "languages", "availability", "conflicts",
        "nominated_by", "identity_match", "consent_demographics", *DEMOGRAPHIC_COLUMNS,
    ),
)


def parse_participants_csv(path: Path, programme: ProgrammeDefinition) -> list[ParticipantRow]:
    """Every row checked; raises `CsvImportError` listing every problem if any row is bad."""
    path = Path(path)
    problems: list[CsvProblem] = []
    topics_by_key = {topic.casefold(): topic for topic in programme.topics}
    rows: list[ParticipantRow] = []
    first_row_of: dict[str, int] = {}
    for cells in read_rows(path, PARTICIPANT_COLUMNS, problems):
        participant = _participant(cells, programme, topics_by_key)
        if participant is None:
            continue
        if participant.email in first_row_of:
            cells.problem(
                "email",
                f"{participant.email} appears again (first on row {first_row_of[participant.email]})",
                "keep one row per person: someone takes part once per cohort, as mentor or mentee",
            )
            continue
        first_row_of[participant.email] = cells.number
        rows.append(participant)
    fail_on_problems(path, problems)
    return rows


def _participant(cells: RowCells, programme: ProgrammeDefinition, topics_by_key: dict[str, str]) -> ParticipantRow | None:
    email = cells.email("email", required=True)
    name = cells.text("name", required=True)
    role = cells.choice("role", [r.value for r in Role], required=True)
    organisation = cells.text("organisation", required=True)
    sector = cells.text("sector", required=True)
    region = cells.text("region", required=True)
    grade = cells.integer("grade", minimum=0, required=True, meaning="the grade")
    topics = _topics(cells, topics_by_key)
    # Capacity is a mentor's; a mentee's cell is ignored (documented in CSV-COLUMNS.md).
    capacity = None if role == Role.mentee else cells.integer("capacity", minimum=1, meaning="how many mentees this mentor can take")
    line_manager = cells.email("line_manager_email")
    if line_manager is not None and line_manager == email:
        cells.problem("line_manager_email", "the person is named as their own line manager", "give their line manager's email, or leave it blank")
    conflicts = [c for c in cells.emails("conflicts") if c != email]
    nominated_by = cells.email("nominated_by")
    identity_match = cells.yes_no("identity_match") or False
    consent = cells.yes_no("consent_demographics") or False
    demographics = {column: value for column in DEMOGRAPHIC_COLUMNS if (value := cells.text(column))}
    if demographics and not consent:
        # Name the columns, never the answers.
        cells.problem(
            "consent_demographics",
            f"demographic answers given without consent_demographics=yes ({', '.join(demographics)})",
            "set consent_demographics to yes if the person consented, otherwise clear those cells",
        )
    if identity_match and not consent:
        cells.problem("identity_match", "identity_match=yes needs consent_demographics=yes", "identity matching uses consented answers: set consent_demographics to yes, or identity_match to no")
    if not cells.ok or None in (email, name, role, organisation, sector, region, grade) or not topics:
        return None
    return ParticipantRow(
        row=cells.number,
        email=email,
        name=name,
        role=role,
        organisation=organisation,
        sector=sector,
        region=region,
        grade=grade,
        topics=topics,
        team=cells.text("team") or "",
        line_manager_email=line_manager,
        capacity=(capacity or programme.matching.mentor_capacity) if role == Role.mentor else 1,
        languages=cells.items("languages"),
        availability=cells.items("availability"),
        conflicts=conflicts,
        nominated_by=nominated_by,
        identity_match=identity_match,
        consent_demographics=consent,
        demographics=demographics if consent else {},
    )


def _topics(cells: RowCells, topics_by_key: dict[str, str]) -> list[str]:
    if cells.text("topics", required=True) is None:
        return []
    given = cells.items("topics")
    unknown = [topic for topic in given if topic.casefold() not in topics_by_key]
    if unknown:
        cells.problem(
            "topics",
            f"unknown topic(s): {', '.join(unknown)}",
            f"use the programme's topics, separated by ;: {'; '.join(topics_by_key.values())}",
        )
        return []
    return list(dict.fromkeys(topics_by_key[topic.casefold()] for topic in given))
