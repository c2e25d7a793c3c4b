"""rollover_invitations: who is asked back to mentor, with what profile, and never twice."""

from datetime import UTC, datetime, timedelta

import pytest

from models.cohorts import create_cohort, save_programme, set_cohort_state
from models.domain import Role
from models.participants import ParticipantRow, import_participants, participations, set_status
from models.rollover import RolloverProgrammeMismatch, rollover_invitations

FIRST_YEAR = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
NEXT_YEAR = FIRST_YEAR + timedelta(days=365)


def applicant(email: str, role: Role, topics: list[str], **fields) -> ParticipantRow:
    values = dict(
        email=email, name=email.split("@")[0].title(), role=role, organisation="Org", sector="policy",
        region="London", grade=4 if role == Role.mentee else 8, topics=topics,
    )
    return ParticipantRow(**(values | fields))


def cohort_with(session, programme_row, name: str, created_at: datetime, people: dict[str, tuple[Role, str]], state: str):
    """A cohort whose people ended in the given statuses: {email: (role, status)}."""
    cohort = create_cohort(session, programme=programme_row, name=name, now=created_at)
    rows = [
        applicant(email, role, ["finance", "strategy"] if role == Role.mentee else ["leadership"], capacity=2 if role == Role.mentor else 1)
        for email, (role, _) in people.items()
    ]
    import_participants(session, cohort_id=cohort.id, rows=rows, now=created_at)
    by_email = {p.person.email: p for p in participations(session, cohort_id=cohort.id)}
    for email, (_, status) in people.items():
        set_status(session, participation_ids=[by_email[email].id], status=status)
    set_cohort_state(session, cohort_id=cohort.id, state=state, now=created_at + timedelta(days=300))
    session.flush()
    return cohort


@pytest.fixture
def programme_row(session, programme):
    return save_programme(session, definition=programme, source_file=None, now=FIRST_YEAR)


@pytest.fixture
def last_year(session, programme_row):
    return cohort_with(
        session, programme_row, "pilot-2027", FIRST_YEAR,
        {
            "mentor.done@example.org": (Role.mentor, "completed"),
            "mentor.matched@example.org": (Role.mentor, "matched"),
            "mentor.unmatched@example.org": (Role.mentor, "unmatched"),
            "mentor.left@example.org": (Role.mentor, "withdrawn"),
            "mentee.done@example.org": (Role.mentee, "completed"),
            "mentee.left@example.org": (Role.mentee, "withdrawn"),
        },
        state="completed",
    )


@pytest.fixture
def next_year(session, programme_row, last_year):
    return create_cohort(session, programme=programme_row, name="bau-2028", now=NEXT_YEAR)


def new_cohort_people(session, cohort_id: int) -> dict[str, tuple[str, str, list, int]]:
    return {
        p.person.email: (p.role, p.status, list(p.profile.topics), p.capacity)
        for p in participations(session, cohort_id=cohort_id)
    }


def test_last_cohorts_mentors_return_and_its_completed_mentees_are_invited_to_mentor(session, programme, next_year):
    invitations = rollover_invitations(session, programme_slug=programme.slug, new_cohort_id=next_year.id)

    assert {(i.email, i.previous_role, i.previous_cohort) for i in invitations} == {
        ("mentor.done@example.org", Role.mentor, "pilot-2027"),
        ("mentor.matched@example.org", Role.mentor, "pilot-2027"),
        ("mentee.done@example.org", Role.mentee, "pilot-2027"),
    }
    assert new_cohort_people(session, next_year.id) == {
        "mentor.done@example.org": ("mentor", "invited", ["leadership"], 2),
        "mentor.matched@example.org": ("mentor", "invited", ["leadership"], 2),
        "mentee.done@example.org": ("mentor", "invited", ["finance", "strategy"], 1),
    }


def test_running_it_again_creates_no_second_participation(session, programme, next_year):
    first = rollover_invitations(session, programme_slug=programme.slug, new_cohort_id=next_year.id)
    again = rollover_invitations(session, programme_slug=programme.slug, new_cohort_id=next_year.id)

    assert [i.participation_id for i in again] == [i.participation_id for i in first]
    assert len(participations(session, cohort_id=next_year.id)) == 3


def test_someone_already_in_the_new_cohort_is_left_as_they_are(session, programme, next_year):
    import_participants(
        session, cohort_id=next_year.id, rows=[applicant("mentee.done@example.org", Role.mentee, ["finance"])], now=NEXT_YEAR
    )

    invitations = rollover_invitations(session, programme_slug=programme.slug, new_cohort_id=next_year.id)

    assert "mentee.done@example.org" not in {i.email for i in invitations}
    assert new_cohort_people(session, next_year.id)["mentee.done@example.org"] == ("mentee", "applied", ["finance"], 1)


def test_the_latest_finished_cohort_is_the_one_rolled_over(session, programme, programme_row, last_year):
    cohort_with(
        session, programme_row, "stopped-2027", FIRST_YEAR + timedelta(days=100),
        {"mentor.stopped@example.org": (Role.mentor, "completed")}, state="stopped",
    )
    newest = create_cohort(session, programme=programme_row, name="bau-2028", now=NEXT_YEAR)

    invitations = rollover_invitations(session, programme_slug=programme.slug, new_cohort_id=newest.id)

    assert {i.previous_cohort for i in invitations} == {"pilot-2027"}
    assert "mentor.stopped@example.org" not in {i.email for i in invitations}


def test_a_first_cohort_has_nobody_to_invite(session, programme, programme_row):
    first = create_cohort(session, programme=programme_row, name="pilot-2027", now=FIRST_YEAR)

    assert rollover_invitations(session, programme_slug=programme.slug, new_cohort_id=first.id) == []


def test_a_cohort_of_another_programme_is_refused(session, next_year):
    with pytest.raises(RolloverProgrammeMismatch, match="belongs to programme"):
        rollover_invitations(session, programme_slug="someone-else", new_cohort_id=next_year.id)
