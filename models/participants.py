"""The participant repository: people, their part in a cohort, profiles and consented demographics.

`import_participants` runs inside the caller's transaction (it flushes, never commits), so a
failure leaves the stored data as it was.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from models.domain import ParticipantProfile, ParticipantStatus, Role
from models.tables import Attendance, Demographic, Participation, Person, Profile, TrainingSessionRow

DEMOGRAPHIC_ATTRIBUTES = ("ethnicity", "gender", "disability", "age_band")
ROLE_CHANGE_STATUSES = frozenset({"invited", "applied", "eligible", "ineligible"})
TRAINED_STATUSES = frozenset({"trained", "matched", "unmatched", "completed"})
SESSION_AUDIENCE = {Role.mentor: "mentors", Role.mentee: "mentees"}
_CHUNK = 500


class ParticipantRow(BaseModel):
    """One applicant as imported: a checked CSV row, or a synthetic applicant in the demo."""

    row: int = Field(default=0, description="the spreadsheet row it came from; 0 when not from a file")
    email: str
    name: str
    role: Role
    organisation: str
    sector: str
    region: str
    grade: int = Field(ge=0)
    topics: list[str] = Field(min_length=1, description="a mentee's goals or a mentor's expertise")
    team: str = ""
    line_manager_email: str | None = None
    capacity: int = Field(default=1, ge=1, description="mentees always 1")
    languages: list[str] = Field(default_factory=list)
    availability: list[str] = Field(default_factory=list)
    conflicts: list[str] = Field(default_factory=list)
    nominated_by: str | None = None
    identity_match: bool = False
    consent_demographics: bool = False
    demographics: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _demographics_need_consent(self) -> "ParticipantRow":
        if self.demographics and not self.consent_demographics:
            raise ValueError("demographic answers given without consent_demographics=yes")
        if self.identity_match and not self.consent_demographics:
            raise ValueError("identity_match=yes needs consent_demographics=yes")
        unknown = set(self.demographics) - set(DEMOGRAPHIC_ATTRIBUTES)
        if unknown:
            raise ValueError(f"unknown demographic attribute(s): {', '.join(sorted(unknown))}")
        return self


class ImportSummary(BaseModel):
    mentors: int = 0
    mentees: int = 0
    new: int = Field(default=0, description="participations created")
    updated: int = Field(default=0, description="participations already in the cohort, updated in place")
    people_new: int = Field(default=0, description="people not seen before in any cohort")


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def people_by_email(session: Session, *, emails: Iterable[str]) -> dict[str, Person]:
    emails = sorted(set(emails))
    found: dict[str, Person] = {}
    for chunk in _chunks(emails):
        found.update({p.email: p for p in session.scalars(select(Person).where(Person.email.in_(chunk)))})
    return found


def import_participants(session: Session, *, cohort_id: int, rows: list[ParticipantRow], now: datetime) -> ImportSummary:
    """Upsert people and their participation, profile and consented demographics in one transaction.

    Importing the same rows again updates in place; a person's progress (status) is kept.
    Withdrawn consent (a re-import with consent_demographics=no) deletes their stored answers.
    Work is batched (one flush per kind of row), not one round trip per person.
    """
    summary = ImportSummary()
    people = people_by_email(session, emails=[row.email for row in rows])
    for row in rows:
        person = people.get(row.email)
        if person is None:
            person = people[row.email] = Person(email=row.email)
            session.add(person)
            summary.people_new += 1
        person.name, person.organisation, person.team = row.name, row.organisation, row.team
        person.sector, person.region, person.grade = row.sector, row.region, row.grade
        person.line_manager_email = row.line_manager_email
    session.flush()

    existing = {p.person_id: p for p in participations(session, cohort_id=cohort_id)}
    for row in rows:
        person = people[row.email]
        participation = existing.get(person.id)
        if participation is None:
            participation = existing[person.id] = Participation(
                cohort_id=cohort_id, person_id=person.id, status=ParticipantStatus.applied.value, profile=Profile()
            )
            session.add(participation)
            summary.new += 1
        else:
            if participation.role != row.role.value and participation.status not in ROLE_CHANGE_STATUSES:
                raise ValueError(
                    f"row {row.row}: {row.email} is already a {participation.status} {participation.role} in this cohort;"
                    f" their role cannot change to {row.role.value} now — put them back as {participation.role}"
                )
            summary.updated += 1
        participation.role = row.role.value
        participation.capacity = row.capacity if row.role == Role.mentor else 1
        participation.nominated_by = row.nominated_by
        if row.role == Role.mentor:
            summary.mentors += 1
        else:
            summary.mentees += 1
    session.flush()

    stored = _demographics_by_participation(session, participation_ids=[p.id for p in existing.values()])
    for row in rows:
        participation = existing[people[row.email].id]
        _store_profile(session, participation, row)
        _store_demographics(session, participation.id, row, stored.get(participation.id, {}), now)
    session.flush()
    return summary


def _store_profile(session: Session, participation: Participation, row: ParticipantRow) -> None:
    profile = participation.profile
    if profile is None:  # a participation stored by something other than this import
        profile = participation.profile = Profile(participation_id=participation.id)
        session.add(profile)
    profile.topics = list(row.topics)
    profile.languages = list(row.languages)
    profile.availability = list(row.availability)
    profile.conflicts = list(row.conflicts)
    profile.identity_match = row.identity_match and row.consent_demographics


def _demographics_by_participation(session: Session, *, participation_ids: list[int]) -> dict[int, dict[str, Demographic]]:
    found: dict[int, dict[str, Demographic]] = defaultdict(dict)
    for chunk in _chunks(sorted(participation_ids)):
        for record in session.scalars(select(Demographic).where(Demographic.participation_id.in_(chunk))):
            found[record.participation_id][record.attribute] = record
    return found


def _store_demographics(
    session: Session, participation_id: int, row: ParticipantRow, stored: dict[str, Demographic], now: datetime
) -> None:
    answers = row.demographics if row.consent_demographics else {}
    for attribute, record in stored.items():
        if attribute not in answers:
            session.delete(record)
    for attribute, value in answers.items():
        if attribute in stored:
            stored[attribute].value = value
        else:
            session.add(Demographic(participation_id=participation_id, attribute=attribute, value=value, consented_at=now))


def participations(
    session: Session, *, cohort_id: int, role: str | None = None, status: str | None = None
) -> list[Participation]:
    return _participations(
        session, cohort_id=cohort_id, roles=None if role is None else [role], statuses=None if status is None else [status]
    )


def _participations(
    session: Session, *, cohort_id: int, roles: Iterable[str] | None, statuses: Iterable[str] | None
) -> list[Participation]:
    query = (
        select(Participation)
        .where(Participation.cohort_id == cohort_id)
        .options(selectinload(Participation.person), selectinload(Participation.profile))
        .order_by(Participation.id)
    )
    if roles is not None:
        query = query.where(Participation.role.in_([str(r) for r in roles]))
    if statuses is not None:
        query = query.where(Participation.status.in_([str(s) for s in statuses]))
    return list(session.scalars(query))


def cohort_emails(session: Session, *, cohort_id: int) -> dict[str, Participation]:
    """Each participant of the cohort by (lower-case) email."""
    return {p.person.email: p for p in participations(session, cohort_id=cohort_id)}


def set_status(session: Session, *, participation_ids: Iterable[int], status: str, reason: str | None = None) -> int:
    """Set many participations' status at once; returns how many rows changed."""
    status = ParticipantStatus(status).value
    ids = sorted(set(participation_ids))
    changed = 0
    for chunk in _chunks(ids):
        result = session.execute(
            update(Participation)
            .where(Participation.id.in_(chunk))
            .values(status=status, status_reason=reason)
            .execution_options(synchronize_session="fetch")
        )
        changed += result.rowcount
    return changed


