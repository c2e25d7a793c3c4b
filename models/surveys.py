"""Surveys (pre, midpoint, post, follow-up) and participants' responses to them."""

from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.participants import cohort_emails, participations
from models.tables import Participation, Response, Survey

SurveyKind = Literal["pre", "midpoint", "post", "followup"]
SURVEY_KINDS: tuple[str, ...] = ("pre", "midpoint", "post", "followup")
EXPECTED_TO_RESPOND_EXCLUDES = frozenset({"withdrawn", "ineligible"})

Answer = int | bool | str


class ResponseRow(BaseModel):
    """One person's answers to one survey: a checked CSV row, or a simulated response in the demo.

    `answers` holds only what was answered: rating items and `satisfaction`/`meetings_held` as
    integers, outcome items and `would_recommend` as booleans, `goals_reached` as
    "yes"/"no"/"partly", `comments` as text.
    """

    row: int = Field(default=0, description="the spreadsheet row it came from; 0 when not from a file")
    email: str
    survey: SurveyKind
    answers: dict[str, Answer] = Field(default_factory=dict)


def open_survey(session: Session, *, cohort_id: int, kind: str, now: datetime) -> Survey:
    """The cohort's survey of this kind, created on first call (`opened_at` is kept after)."""
    if kind not in SURVEY_KINDS:
        raise ValueError(f"unknown survey {kind!r}; expected one of {', '.join(SURVEY_KINDS)}")
    survey = session.scalar(select(Survey).where(Survey.cohort_id == cohort_id, Survey.kind == kind))
    if survey is None:
        survey = Survey(cohort_id=cohort_id, kind=kind, opened_at=now)
        session.add(survey)
        session.flush()
    return survey


def record_responses(session: Session, *, cohort_id: int, rows: Iterable[ResponseRow], now: datetime) -> int:
    """Store each row as the person's response to its survey (replacing an earlier one); returns the count.

    Runs in the caller's transaction. Raises ValueError naming the email when a row's person
    is not a participant of the cohort (the CSV parser checks this first).
    """
    rows = list(rows)
    by_email = cohort_emails(session, cohort_id=cohort_id)
    strangers = sorted({row.email for row in rows} - set(by_email))
    if strangers:
        raise ValueError(f"not participants of cohort {cohort_id}: {', '.join(strangers)}")
    for kind in sorted({r.survey for r in rows}):
        survey = open_survey(session, cohort_id=cohort_id, kind=kind, now=now)
        answers = {by_email[row.email].id: dict(row.answers) for row in rows if row.survey == kind}
        store_answers(session, survey_id=survey.id, answers=answers, now=now)
    return len(rows)


def store_answers(session: Session, *, survey_id: int, answers: dict[int, dict], now: datetime) -> int:
    """Insert or replace each participation's answers to one survey; returns how many were new."""
    existing = {r.participation_id: r for r in session.scalars(select(Response).where(Response.survey_id == survey_id))}
    new = 0
    for participation_id, answer in answers.items():
        row = existing.get(participation_id)
        if row is None:
            session.add(Response(survey_id=survey_id, participation_id=participation_id, answers=answer, submitted_at=now))
            new += 1
        else:
            row.answers, row.submitted_at = answer, now
    session.flush()
    return new


def answered(session: Session, *, cohort_id: int, kind: str) -> dict[int, dict]:
    """Each participation's answers to the cohort's survey of this kind."""
    rows = session.execute(
        select(Response.participation_id, Response.answers)
        .join(Survey, Survey.id == Response.survey_id)
        .where(Survey.cohort_id == cohort_id, Survey.kind == kind)
    )
    return {participation_id: answers for participation_id, answers in rows}


def responses_for(session: Session, *, cohort_id: int, kind: str) -> list[tuple[Participation, Response]]:
    query = (
        select(Participation, Response)
        .join(Response, Response.participation_id == Participation.id)
        .join(Survey, Survey.id == Response.survey_id)
        .where(Survey.cohort_id == cohort_id, Survey.kind == kind)
        .options(selectinload(Participation.person))
        .order_by(Participation.id)
    )
    return [(participation, response) for participation, response in session.execute(query).tuples()]


def non_responders(
    session: Session, *, cohort_id: int, kind: str, role: str | None = None, statuses: Iterable[str] | None = None
) -> list[Participation]:
    """Participants expected to answer this survey who have not.

    Expected: those whose status is in `statuses`, or when not given everyone except the
    withdrawn and the ineligible. A survey not yet opened has no responders.
    """
    responded = {participation.id for participation, _ in responses_for(session, cohort_id=cohort_id, kind=kind)}
    wanted = set(statuses) if statuses is not None else None
    return [
        p
        for p in participations(session, cohort_id=cohort_id, role=role)
        if p.id not in responded
        and (p.status in wanted if wanted is not None else p.status not in EXPECTED_TO_RESPOND_EXCLUDES)
    ]
