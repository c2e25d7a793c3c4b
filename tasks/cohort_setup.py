"""Setting a cohort up from the command line: its programme, its people, its survey answers."""

from pathlib import Path

from models.cohorts import create_cohort, find_cohort, programme_definition, save_programme
from models.participants import ImportSummary, cohort_emails, import_participants
from models.programme import ProgrammeDefinition
from models.programme_file import find_programme, load_programme
from models.surveys import record_responses
from models.training import cohort_sessions, record_attendance
from tasks.attendance_csv import parse_attendance_csv
from tasks.participants_csv import parse_participants_csv
from tasks.responses_csv import parse_responses_csv
from tasks.runtime import Runtime, get_runtime
from tasks.step import step


class SetupError(ValueError):
    pass


def register_cohort(
    runtime: Runtime, *, programme_ref: str, cohort: str, simulated: bool = False, seed: int = 7
) -> tuple[int, ProgrammeDefinition]:
    """Load and validate the programme file, store it, and create (or find) the cohort."""
    path = find_programme(programme_ref, runtime.settings.programmes_dir)
    definition = load_programme(path)
    with runtime.session() as session:
        programme = save_programme(session, definition=definition, source_file=path, now=runtime.clock.now())
        found = create_cohort(session, programme=programme, name=cohort, now=runtime.clock.now(), simulated=simulated, seed=seed)
        return found.id, programme_definition(programme)


def cohort_programme(runtime: Runtime, *, cohort: str, programme_ref: str | None) -> tuple[int, ProgrammeDefinition]:
    with runtime.session() as session:
        found = find_cohort(session, name=cohort)
        if found is not None:
            return found.id, programme_definition(found.programme)
    if programme_ref is None:
        raise SetupError(f"cohort {cohort!r} does not exist yet: name its programme with --programme PROGRAMME")
    return register_cohort(runtime, programme_ref=programme_ref, cohort=cohort)


def import_participants_file(runtime: Runtime, *, cohort: str, file: Path, programme_ref: str | None = None) -> ImportSummary:
    """Check every row, then store all of them in one transaction (or none: CsvImportError lists the problems)."""
    cohort_id, programme = cohort_programme(runtime, cohort=cohort, programme_ref=programme_ref)
    rows = parse_participants_csv(file, programme)
    with runtime.session() as session:
        return import_participants(session, cohort_id=cohort_id, rows=rows, now=runtime.clock.now())


def import_responses_file(runtime: Runtime, *, cohort: str, file: Path) -> int:
    cohort_id, programme = cohort_programme(runtime, cohort=cohort, programme_ref=None)
    with runtime.session() as session:
        known = set(cohort_emails(session, cohort_id=cohort_id))
    rows = parse_responses_csv(file, programme, known)
    with runtime.session() as session:
        return record_responses(session, cohort_id=cohort_id, rows=rows, now=runtime.clock.now())


def import_attendance_file(runtime: Runtime, *, cohort: str, file: Path) -> int:
    """Record a training register; the sessions must exist (the training stage schedules them)."""
    cohort_id, _ = cohort_programme(runtime, cohort=cohort, programme_ref=None)
    with runtime.session() as session:
        sessions = {row.name: row for row in cohort_sessions(session, cohort_id=cohort_id)}
        people = cohort_emails(session, cohort_id=cohort_id)
    if not sessions:
        raise SetupError(f"cohort {cohort!r} has no training sessions yet: they are created when its training stage runs")
    rows = parse_attendance_csv(file, sessions=set(sessions), known_emails=set(people))
    with runtime.session() as session:
        for name in {row.session for row in rows}:
            marks = {people[row.email].id: row.attended for row in rows if row.session == name}
            record_attendance(session, session_id=sessions[name].id, attended_by=marks, now=runtime.clock.now())
    return len(rows)


@step(name="ensure-cohort")
def ensure_cohort(cohort: str | None, programme_ref: str | None, simulate: bool, seed: int) -> int:
    """The cohort's id; a new cohort is registered from its programme (a scheduled run names it by year)."""
    runtime = get_runtime()
    if cohort is None:
        if programme_ref is None:
            raise SetupError("a lifecycle run needs a cohort name or a programme")
        cohort = f"{programme_ref}-{runtime.clock.now().year}"
    with runtime.session() as session:
        found = find_cohort(session, name=cohort)
        if found is not None:
            return found.id
    if programme_ref is None:
        raise SetupError(f"cohort {cohort!r} does not exist: name its programme to create it")
    cohort_id, _ = register_cohort(runtime, programme_ref=programme_ref, cohort=cohort, simulated=simulate, seed=seed)
    return cohort_id
