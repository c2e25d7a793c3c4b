"""Mentees' ranked choices: the CSV is checked all or nothing, stored, and used by run_matching."""

from pathlib import Path

import pytest

from models.choices import cohort_choices
from models.domain import Role
from models.matching_runs import latest_matching_run, run_result
from models.participants import ParticipantRow, import_participants, participations, set_status
from tasks.choices_csv import parse_choices_csv
from tasks.choices_import import import_choices_file
from tasks.cohort_context import load_cohort_context
from tasks.cohort_setup import register_cohort
from tasks.csv_rows import CsvImportError
from tasks.matching_round import run_matching

MENTEES = {"ann@example.org", "bo@example.org"}
MENTORS = {"max@example.org", "mo@example.org", "mia@example.org"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "choices.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_give_each_mentees_ranked_mentors(tmp_path):
    path = write(tmp_path, "mentee_email,choice_1,choice_2,choice_3\nAnn@example.org,mo@example.org,max@example.org,\nbo@example.org,mia@example.org,,\n")
    rows = parse_choices_csv(path, mentee_emails=MENTEES, mentor_emails=MENTORS)
    assert [(r.mentee_email, r.mentor_emails) for r in rows] == [
        ("ann@example.org", ["mo@example.org", "max@example.org"]),
        ("bo@example.org", ["mia@example.org"]),
    ]


def test_every_problem_is_reported_by_row_and_column_and_nothing_is_returned(tmp_path):
    path = write(tmp_path, (
        "mentee_email,choice_1,choice_2,choice_3\n"
        "ann@example.org,mo@example.org,mo@example.org,\n"      # row 2: chosen twice
        "ann@example.org,max@example.org,,\n"                   # row 3: second row for ann
        "zed@example.org,max@example.org,,\n"                   # row 4: not a mentee
        "bo@example.org,,mia@example.org,\n"                    # row 5: blank first choice, then a choice after a blank
        "bo@example.org,ann@example.org,,\n"                    # row 6: not a mentor
    ))
    with pytest.raises(CsvImportError) as raised:
        parse_choices_csv(path, mentee_emails=MENTEES, mentor_emails=MENTORS)
    messages = raised.value.messages
    assert any("row 2, column choice_2" in m and "chosen twice" in m for m in messages)
    assert any("row 3, column mentee_email" in m and "already has choices on row 2" in m for m in messages)
    assert any("row 4, column mentee_email" in m and "not a mentee" in m for m in messages)
    assert any("row 5, column choice_1" in m and "empty required value" in m for m in messages)
    assert any("row 5, column choice_2" in m and "after the blank choice_1" in m for m in messages)
    assert any("row 6, column choice_1" in m and "not a mentor" in m for m in messages)


def test_a_missing_column_is_reported_on_the_header(tmp_path):
    with pytest.raises(CsvImportError) as raised:
        parse_choices_csv(write(tmp_path, "mentee_email\nann@example.org\n"), mentee_emails=MENTEES, mentor_emails=MENTORS)
    assert any("row 1, column choice_1" in m for m in raised.value.messages)


def person(email: str, role: Role, grade: int) -> ParticipantRow:
    return ParticipantRow(email=email, name=email.split("@")[0].title(), role=role, organisation=email.split("@")[0],
                          sector="policy", region="London", grade=grade, topics=["leadership"])


@pytest.fixture
def choice_cohort(runtime, tmp_path):
    """A real (not simulated) mentee_choice cohort: two trained mentors, three trained mentees."""
    cohort_id, _ = register_cohort(runtime, programme_ref="demo-pilot", cohort="choices")
    rows = [person(e, Role.mentor, 8) for e in ("max@example.org", "mo@example.org")]
    rows += [person(e, Role.mentee, 4) for e in ("ann@example.org", "bo@example.org", "cy@example.org")]
    with runtime.session() as session:
        import_participants(session, cohort_id=cohort_id, rows=rows, now=runtime.clock.now())
        set_status(session, participation_ids=[p.id for p in participations(session, cohort_id=cohort_id)], status="trained")
    context = load_cohort_context.fn(cohort_id)
    programme = context.programme.model_copy(update={"matching": context.programme.matching.model_copy(update={"mode": "mentee_choice"})})
    return cohort_id, context.model_copy(update={"programme": programme})


def test_imported_choices_are_stored_and_decide_the_pairs(runtime, tmp_path, choice_cohort):
    cohort_id, context = choice_cohort
    path = write(tmp_path, "mentee_email,choice_1,choice_2\nann@example.org,mo@example.org,max@example.org\nbo@example.org,mo@example.org,\n")
    assert import_choices_file(runtime, cohort="choices", file=path) == 2
    with runtime.session() as session:
        ids = {p.person.email: p.id for p in participations(session, cohort_id=cohort_id)}
        assert cohort_choices(session, cohort_id=cohort_id) == {
            ids["ann@example.org"]: [ids["mo@example.org"], ids["max@example.org"]],
            ids["bo@example.org"]: [ids["mo@example.org"]],
        }
    outcome = run_matching.fn(context, None)
    with runtime.session() as session:
        result = run_result(latest_matching_run(session, cohort_id=cohort_id))
    # mo (capacity 1) is both mentees' first choice and scores them alike: the tie goes to ann, bo had no other choice
    assert {(p.mentee_id, p.mentor_id) for p in result.pairs} == {(ids["ann@example.org"], ids["mo@example.org"])}
    assert {u["mentee"]: u["why"] for u in outcome.unmatched} == {
        "Bo": "none of their 1 ranked mentors had room",
        "Cy": "has not chosen a mentor yet (no choices imported)",
    }
    assert any("1 mentee has not chosen a mentor yet" in note for note in outcome.notes)


def test_a_real_cohort_without_choices_says_who_has_not_chosen(runtime, choice_cohort):
    _, context = choice_cohort
    outcome = run_matching.fn(context, None)
    assert outcome.pairs == []
    assert sorted(u["mentee"] for u in outcome.unmatched) == ["Ann", "Bo", "Cy"]
    assert all(u["why"].startswith("has not chosen") for u in outcome.unmatched)
