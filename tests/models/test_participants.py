"""The participant repository: all-or-nothing import, re-import in place, profiles for the stages."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.domain import Role
from models.participants import (
    ParticipantRow,
    cohort_profiles,
    count_by_role_and_status,
    import_participants,
    participations,
    set_status,
)
from models.tables import Cohort, Demographic, Participation, Person, Profile, Programme
from tasks.csv_rows import CsvImportError
from tasks.participants_csv import parse_participants_csv

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "examples" / "participants-example.csv"


@pytest.fixture
def cohort(session, programme) -> Cohort:
    record = Programme(
        slug=programme.slug, name=programme.name, organisation=programme.organisation,
        phase=programme.phase.value, definition=programme.model_dump(mode="json"), updated_at=NOW,
    )
    cohort = Cohort(programme=record, name="2027", created_at=NOW)
    session.add_all([record, cohort])
    session.flush()
    return cohort


def person(email: str, role: Role = Role.mentee, **fields) -> ParticipantRow:
    values = dict(
        email=email, name=email.split("@")[0].title(), role=role, organisation="Org", sector="policy",
        region="London", grade=4 if role == Role.mentee else 8, topics=["leadership"],
    )
    return ParticipantRow(**(values | fields))


def table_counts(session) -> dict[str, int]:
    return {
        table.__tablename__: session.scalar(select(func.count()).select_from(table))
        for table in (Person, Participation, Profile, Demographic)
    }


def test_example_file_imports_in_one_go(session, cohort, programme):
    rows = parse_participants_csv(EXAMPLE, programme)
    summary = import_participants(session, cohort_id=cohort.id, rows=rows, now=NOW)

    assert (summary.mentors, summary.mentees, summary.new, summary.updated) == (6, 5, 11, 0)
    consented = sum(1 for r in rows for _ in r.demographics)
    assert table_counts(session) == {"people": 11, "participations": 11, "profiles": 11, "demographics": consented}
    assert count_by_role_and_status(session, cohort_id=cohort.id) == {"mentor": {"applied": 6}, "mentee": {"applied": 5}}
    marcus = session.scalar(select(Participation).join(Person).where(Person.email == "marcus.bell@regulator.example"))
    assert (marcus.role, marcus.capacity, marcus.profile.topics) == ("mentor", 2, ["leadership", "inspection practice", "people management"])


def test_file_with_one_bad_row_stores_nothing(session, cohort, programme, tmp_path):
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",mentee,", ",apprentice,")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = table_counts(session)

    with pytest.raises(CsvImportError) as error:
        import_participants(session, cohort_id=cohort.id, rows=parse_participants_csv(bad, programme), now=NOW)

    assert [(p.row, p.column) for p in error.value.problems] == [(4, "role")]
    assert table_counts(session) == before == {"people": 0, "participations": 0, "profiles": 0, "demographics": 0}


def test_failure_inside_the_transaction_rolls_everything_back(runtime, programme):
    with runtime.session() as session:
        record = Programme(slug="p", name="P", organisation="O", phase="pilot", definition={}, updated_at=NOW)
        cohort = Cohort(programme=record, name="c", created_at=NOW)
        session.add_all([record, cohort])
    with pytest.raises(RuntimeError), runtime.session() as session:
        import_participants(session, cohort_id=cohort.id, rows=[person("a@example.org")], now=NOW)
        raise RuntimeError("the caller failed after importing")
    with runtime.session() as session:
        assert table_counts(session)["people"] == 0


def test_reimport_updates_in_place(session, cohort, programme):
    rows = parse_participants_csv(EXAMPLE, programme)
    import_participants(session, cohort_id=cohort.id, rows=rows, now=NOW)
    first = table_counts(session)
    mentee = session.scalar(select(Participation).join(Person).where(Person.email == rows[0].email))
    set_status(session, participation_ids=[mentee.id], status="eligible")

    changed = rows[0].model_copy(update={"grade": 5, "topics": ["leadership"]})
    summary = import_participants(session, cohort_id=cohort.id, rows=[changed, *rows[1:]], now=NOW)

    assert (summary.new, summary.updated, summary.people_new) == (0, 11, 0)
    assert table_counts(session) == first
    session.refresh(mentee)
    assert (mentee.person.grade, mentee.profile.topics, mentee.status) == (5, ["leadership"], "eligible")


def test_person_known_from_another_cohort_is_reused(session, cohort):
    import_participants(session, cohort_id=cohort.id, rows=[person("a@example.org", grade=3)], now=NOW)
    later = Cohort(programme_id=cohort.programme_id, name="2028", created_at=NOW)
    session.add(later)
    session.flush()

    summary = import_participants(session, cohort_id=later.id, rows=[person("a@example.org", Role.mentor, grade=7)], now=NOW)

    assert (summary.new, summary.people_new) == (1, 0)
    assert table_counts(session)["people"] == 1
    assert [(p.cohort_id, p.role) for p in session.scalars(select(Participation).order_by(Participation.id))] == [
        (cohort.id, "mentee"), (later.id, "mentor")
    ]


def test_demographics_stored_only_with_consent_and_deleted_when_consent_withdrawn(session, cohort):
    consenting = person("a@example.org", consent_demographics=True, demographics={"gender": "female", "ethnicity": "Indian"})
    import_participants(session, cohort_id=cohort.id, rows=[consenting, person("b@example.org")], now=NOW)

    profiles = {p.email: p for p in cohort_profiles(session, cohort_id=cohort.id)}
    assert profiles["a@example.org"].demographics == {"gender": "female", "ethnicity": "Indian"}
    assert profiles["b@example.org"].demographics == {}

    import_participants(session, cohort_id=cohort.id, rows=[person("a@example.org")], now=NOW)
    assert table_counts(session)["demographics"] == 0


def test_row_with_demographics_but_no_consent_is_refused():
    with pytest.raises(ValueError, match="without consent_demographics=yes"):
        person("a@example.org", demographics={"gender": "male"})


def test_manager_chain_walks_three_levels_across_people(session, cohort):
    # The director and head are known people (from another file) but not in this cohort.
    rows = [
        person("director@example.org", Role.mentor, line_manager_email="ceo@example.org"),
        person("head@example.org", Role.mentor, line_manager_email="director@example.org"),
        person("lead@example.org", Role.mentor, line_manager_email="head@example.org"),
        person("mentee@example.org", line_manager_email="lead@example.org"),
    ]
    import_participants(session, cohort_id=cohort.id, rows=rows, now=NOW)

    profiles = {p.email: p for p in cohort_profiles(session, cohort_id=cohort.id, roles=["mentee"])}

    assert list(profiles) == ["mentee@example.org"]
    assert profiles["mentee@example.org"].manager_chain == [
        "lead@example.org", "head@example.org", "director@example.org", "ceo@example.org"
    ]


def test_manager_chain_stops_at_a_cycle(session, cohort):
    rows = [
        person("a@example.org", line_manager_email="b@example.org"),
        person("b@example.org", Role.mentor, line_manager_email="a@example.org"),
    ]
    import_participants(session, cohort_id=cohort.id, rows=rows, now=NOW)

    chains = {p.email: p.manager_chain for p in cohort_profiles(session, cohort_id=cohort.id)}

    assert chains == {"a@example.org": ["b@example.org"], "b@example.org": ["a@example.org"]}


def test_profiles_carry_capacity_nomination_and_identity_opt_in(session, cohort):
    rows = [
        person("m@example.org", Role.mentor, capacity=3),
        person("e@example.org", nominated_by="boss@example.org", identity_match=True, consent_demographics=True),
    ]
    import_participants(session, cohort_id=cohort.id, rows=rows, now=NOW)

    mentor, mentee = cohort_profiles(session, cohort_id=cohort.id)

    assert (mentor.capacity, mentor.role, mentor.trained) == (3, Role.mentor, False)
    assert (mentee.capacity, mentee.nominated_by, mentee.identity_match) == (1, "boss@example.org", True)


def test_set_status_filters_counts_and_trained(session, cohort):
    rows = [person("m1@example.org", Role.mentor), person("m2@example.org", Role.mentor), person("e@example.org")]
    import_participants(session, cohort_id=cohort.id, rows=rows, now=NOW)
    mentor_ids = [p.id for p in participations(session, cohort_id=cohort.id, role="mentor")]

    changed = set_status(session, participation_ids=mentor_ids[:1], status="trained")
    set_status(session, participation_ids=mentor_ids[1:], status="ineligible", reason="grade 3 is below the mentor range 6–10")

    assert changed == 1
    assert count_by_role_and_status(session, cohort_id=cohort.id) == {
        "mentor": {"trained": 1, "ineligible": 1}, "mentee": {"applied": 1}
    }
    ineligible = participations(session, cohort_id=cohort.id, status="ineligible")
    assert [(p.person.email, p.status_reason) for p in ineligible] == [("m2@example.org", "grade 3 is below the mentor range 6–10")]
    trained = cohort_profiles(session, cohort_id=cohort.id, statuses=["trained"])
    assert [(p.email, p.trained) for p in trained] == [("m1@example.org", True)]


def test_set_status_refuses_an_unknown_status(session, cohort):
    with pytest.raises(ValueError):
        set_status(session, participation_ids=[1], status="promoted")


def test_role_changes_on_reimport_only_before_training(session, cohort):
    import_participants(session, cohort_id=cohort.id, rows=[person("a@example.org"), person("b@example.org")], now=NOW)
    a, b = participations(session, cohort_id=cohort.id)
    set_status(session, participation_ids=[b.id], status="matched")

    import_participants(session, cohort_id=cohort.id, rows=[person("a@example.org", Role.mentor)], now=NOW)
    assert a.role == "mentor"
    with pytest.raises(ValueError, match="b@example.org is already a matched mentee"):
        import_participants(session, cohort_id=cohort.id, rows=[person("b@example.org", Role.mentor, row=7)], now=NOW)