def count_by_role_and_status(session: Session, *, cohort_id: int) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {role.value: {} for role in Role}
    rows = session.execute(
        select(Participation.role, Participation.status).where(Participation.cohort_id == cohort_id)
    )
    for role, status in rows:
        counts.setdefault(role, {})
        counts[role][status] = counts[role].get(status, 0) + 1
    return counts


def manager_chains(session: Session, *, emails: Iterable[str]) -> dict[str, list[str]]:
    """For each email, its line manager, their manager and so on up, read across all people.

    The chain stops at someone with no recorded manager, at someone not in the people table
    (their email is still included), or where it would loop back on itself.
    """
    emails = list(emails)
    managers: dict[str, str | None] = {}
    to_load = set(emails)
    while to_load:
        loaded = {email: None for email in to_load}
        for chunk in _chunks(sorted(to_load)):
            loaded.update(session.execute(select(Person.email, Person.line_manager_email).where(Person.email.in_(chunk))).tuples().all())
        managers.update(loaded)
        to_load = {m for m in loaded.values() if m and m not in managers}
    chains: dict[str, list[str]] = {}
    for email in emails:
        chain: list[str] = []
        seen = {email}
        current = managers.get(email)
        while current and current not in seen:
            chain.append(current)
            seen.add(current)
            current = managers.get(current)
        chains[email] = chain
    return chains


