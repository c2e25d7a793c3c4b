"""Surveys and responses: idempotent opening, upsert per person and survey, non-responders."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from models.domain import Role
from models.participants import ParticipantRow, import_participants, participations, set_status
from models.surveys import ResponseRow, non_responders, open_survey, record_responses, responses_for
from models.tables import Cohort, Programme, Response, Survey

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)


@pytest.fixture
def cohort(session, programme) -> Cohort:
    record = Programme(
        slug=programme.slug, name=programme.name, organisation=programme.organisation,
        phase=programme.phase.value, definition=programme.model_dump(mode="json"), updated_at=NOW,
    )
    cohort = Cohort(programme=record, name="2027", created_at=NOW)
    session.add_all([record, cohort])
    session.flush()
    rows = [
        ParticipantRow(email=email, name=email, role=role, organisation="O", sector="S", region="R", grade=5, topics=["finance"])
        for email, role in [("mentor@example.org", Role.mentor), ("ada@example.org", Role.mentee), ("bob@example.org", Role.mentee)]
    ]
    import_participants(session, cohort_id=cohort.id, rows=rows, now=NOW)
    return cohort


def test_open_survey_is_idempotent(session, cohort):
    first = open_survey(session, cohort_id=cohort.id, kind="pre", now=NOW)
    again = open_survey(session, cohort_id=cohort.id, kind="pre", now=NOW + timedelta(days=3))

    assert again.id == first.id
    assert again.opened_at == NOW
    assert session.scalar(select(func.count()).select_from(Survey)) == 1


def test_open_survey_refuses_an_unknown_kind(session, cohort):
    with pytest.raises(ValueError, match="unknown survey 'weekly'"):
        open_survey(session, cohort_id=cohort.id, kind="weekly", now=NOW)


def test_record_responses_upserts_by_survey_and_person(session, cohort):
    stored = record_responses(
        session, cohort_id=cohort.id, now=NOW,
        rows=[ResponseRow(email="ada@example.org", survey="pre", answers={"confidence": 2}),
              ResponseRow(email="ada@example.org", survey="post", answers={"confidence": 4})],
    )
    record_responses(session, cohort_id=cohort.id, now=NOW + timedelta(days=1),
                     rows=[ResponseRow(email="ada@example.org", survey="pre", answers={"confidence": 3})])

    assert stored == 2
    assert session.scalar(select(func.count()).select_from(Response)) == 2
    [(participation, response)] = responses_for(session, cohort_id=cohort.id, kind="pre")
    assert (participation.person.email, response.answers) == ("ada@example.org", {"confidence": 3})
    assert [r.answers for _, r in responses_for(session, cohort_id=cohort.id, kind="post")] == [{"confidence": 4}]


def test_record_responses_refuses_someone_outside_the_cohort(session, cohort):
    with pytest.raises(ValueError, match="eve@example.org"):
        record_responses(session, cohort_id=cohort.id, now=NOW, rows=[ResponseRow(email="eve@example.org", survey="pre")])

    assert session.scalar(select(func.count()).select_from(Response)) == 0


def test_non_responders_by_role_skip_the_withdrawn(session, cohort):
    record_responses(session, cohort_id=cohort.id, now=NOW, rows=[ResponseRow(email="ada@example.org", survey="midpoint", answers={"satisfaction": 4})])

    assert [p.person.email for p in non_responders(session, cohort_id=cohort.id, kind="midpoint")] == ["mentor@example.org", "bob@example.org"]
    assert [p.person.email for p in non_responders(session, cohort_id=cohort.id, kind="midpoint", role="mentee")] == ["bob@example.org"]

    bob = participations(session, cohort_id=cohort.id, role="mentee", status="applied")[-1]
    set_status(session, participation_ids=[bob.id], status="withdrawn", reason="left the organisation")
    assert [p.person.email for p in non_responders(session, cohort_id=cohort.id, kind="midpoint", role="mentee")] == []


def test_non_responders_limited_to_given_statuses(session, cohort):
    mentor = participations(session, cohort_id=cohort.id, role="mentor")[0]
    set_status(session, participation_ids=[mentor.id], status="matched")

    expected = non_responders(session, cohort_id=cohort.id, kind="post", statuses=["matched"])

    assert [p.person.email for p in expected] == ["mentor@example.org"]
