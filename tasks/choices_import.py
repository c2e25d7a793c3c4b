"""Import mentees' ranked choices of mentor for a cohort (for `mentorflow choices import COHORT FILE`)."""

from pathlib import Path

from models.choices import replace_choices
from models.participants import participations
from tasks.choices_csv import parse_choices_csv
from tasks.cohort_setup import cohort_programme
from tasks.runtime import Runtime


def import_choices_file(runtime: Runtime, *, cohort: str, file: Path) -> int:
    """Check every row, then store all of them (or none: CsvImportError lists the problems).
    A mentee's new ranking replaces their earlier one. Returns the number of mentees whose choices were stored."""
    cohort_id, _ = cohort_programme(runtime, cohort=cohort, programme_ref=None)
    with runtime.session() as session:
        ids = {role: {p.person.email.lower(): p.id for p in participations(session, cohort_id=cohort_id, role=role)}
               for role in ("mentee", "mentor")}
    rows = parse_choices_csv(Path(file), mentee_emails=set(ids["mentee"]), mentor_emails=set(ids["mentor"]))
    with runtime.session() as session:
        replace_choices(session, cohort_id=cohort_id, now=runtime.clock.now(), choices={
            ids["mentee"][row.mentee_email]: [ids["mentor"][email] for email in row.mentor_emails] for row in rows
        })
    return len(rows)