def cohort_profiles(
    session: Session, *, cohort_id: int, roles: Iterable[str] | None = None, statuses: Iterable[str] | None = None
) -> list[ParticipantProfile]:
    """The cohort's participants as the pure stage logic sees them.

    `trained` is True when the status says so (trained, matched, unmatched, completed); False
    when it is `untrained`; otherwise (before the training stage sets statuses) True when the
    person attended every required session for their audience, if the cohort has any.
    """
    found = _participations(session, cohort_id=cohort_id, roles=roles, statuses=statuses)
    ids = [p.id for p in found]
    demographics = _demographics_by_participation(session, participation_ids=ids)
    chains = manager_chains(session, emails=[p.person.email for p in found])
    attended_all = _attended_all_required(session, cohort_id=cohort_id, participation_ids=ids)
    profiles = []
    for participation in found:
        person, profile = participation.person, participation.profile
        role = Role(participation.role)
        if participation.status in TRAINED_STATUSES:
            trained = True
        elif participation.status == ParticipantStatus.untrained:
            trained = False
        else:
            trained = attended_all.get((participation.id, SESSION_AUDIENCE[role]), False)
        profiles.append(
            ParticipantProfile(
                participation_id=participation.id,
                email=person.email,
                name=person.name,
                role=role,
                organisation=person.organisation,
                team=person.team,
                sector=person.sector,
                region=person.region,
                grade=person.grade,
                topics=list(profile.topics) if profile else [],
                languages=list(profile.languages) if profile else [],
                availability=list(profile.availability) if profile else [],
                conflicts=list(profile.conflicts) if profile else [],
                line_manager_email=person.line_manager_email,
                manager_chain=chains.get(person.email, []),
                capacity=participation.capacity,
                nominated_by=participation.nominated_by,
                trained=trained,
                identity_match=bool(profile and profile.identity_match),
                demographics={a: d.value for a, d in demographics.get(participation.id, {}).items()},
            )
        )
    return profiles


def _attended_all_required(session: Session, *, cohort_id: int, participation_ids: list[int]) -> dict[tuple[int, str], bool]:
    """(participation id, audience) -> attended every required session of that audience."""
    required = defaultdict(set)
    for session_id, audience in session.execute(
        select(TrainingSessionRow.id, TrainingSessionRow.audience).where(
            TrainingSessionRow.cohort_id == cohort_id, TrainingSessionRow.required.is_(True)
        )
    ):
        required[audience].add(session_id)
    if not required:
        return {}
    attended = defaultdict(set)
    for chunk in _chunks(participation_ids):
        for participation_id, session_id in session.execute(
            select(Attendance.participation_id, Attendance.session_id).where(
                Attendance.participation_id.in_(chunk), Attendance.attended.is_(True)
            )
        ):
            attended[participation_id].add(session_id)
    return {
        (participation_id, audience): sessions <= attended[participation_id]
        for participation_id in participation_ids
        for audience, sessions in required.items()
    }
