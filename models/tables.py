"""SQLAlchemy tables: the system of record for programmes, cohorts and everything they do."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, TypeDecorator, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UtcDateTime(TypeDecorator):
    """Stored as UTC, read back timezone-aware: SQLite would otherwise drop the offset silently."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("mentorflow stores timezone-aware datetimes only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: UtcDateTime}


class Programme(Base):
    __tablename__ = "programmes"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(10))
    schedule_active: Mapped[bool] = mapped_column(Boolean, default=False)
    definition: Mapped[dict[str, Any]]
    source_file: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]
    cohorts: Mapped[list["Cohort"]] = relationship(back_populates="programme")


class Cohort(Base):
    __tablename__ = "cohorts"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"))
    name: Mapped[str] = mapped_column(String(100), unique=True)
    state: Mapped[str] = mapped_column(String(20), default="created")
    flow_run_id: Mapped[str | None] = mapped_column(String(40))
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)
    seed: Mapped[int] = mapped_column(Integer, default=7)
    wake_at: Mapped[datetime | None] = mapped_column(default=None)
    clock_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    programme: Mapped[Programme] = relationship(back_populates="cohorts")


class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    team: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[str] = mapped_column(String(100), default="")
    region: Mapped[str] = mapped_column(String(100), default="")
    grade: Mapped[int] = mapped_column(Integer, default=0)
    line_manager_email: Mapped[str | None] = mapped_column(String(254))


class Participation(Base):
    """A person's part in one cohort, as mentor or mentee, and how far they got."""

    __tablename__ = "participations"
    __table_args__ = (UniqueConstraint("cohort_id", "person_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    role: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="invited")
    status_reason: Mapped[str | None] = mapped_column(Text)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    nominated_by: Mapped[str | None] = mapped_column(String(254))
    person: Mapped[Person] = relationship()
    profile: Mapped["Profile"] = relationship(back_populates="participation", uselist=False)


class Profile(Base):
    __tablename__ = "profiles"
    participation_id: Mapped[int] = mapped_column(ForeignKey("participations.id"), primary_key=True)
    topics: Mapped[list[Any]] = mapped_column(default=list)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    availability: Mapped[list[Any]] = mapped_column(default=list)
    conflicts: Mapped[list[Any]] = mapped_column(default=list)
    identity_match: Mapped[bool] = mapped_column(Boolean, default=False)
    participation: Mapped[Participation] = relationship(back_populates="profile")


class Demographic(Base):
    """A consented demographic answer. Never logged or published per person."""

    __tablename__ = "demographics"
    __table_args__ = (UniqueConstraint("participation_id", "attribute"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[int] = mapped_column(ForeignKey("participations.id"))
    attribute: Mapped[str] = mapped_column(String(50))
    value: Mapped[str] = mapped_column(String(100))
    consented_at: Mapped[datetime]


class TrainingSessionRow(Base):
    __tablename__ = "training_sessions"
    __table_args__ = (UniqueConstraint("cohort_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    name: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(Integer)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    uid: Mapped[str] = mapped_column(String(200), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)


class Attendance(Base):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "participation_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"))
    participation_id: Mapped[int] = mapped_column(ForeignKey("participations.id"))
    attended: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime]


class MatchingRun(Base):
    __tablename__ = "matching_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    purpose: Mapped[str] = mapped_column(String(20), default="initial")
    mode: Mapped[str] = mapped_column(String(20))
    solver: Mapped[str] = mapped_column(String(100))
    inputs_hash: Mapped[str] = mapped_column(String(64))
    weights: Mapped[dict[str, Any]]
    size: Mapped[dict[str, Any]]
    seconds: Mapped[float] = mapped_column(Float)
    objective: Mapped[float] = mapped_column(Float)
    summary: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class MenteeChoice(Base):
    """A mentee's ranked choice of mentor for mentee_choice and hybrid matching (imported from CSV)."""

    __tablename__ = "mentee_choices"
    __table_args__ = (UniqueConstraint("mentee_id", "rank"), UniqueConstraint("mentee_id", "mentor_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("participations.id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("participations.id"))
    rank: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime]


class Match(Base):
    __tablename__ = "matches"
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("matching_runs.id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("participations.id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("participations.id"))
    score: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="active")
    agreement: Mapped[dict[str, Any]] = mapped_column(default=dict)
    started_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    mentor: Mapped[Participation] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[Participation] = relationship(foreign_keys=[mentee_id])


class Meeting(Base):
    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id"))
    held_on: Mapped[datetime]
    minutes: Mapped[int] = mapped_column(Integer)


class Survey(Base):
    __tablename__ = "surveys"
    __table_args__ = (UniqueConstraint("cohort_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    kind: Mapped[str] = mapped_column(String(20))
    opened_at: Mapped[datetime]


class Response(Base):
    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("survey_id", "participation_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"))
    participation_id: Mapped[int] = mapped_column(ForeignKey("participations.id"))
    answers: Mapped[dict[str, Any]]
    submitted_at: Mapped[datetime]


class StageRun(Base):
    """One run of a stage (a rework makes another round) and its gate."""

    __tablename__ = "stage_runs"
    __table_args__ = (UniqueConstraint("cohort_id", "stage", "round"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    stage: Mapped[str] = mapped_column(String(20))
    round: Mapped[int] = mapped_column(Integer, default=1)
    state: Mapped[str] = mapped_column(String(20), default="running")
    rework_comment: Mapped[str | None] = mapped_column(Text)
    output: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    gate_flow_run_id: Mapped[str | None] = mapped_column(String(40))
    gate_opened_at: Mapped[datetime | None]


class GateDecisionRow(Base):
    __tablename__ = "gate_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    stage_run_id: Mapped[int] = mapped_column(ForeignKey("stage_runs.id"))
    stage: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(String(10))
    decided_by: Mapped[str] = mapped_column(String(254))
    decided_at: Mapped[datetime]
    comment: Mapped[str] = mapped_column(Text, default="")
    flow_run_id: Mapped[str | None] = mapped_column(String(40))
    accepted: Mapped[bool] = mapped_column(Boolean)
    refusal_reason: Mapped[str | None] = mapped_column(Text)


class Message(Base):
    """The outbox: one row per email, keyed so it can never be sent twice."""

    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"))
    recipient: Mapped[str] = mapped_column(String(254))
    purpose: Mapped[str] = mapped_column(String(50))
    template: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(Text)
    context: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # A delivery run holds a row while it sends it; another run skips it until then (real time).
    claimed_until: Mapped[datetime | None]
